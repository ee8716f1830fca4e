// Periodic runs (ScheduledNotification): every resource the rule judges in the region is read
// and judged — reading only what the rule declares (aws/read/plan.ts) — then, once those
// evaluations are put, resources the rule reported before and that no longer exist become
// NOT_APPLICABLE (best effort: a failure there is logged and counted, never a lost run).

import { ACCOUNT_RESOURCE_TYPE, configResourceOf } from '../../aws/config/items';
import { blockedBy, planFor, readsOf } from '../../aws/read/plan';
import type { CollectionError } from '../../aws/read/schema';
import type { RuleInvocation } from '../../events/config-invocation';
import type { AccountReads, LoggingPathPart } from '../../events/targets';
import { metricNames } from '../../observe/metrics';
import { judge } from '../../rules/core/judge';
import { type Snapshot, snapshotsOf } from '../../rules/core/resources';
import type { AnyRule, CollectedData } from '../../rules/core/rule';
import { accountResource, type Context, evaluation, findingEvaluation, problemEvaluation } from './context';
import type { ConfigEvaluation } from './evaluations';

export interface PeriodicRun {
  readonly evaluations: ConfigEvaluation[];
  /** The stale evaluations, to compute once `evaluations` are put; absent when the run was not complete. */
  readonly cleanUp?: () => Promise<ConfigEvaluation[]>;
}

export async function evaluatePeriodic(
  rule: AnyRule,
  parameters: unknown,
  invocation: RuleInvocation,
  at: string,
  context: Context,
): Promise<PeriodicRun> {
  const region = invocation.region ?? context.deps.region;
  const { accountId } = invocation.event;
  let snapshots: readonly Snapshot[];
  let problems: readonly CollectionError[];
  if (rule.resource === 'account') {
    // The account settings with the parts of the logging path the rule judges, read afresh.
    const read = await context.deps.reads.live({ kind: 'account', region, reads: accountReadsOf(rule) });
    snapshots = read.snapshots;
    problems = read.problems;
  } else {
    const { estate, problems: all } = await context.deps.reads.region(region, {
      metricsDays: metricsDaysFor(rule, parameters),
      plan: planFor([rule]),
    });
    problems = all.filter((problem) => concerns(problem, rule));
    // A part the rule needs that could not be read: the resource is not judged, and not cleared.
    snapshots = snapshotsOf(rule.resource, estate).filter(
      (snapshot) => !blockedBy(problems, rule, snapshot.arn),
    );
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
    return { evaluations };
  }
  return { evaluations, cleanUp: () => staleEvaluations(evaluations, at, context) };
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

const loggingPathPartOf: Partial<Record<CollectedData, LoggingPathPart>> = {
  'cloudwatch-role': 'cloudwatch-role',
  'cloudtrail-trails': 'trails',
  'log-resource-policies': 'log-resource-policies',
};

/** The parts of the logging path an account rule needs: one part, or all when it needs several. */
function accountReadsOf(rule: AnyRule): AccountReads {
  const parts = [...new Set((rule.needs ?? []).flatMap((data) => loggingPathPartOf[data] ?? []))];
  return parts.length === 1 ? (parts[0] as LoggingPathPart) : 'logging-path';
}

/** Days of invocation metrics a rule needs read: `api-unused` judges its `unusedDays`. */
function metricsDaysFor(rule: AnyRule, parameters: unknown): number {
  if (!rule.needs?.includes('invocation-metrics')) return 0;
  const days = (parameters as { unusedDays?: unknown } | undefined)?.unusedDays;
  return typeof days === 'number' && days > 0 ? days : 30;
}

/**
 * Whether a failed read may have hidden what this rule judges: a read the region collector
 * tagged concerns the rules whose plan holds it; a targeted read's (the account settings)
 * concerns the rule it was made for.
 */
const concerns = (problem: CollectionError, rule: AnyRule): boolean =>
  problem.read === undefined || readsOf(rule).has(problem.read);
