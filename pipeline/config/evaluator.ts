// The AWS Config contract, owned here so no rule ever sees it. One function serves every
// gatewatch Config rule: the rule comes from the `ruleId` input parameter (or the Config rule's
// name), and each message type becomes evaluations the same rules and collectors produce:
//
// - ConfigurationItemChangeNotification: the item's snapshot is judged; where the rule needs
//   what Config does not record (a stage's served methods, a web ACL's contents, an API's
//   protocol), the resource is read live instead (one read shared by every rule within 30 s).
// - OversizedConfigurationItemChangeNotification: the item is fetched from the history first.
// - ScheduledNotification: every resource of the rule's kind in the region is read and judged,
//   then resources the rule reported before and that no longer exist become NOT_APPLICABLE.
//
// Deleted and unrecorded resources and those that left the rule's scope are NOT_APPLICABLE.
// The ordering timestamp is the item's capture time (the notification time for periodic runs).
// Problems a person can fix (an unknown rule, invalid parameters, access denied on a read)
// become an evaluation that says so; faults (AWS failing after retries, a bug) are thrown.

import { classifyError } from '../../aws/clients';
import type { ConfigApi } from '../../aws/config/api';
import {
  ACCOUNT_RESOURCE_TYPE,
  configResourceOf,
  type ItemSnapshot,
  NotRecordedByConfig,
  recordedView,
  snapshotFromItem,
  withProtocol,
} from '../../aws/config/items';
import type { ReadResult } from '../../aws/read/reader';
import type { CollectionError } from '../../aws/read/schema';
import type { ConfigurationItem, RuleInvocation } from '../../events/config-invocation';
import { identityOf, v2ApiArn } from '../../model/identity';
import type { Logger } from '../../observe/log';
import { type Metrics, metricNames } from '../../observe/metrics';
import { type Finding, judge } from '../../rules/core/judge';
import { kindCovers, resourceKinds, type Snapshot, snapshotsOf } from '../../rules/core/resources';
import type { AnyRule } from '../../rules/core/rule';
import {
  annotation,
  type ComplianceType,
  type ConfigEvaluation,
  complianceOf,
  toSdkEvaluation,
} from './evaluations';
import { resolveRule } from './parameters';
import type { ResourceReads } from './reads';

export interface EvaluatorDependencies {
  readonly reads: ResourceReads;
  readonly config: ConfigApi;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** The region periodic runs evaluate when the rule's ARN names none (the function's own). */
  readonly region: string;
}

export interface InvocationResult {
  readonly messageType: string;
  readonly evaluations: readonly ConfigEvaluation[];
}

/** Evaluates one invocation and delivers its evaluations to Config (a test run when `testMode`). */
export async function handleInvocation(
  invocation: RuleInvocation,
  deps: EvaluatorDependencies,
  options: { readonly testMode?: boolean } = {},
): Promise<InvocationResult> {
  const evaluations = await evaluateInvocation(invocation, deps);
  if (invocation.invokingEvent.messageType === 'other') return { messageType: 'other', evaluations };
  await deps.config.putEvaluations(
    evaluations.map(toSdkEvaluation),
    invocation.event.resultToken,
    options.testMode ?? false,
  );
  for (const evaluation of evaluations) {
    deps.metrics.add(metricNames.configEvaluations, 1, 'Count', {
      ruleId: evaluation.ruleId ?? 'unknown',
      complianceType: evaluation.complianceType,
    });
  }
  deps.log.log('info', 'evaluations delivered', {
    configRuleName: invocation.event.configRuleName,
    messageType: invocation.invokingEvent.messageType,
    evaluations: evaluations.length,
    testMode: options.testMode ?? false,
  });
  return { messageType: invocation.invokingEvent.messageType, evaluations };
}

