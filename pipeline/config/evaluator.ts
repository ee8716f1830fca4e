// The AWS Config contract, owned here so no rule ever sees it. One function serves every
// gatewatch Config rule: the rule comes from the `ruleId` input parameter (or the Config rule's
// name), and each message type becomes evaluations the same rules and collectors produce:
//
// - ConfigurationItemChangeNotification: the item's snapshot is judged; where the rule needs
//   what Config does not record (a stage's served methods, a web ACL's contents, an API's
//   protocol), the resource is read live instead (one read shared by every rule within 30 s).
// - OversizedConfigurationItemChangeNotification: the item is fetched from the history first.
// - ScheduledNotification: every resource of the rule's kind in the region is read and judged
//   (pipeline/config/periodic.ts), then, once those are put, resources the rule reported before
//   and that no longer exist become NOT_APPLICABLE.
//
// Deleted and unrecorded resources and those that left the rule's scope are NOT_APPLICABLE.
// The ordering timestamp is the item's capture time (the notification time for periodic runs).
// Problems a person can fix (an unknown rule, invalid parameters, access denied on a read)
// become an evaluation that says so; faults (AWS failing after retries, a bug) are thrown.

import { classifyError } from '../../aws/clients';
import { type ItemSnapshot, snapshotFromItem } from '../../aws/config/items';
import { NotRecordedByConfig, recordedView, withProtocol } from '../../aws/config/recorded';
import type { ReadResult } from '../../aws/read/reader';
import type { ConfigurationItem, RuleInvocation } from '../../events/config-invocation';
import { identityOf, v2ApiArn } from '../../model/identity';
import { metricNames } from '../../observe/metrics';
import { type Finding, judge } from '../../rules/core/judge';
import { kindCovers, resourceKinds, type Snapshot } from '../../rules/core/resources';
import type { AnyRule } from '../../rules/core/rule';
import {
  accountResource,
  type Context,
  couldNotRead,
  type EvaluatorDependencies,
  evaluation,
  findingEvaluation,
  problemEvaluation,
} from './context';
import { type ConfigEvaluation, toSdkEvaluation } from './evaluations';
import { resolveRule } from './parameters';
import { evaluatePeriodic, type PeriodicRun } from './periodic';

export type { EvaluatorDependencies } from './context';

export interface InvocationResult {
  readonly messageType: string;
  readonly evaluations: readonly ConfigEvaluation[];
}

/**
 * Evaluates one invocation and delivers its evaluations to Config (a test run when `testMode`);
 * then, for a complete periodic run, clears what the rule reported before and no longer finds.
 */
export async function handleInvocation(
  invocation: RuleInvocation,
  deps: EvaluatorDependencies,
  options: { readonly testMode?: boolean } = {},
): Promise<InvocationResult> {
  const { evaluations, cleanUp } = await evaluateInvocation(invocation, deps);
  if (invocation.invokingEvent.messageType === 'other') return { messageType: 'other', evaluations };
  const put = (batch: readonly ConfigEvaluation[]) =>
    deps.config.putEvaluations(
      batch.map(toSdkEvaluation),
      invocation.event.resultToken,
      options.testMode ?? false,
    );
  await put(evaluations);
  const stale = cleanUp ? await bestEffort(cleanUp, put, invocation, deps) : [];
  const delivered = [...evaluations, ...stale];
  for (const evaluation of delivered) {
    deps.metrics.add(metricNames.configEvaluations, 1, 'Count', {
      ruleId: evaluation.ruleId ?? 'unknown',
      complianceType: evaluation.complianceType,
    });
  }
  deps.log.log('info', 'evaluations delivered', {
    configRuleName: invocation.event.configRuleName,
    messageType: invocation.invokingEvent.messageType,
    evaluations: delivered.length,
    testMode: options.testMode ?? false,
  });
  return { messageType: invocation.invokingEvent.messageType, evaluations: delivered };
}

/**
 * The stale clean-up, after the evaluations are put: reading what the rule reported before or
 * putting the NOT_APPLICABLE ones failing loses nothing of this run (the next run clears them).
 */
async function bestEffort(
  cleanUp: () => Promise<ConfigEvaluation[]>,
  put: (batch: readonly ConfigEvaluation[]) => Promise<void>,
  invocation: RuleInvocation,
  deps: EvaluatorDependencies,
): Promise<ConfigEvaluation[]> {
  try {
    const stale = await cleanUp();
    if (stale.length > 0) await put(stale);
    return stale;
  } catch (error) {
    const ruleId = resolveRule(invocation.event.configRuleName, invocation.event.ruleParameters).rule?.id;
    deps.log.log('warn', 'stale evaluations not cleared', {
      configRuleName: invocation.event.configRuleName,
      errorKind: classifyError(error).kind,
      code: (error as { name?: string }).name ?? 'Error',
    });
    deps.metrics.add(metricNames.evaluationErrors, 1, 'Count', { ruleId: ruleId ?? 'unknown' });
    return [];
  }
}

/** The evaluations an invocation calls for, not yet delivered, and the stale clean-up of a periodic run. */
export async function evaluateInvocation(
  invocation: RuleInvocation,
  deps: EvaluatorDependencies,
): Promise<PeriodicRun> {
  const context: Context = {
    configRuleName: invocation.event.configRuleName,
    ruleId: resolveRule(invocation.event.configRuleName, invocation.event.ruleParameters).rule?.id ?? null,
    deps,
  };
  if (invocation.invokingEvent.messageType === 'ScheduledNotification') {
    return scheduled(invocation, context);
  }
  return { evaluations: await evaluateChange(invocation, context) };
}

async function scheduled(invocation: RuleInvocation, context: Context): Promise<PeriodicRun> {
  const { event, invokingEvent } = invocation;
  if (invokingEvent.messageType !== 'ScheduledNotification') return { evaluations: [] };
  const resolved = resolveRule(event.configRuleName, event.ruleParameters);
  const at = invokingEvent.notificationCreationTime;
  if (resolved.problem !== undefined) {
    return {
      evaluations: [
        evaluation(context, accountResource(event.accountId), 'NON_COMPLIANT', resolved.problem, at),
      ],
    };
  }
  return evaluatePeriodic(resolved.rule, resolved.parameters, invocation, at, context);
}

async function evaluateChange(invocation: RuleInvocation, context: Context): Promise<ConfigEvaluation[]> {
  const { deps } = context;
  const { event, invokingEvent } = invocation;
  const resolved = resolveRule(event.configRuleName, event.ruleParameters);

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
    default:
      deps.log.log('info', 'nothing to evaluate', {
        configRuleName: event.configRuleName,
        messageType: invokingEvent.received,
      });
      return [];
  }
}

type ItemLike = Pick<
  ConfigurationItem,
  'resourceType' | 'resourceId' | 'configurationItemStatus' | 'configurationItemCaptureTime' | 'awsAccountId'
>;

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