/** The evaluations an invocation calls for, not yet delivered. */
export async function evaluateInvocation(
  invocation: RuleInvocation,
  deps: EvaluatorDependencies,
): Promise<ConfigEvaluation[]> {
  const { event, invokingEvent } = invocation;
  const resolved = resolveRule(event.configRuleName, event.ruleParameters);
  const context: Context = { configRuleName: event.configRuleName, ruleId: resolved.rule?.id ?? null, deps };

  switch (invokingEvent.messageType) {
    case 'ConfigurationItemChangeNotification': {
      const item = invokingEvent.configurationItem;
      const settled =
        settledItem(item, event.eventLeftScope, context) ??
        (resolved.rule && scopeCheck(resolved.rule, item, context));
      if (settled) return [settled];
      if (resolved.problem !== undefined) return [errorFor(item, resolved.problem, context)];
      return [await evaluateItem(resolved.rule, resolved.parameters, item, context)];
    }
    case 'OversizedConfigurationItemChangeNotification': {
      const summary = invokingEvent.configurationItemSummary;
      const settled =
        settledItem(summary, event.eventLeftScope, context) ??
        (resolved.rule && scopeCheck(resolved.rule, summary, context));
      if (settled) return [settled];
      if (resolved.problem !== undefined) return [errorFor(summary, resolved.problem, context)];
      const fetched = await fetchOversized(summary, context);
      if ('evaluation' in fetched) return [fetched.evaluation];
      const { item } = fetched;
      return [
        settledItem(item, event.eventLeftScope, context) ??
          (await evaluateItem(resolved.rule, resolved.parameters, item, context)),
      ];
    }
    case 'ScheduledNotification': {
      const at = invokingEvent.notificationCreationTime;
      if (resolved.problem !== undefined) {
        return [evaluation(context, accountResource(event.accountId), 'NON_COMPLIANT', resolved.problem, at)];
      }
      return evaluatePeriodic(resolved.rule, resolved.parameters, invocation, at, context);
    }
    default:
      deps.log.log('info', 'nothing to evaluate', {
        configRuleName: event.configRuleName,
        messageType: invokingEvent.received,
      });
      return [];
  }
}

interface Context {
  readonly configRuleName: string;
  readonly ruleId: string | null;
  readonly deps: EvaluatorDependencies;
}

interface ConfigResource {
  readonly resourceType: string;
  readonly resourceId: string;
}

type ItemLike = Pick<
  ConfigurationItem,
  'resourceType' | 'resourceId' | 'configurationItemStatus' | 'configurationItemCaptureTime' | 'awsAccountId'
>;

function evaluation(
  context: Context,
  resource: ConfigResource,
  complianceType: ComplianceType,
  text: string,
  orderingTimestamp: string,
): ConfigEvaluation {
  return {
    configRuleName: context.configRuleName,
    ruleId: context.ruleId,
    resourceType: resource.resourceType,
    resourceId: resource.resourceId,
    complianceType,
    annotation: annotation(text),
    orderingTimestamp: new Date(orderingTimestamp).toISOString(),
  };
}

const accountResource = (accountId: string): ConfigResource => ({
  resourceType: ACCOUNT_RESOURCE_TYPE,
  resourceId: accountId,
});

const errorFor = (item: ItemLike, problem: string, context: Context) =>
  evaluation(context, item, 'NON_COMPLIANT', problem, item.configurationItemCaptureTime);

const GONE_STATUSES: Record<string, string> = {
  ResourceDeleted: 'was deleted',
  ResourceDeletedNotRecorded: 'was deleted',
  ResourceNotRecorded: 'is not recorded by AWS Config',
};

/** NOT_APPLICABLE for an item that was deleted, is not recorded, or left the rule's scope. */
function settledItem(item: ItemLike, leftScope: boolean, context: Context): ConfigEvaluation | undefined {
  const what = `${item.resourceType} ${item.resourceId}`;
  const gone = GONE_STATUSES[item.configurationItemStatus];
  const text = leftScope
    ? `${what} is no longer in the scope of this rule.`
    : gone
      ? `${what} ${gone}.`
      : null;
  return text
    ? evaluation(context, item, 'NOT_APPLICABLE', text, item.configurationItemCaptureTime)
    : undefined;
}

function scopeCheck(rule: AnyRule, item: ItemLike, context: Context): ConfigEvaluation | undefined {
  const types = configTypesOf(rule);
  if (types.includes(item.resourceType)) return undefined;
  return evaluation(
    context,
    item,
    'NOT_APPLICABLE',
    `Rule ${rule.id} judges ${types.join(', ') || 'the API Gateway account settings'}, not ${item.resourceType}.`,
    item.configurationItemCaptureTime,
  );
}

const configTypesOf = (rule: AnyRule): readonly string[] =>
  resourceKinds[rule.resource as keyof typeof resourceKinds].configResourceTypes;

// ─── One configuration item ─────────────────────────────────────────────────────────────

async function evaluateItem(
  rule: AnyRule,
  parameters: unknown,
  item: ConfigurationItem,
  context: Context,
): Promise<ConfigEvaluation> {
  const outOfScope = scopeCheck(rule, item, context);
  if (outOfScope) return outOfScope;
  const at = item.configurationItemCaptureTime;
  let fromItem: ItemSnapshot;
  try {
    fromItem = snapshotFromItem(item);
  } catch (error) {
    return errorFor(
      item,
      `gatewatch could not read the configuration item of ${item.resourceType} ${item.resourceId}: ${(error as Error).message}`,
      context,
    );
  }
  if (!kindCovers(rule.resource, fromItem.snapshot)) {
    return evaluation(context, item, 'NOT_APPLICABLE', `Rule ${rule.id} does not judge this resource.`, at);
  }

  if (fromItem.snapshot.kind === 'v2-stage' || fromItem.snapshot.kind === 'v2-route') {
    const { region, apiId } = fromItem.snapshot;
    fromItem = withProtocol(fromItem, context.deps.reads.protocolOf(v2ApiArn(region, apiId)));
  }
  const judged = judgeRecorded(rule, fromItem, parameters);
  if ('finding' in judged) return findingEvaluation(judged.finding, item, at, context);

  // The rule needs what the item does not carry: read the resource as the drift path does.
  const read = await context.deps.reads.live(identityOf(fromItem.snapshot), { notRecorded: judged.missed });
  const snapshot = findSnapshot(read, fromItem.snapshot);
  if (snapshot) return findingEvaluation(judge(rule, snapshot, parameters), item, at, context);
  if (read.gone.length > 0) {
    return evaluation(context, item, 'NOT_APPLICABLE', `${item.resourceId} no longer exists.`, at);
  }
  return problemEvaluation(read.problems, item, at, context);
}

/** The rule's finding on the item alone, or the snapshot fields it reached for that the item lacks. */
function judgeRecorded(
  rule: AnyRule,
  fromItem: ItemSnapshot,
  parameters: unknown,
): { finding: Finding } | { missed: readonly string[] } {
  const { view, missed } = recordedView(fromItem);
  try {
    const finding = judge(rule, view, parameters);
    return missed.size === 0 ? { finding } : { missed: [...missed] };
  } catch (error) {
    // judge names the resource outside its own guard; a name the item lacks lands here.
    if (error instanceof NotRecordedByConfig) return { missed: [...missed] };
    throw error;
  }
}

function findSnapshot(read: ReadResult, wanted: Snapshot): Snapshot | undefined {
  return (
    read.snapshots.find((snapshot) => snapshot.arn === wanted.arn) ??
    read.snapshots.find((snapshot) => snapshot.kind === wanted.kind && read.snapshots.length === 1)
  );
}

function findingEvaluation(finding: Finding, resource: ConfigResource, at: string, context: Context) {
  return evaluation(context, resource, complianceOf(finding), finding.reason, at);
}

function problemEvaluation(
  problems: readonly CollectionError[],
  resource: ConfigResource,
  at: string,
  context: Context,
): ConfigEvaluation {
  const [first] = problems;
  const text = first
    ? couldNotRead(first, context)
    : `gatewatch could not read ${resource.resourceId}; its rules were not evaluated.`;
  return evaluation(context, resource, 'NON_COMPLIANT', text, at);
}

/** A read that failed, in words; access denied says which permission the evaluator lacks. */
function couldNotRead(problem: CollectionError, context: Context): string {
  const denied = problem.kind === 'denied';
  context.deps.log.log('warn', denied ? 'read denied' : 'read failed', {
    configRuleName: context.configRuleName,
    errorKind: denied ? 'access-denied' : 'failed',
    operation: problem.operation,
    resource: problem.resource,
    code: problem.code,
  });
  context.deps.metrics.add(metricNames.evaluationErrors, 1, 'Count', { ruleId: context.ruleId ?? 'unknown' });
  return denied
    ? `gatewatch could not evaluate: access denied reading ${problem.resource} (${problem.operation}: ${problem.code}). Give the evaluator's role read access to it.`
    : `gatewatch could not evaluate: reading ${problem.resource} failed (${problem.operation}: ${problem.code}).`;
}

async function fetchOversized(
  summary: ItemLike,
  context: Context,
): Promise<{ item: ConfigurationItem } | { evaluation: ConfigEvaluation }> {
  try {
    const item = await context.deps.reads.historyItem(
      summary.resourceType,
      summary.resourceId,
      summary.configurationItemCaptureTime,
    );
    if (item) return { item };
    return {
      evaluation: errorFor(
        summary,
        `AWS Config's history has no configuration item of ${summary.resourceType} ${summary.resourceId}.`,
        context,
      ),
    };
  } catch (error) {
    const classified = classifyError(error);
    if (classified.kind !== 'denied') throw error;
    const problem = { operation: 'GetResourceConfigHistory', resource: summary.resourceId, ...classified };
    return { evaluation: errorFor(summary, couldNotRead(problem, context), context) };
  }
}

// ─── Periodic runs ──────────────────────────────────────────────────────────────────────

async function evaluatePeriodic(
  rule: AnyRule,
  parameters: unknown,
  invocation: RuleInvocation,
  at: string,
  context: Context,
): Promise<ConfigEvaluation[]> {
  const region = invocation.region ?? context.deps.region;
  const { accountId } = invocation.event;
  let snapshots: readonly Snapshot[];
  let problems: readonly CollectionError[];
  if (rule.resource === 'account') {
    // The account settings with the logging path the account rules judge, all read afresh.
    const read = await context.deps.reads.live({ kind: 'account', region, reads: 'logging-path' });
    snapshots = read.snapshots;
    problems = read.problems;
  } else {
    const { estate, problems: all } = await context.deps.reads.region(
      region,
      metricsDaysFor(rule, parameters),
    );
    snapshots = snapshotsOf(rule.resource, estate);
    problems = all.filter((problem) => concerns(problem, rule));
  }

  const findings = snapshots.map((snapshot) => ({ snapshot, finding: judge(rule, snapshot, parameters) }));
  const evaluations = findings.map(({ snapshot, finding }) =>
    findingEvaluation(finding, configResourceOf(snapshot), at, context),
  );
  // A periodic run sees every resource of the rule: the count is a gauge for the dashboard.
  context.deps.metrics.add(
    metricNames.nonCompliantResources,
    findings.filter(({ finding }) => finding.status === 'NON_COMPLIANT').length,
    'Count',
    { ruleId: rule.id, severity: rule.severity },
  );
  if (problems.length > 0) {
    // What could not be read is unknown, not gone: report it and clear nothing.
    evaluations.push(problemEvaluation(problems, accountResource(accountId), at, context));
    return evaluations;
  }
  return [...evaluations, ...(await staleEvaluations(evaluations, at, context))];
}

/** Resources the rule reported before that this complete run did not find: NOT_APPLICABLE now. */
async function staleEvaluations(
  current: readonly ConfigEvaluation[],
  at: string,
  context: Context,
): Promise<ConfigEvaluation[]> {
  const seen = new Set(current.map((evaluation) => `${evaluation.resourceType} ${evaluation.resourceId}`));
  const reported = await context.deps.config.reportedResources(context.configRuleName);
  return reported
    .filter((resource) => !seen.has(`${resource.resourceType} ${resource.resourceId}`))
    .map((resource) =>
      evaluation(
        context,
        resource,
        'NOT_APPLICABLE',
        resource.resourceType === ACCOUNT_RESOURCE_TYPE
          ? 'gatewatch read every resource this rule judges on its last run.'
          : `${resource.resourceId} no longer exists.`,
        at,
      ),
    );
}

/** Days of invocation metrics a rule needs read: `api-unused` judges its `unusedDays`. */
function metricsDaysFor(rule: AnyRule, parameters: unknown): number {
  if (!rule.needs?.includes('invocation-metrics')) return 0;
  const days = (parameters as { unusedDays?: unknown } | undefined)?.unusedDays;
  return typeof days === 'number' && days > 0 ? days : 30;
}

/** Whether a failed read may have hidden a resource this rule judges. */
function concerns(problem: CollectionError, rule: AnyRule): boolean {
  const covered = resourceKinds[rule.resource as keyof typeof resourceKinds].covers as readonly string[];
  const affected: Record<string, readonly string[]> = {
    GetAccount: ['account'],
    GetRole: ['account'],
    DescribeTrails: ['account'],
    GetTrailStatus: ['account'],
    GetEventSelectors: ['account'],
    DescribeResourcePolicies: ['account'],
    GetRestApis: ['rest-api', 'rest-stage'],
    GetApis: ['v2-api', 'v2-stage', 'v2-route'],
    GetDomainNames: ['domain-name', 'rest-api', 'v2-api'],
    GetApiMappings: ['domain-name', 'rest-api', 'v2-api'],
    GetWebACL: ['rest-stage'],
    GetMetricData: rule.needs?.includes('invocation-metrics') ? ['rest-api', 'v2-api'] : [],
  };
  const kinds =
    affected[problem.operation] ??
    (/\/restapis\//.test(problem.resource)
      ? ['rest-api', 'rest-stage']
      : /\/apis\//.test(problem.resource)
        ? ['v2-api', 'v2-stage', 'v2-route']
        : /\/domainnames\//.test(problem.resource)
          ? ['domain-name']
          : covered);
  return kinds.some((kind) => covered.includes(kind));
}
