// The scheduled sweep: EventBridge delivers CloudTrail events on a best-effort basis, so every
// few hours gatewatch reads a whole account and region the way `gatewatch scan` does and puts it
// through the drift path's comparison (pipeline/drift/detect.ts compareRead): only what
// differs from the baseline is news, and the news goes where an event's would — to the verdicts
// queue, for remediation and notification. A drift no event announced is found here, with
// `eventName: "ScheduledSweep"` and `actor: "gatewatch:sweep"` (who made the change is in
// CloudTrail, not in the resource). The baseline is refreshed, and the NonCompliantResources
// gauge is emitted per rule.
//
// What a sweep never does: declare a resource deleted because a listing failed. A baseline entry
// the sweep did not see is resolved as deleted only when the read that would have listed it
// succeeded.

import { MemberAccessError } from '../../aws/accounts';
import { isTransientError, type RegionClients } from '../../aws/clients';
import { collectRegion } from '../../aws/read/collect';
import { needsLoggingPath } from '../../aws/read/collect-logging';

import { normaliseRegion } from '../../aws/read/normalise';
import type { CollectionError } from '../../aws/read/schema';
import { couldNotEvaluate } from '../../model/finding';
import { apiGatewayArn } from '../../model/identity';
import type { BaselineEntry, BaselineStore } from '../../model/stores';
import type { Verdict, VerdictSink } from '../../model/verdict';
import type { Logger } from '../../observe/log';
import { type Metrics, metricNames } from '../../observe/metrics';
import { type Finding, parseParameters } from '../../rules/core/judge';
import type { Snapshot } from '../../rules/core/resources';
import type { AnyRule } from '../../rules/core/rule';
import { compareRead, type EventContext, recordNews } from '../drift/detect';

/** What verdicts found by a sweep say instead of a CloudTrail event's name and principal. */
export const SWEEP_EVENT_NAME = 'ScheduledSweep';
export const SWEEP_ACTOR = 'gatewatch:sweep';
export const SWEEP_EVENT_SOURCE = 'gatewatch.sweep';

export interface SweepTarget {
  readonly accountId: string;
  readonly region: string;
}

export interface SweepDependencies {
  /** Clients and pacing for the target's account, any region. */
  readonly access: (region: string) => RegionClients;
  /**
   * Proves the account can be reached before anything is read (a member role assumed); throws a
   * MemberAccessError when it cannot. Absent for the home account.
   */
  readonly reach?: () => Promise<unknown>;
  /** The target account's baseline. */
  readonly baseline: BaselineStore;
  readonly rules: readonly AnyRule[];
  readonly parameters?: Readonly<Record<string, unknown>>;
  readonly sink: VerdictSink;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly now: () => Date;
}

export interface SweepOutcome {
  readonly target: SweepTarget;
  /** `unreachable`: the account's role could not be assumed; one could-not-evaluate verdict says so. */
  readonly kind: 'swept' | 'unreachable';
  readonly resources: number;
  /** Verdicts that changed: what was handed on. */
  readonly news: readonly Verdict[];
  readonly unchanged: number;
  readonly problems: readonly CollectionError[];
  /** Non-compliant resources per rule, when the region was read completely enough to count them. */
  readonly nonCompliant?: Readonly<Record<string, number>>;
  readonly calls: Readonly<Record<string, number>>;
}

/** Sweeps one account and region. Throws on faults worth retrying (throttling, a store that is down). */
export async function sweepRegion(target: SweepTarget, deps: SweepDependencies): Promise<SweepOutcome> {
  const now = deps.now();
  const context = sweepContext(target, now);
  const where = { accountId: target.accountId, region: target.region };

  try {
    await deps.reach?.();
  } catch (error) {
    if (!(error instanceof MemberAccessError)) throw error;
    return unreachable(target, error, context, deps);
  }

  // Refused credentials and faults still there after the SDK's retries (throttling, 5xx,
  // timeouts) are thrown: the message is retried, then dead-lettered, never half-judged.
  const clients = deps.access(target.region);
  const inventory = await collectRegion(clients, target.accountId, target.region, {
    metricsDays: metricsDaysFor(deps.rules, deps.parameters),
    loggingPath: needsLoggingPath(deps.rules),
    now: deps.now,
    rethrow: isTransientError,
  });

  const normalised = normaliseRegion(inventory);
  const snapshots: Snapshot[] = Object.values(normalised.estate).flat();
  const seen = new Set(snapshots.map((snapshot) => snapshot.arn));
  // A resource deleted while it was read is gone, not unreadable (model/finding.ts).
  const problems = inventory.errors.filter((problem) => problem.kind !== 'gone');
  const entries = new Map<string, BaselineEntry>();
  for (const entry of await deps.baseline.list()) {
    if (entry.snapshot.accountId === target.accountId && entry.snapshot.region === target.region) {
      entries.set(entry.arn, entry);
    }
  }
  const gone = [...entries.values()]
    .filter(
      (entry) => !entry.deleted && !seen.has(entry.arn) && !hiddenBy(problems, entry.arn, target.region),
    )
    .map((entry) => entry.arn);

  const { verdicts, updated } = compareRead(
    {
      snapshots,
      pending: normalised.pendingRestStages,
      // The collector reads every REST API's working copy: what is not pending now is not pending.
      workingCopyCompared: normalised.estate.restStages.map((stage) => stage.arn),
      gone,
      problems,
    },
    entries,
    context,
    deps,
    where,
  );

  const news = verdicts.filter((verdict) => verdict.change !== 'unchanged');
  recordNews(news, deps.metrics);
  await deps.sink.handle(news);
  for (const entry of updated) await deps.baseline.put(entry);

  const complete = !problems.some((problem) => problem.resource === regionResource(target.region));
  const nonCompliant = complete ? countNonCompliant(verdicts, deps.rules, deps.parameters) : undefined;
  for (const rule of deps.rules) {
    const count = nonCompliant?.[rule.id];
    if (count === undefined) continue;
    deps.metrics.add(metricNames.nonCompliantResources, count, 'Count', {
      ruleId: rule.id,
      severity: rule.severity,
    });
  }

  const outcome: SweepOutcome = {
    target,
    kind: 'swept',
    resources: snapshots.length,
    news,
    unchanged: verdicts.length - news.length,
    problems,
    ...(nonCompliant ? { nonCompliant } : {}),
    calls: { ...clients.pacer.stats.calls },
  };
  deps.log.log('info', 'region swept', {
    accountId: target.accountId,
    region: target.region,
    resources: outcome.resources,
    news: news.length,
    gone: gone.length,
    problems: problems.length,
    calls: Object.values(outcome.calls).reduce((sum, n) => sum + n, 0),
    ...(complete ? {} : { gauge: 'not emitted: a listing failed, the counts would be low' }),
  });
  return outcome;
}

/** What every verdict of one sweep carries in place of an event's fields. */
export function sweepContext(target: SweepTarget, now: Date): EventContext {
  const at = now.toISOString();
  return {
    eventName: SWEEP_EVENT_NAME,
    eventTime: at,
    eventId: `gatewatch-sweep:${target.accountId}:${target.region}:${at}`,
    eventSource: SWEEP_EVENT_SOURCE,
    actor: SWEEP_ACTOR,
    sourceIp: null,
    userAgent: null,
    invokedBy: null,
    observedAt: at,
    // The change happened at some unknown time before; the sweep measures no detection latency.
    latencyMs: 0,
  };
}

/** The account could not be reached: one verdict says so, the sweep of other accounts goes on. */
async function unreachable(
  target: SweepTarget,
  error: MemberAccessError,
  context: EventContext,
  deps: SweepDependencies,
): Promise<SweepOutcome> {
  const { observedAt: _ignored, ...carried } = context;
  const verdict: Verdict = {
    ...couldNotEvaluate({
      resourceArn: error.roleArn,
      resourceType: 'member-role',
      resource: `the gatewatch role of account ${target.accountId} in ${target.region}`,
      accountId: target.accountId,
      region: target.region,
      reason: `gatewatch could not sweep account ${target.accountId} in ${target.region}: it could not assume ${error.roleArn} (${error.code}); nothing there was evaluated.`,
      runbook: 'README.md#an-organization',
    }),
    change: 'new',
    ...carried,
    before: null,
    after: null,
  };
  recordNews([verdict], deps.metrics);
  deps.log.log('error', 'account not reachable; the other accounts are swept', {
    accountId: target.accountId,
    region: target.region,
    problem: error.message,
  });
  await deps.sink.handle([verdict]);
  return {
    target,
    kind: 'unreachable',
    resources: 0,
    news: [verdict],
    unchanged: 0,
    problems: [],
    calls: {},
  };
}

const regionResource = (region: string) => apiGatewayArn(region, '/');

/** Listings that failed, and the ARN families they would have listed. */
const listedBy: Readonly<Record<string, readonly string[]>> = {
  GetRestApis: ['/restapis/'],
  GetApis: ['/apis/'],
  GetDomainNames: ['/domainnames/'],
  GetApiMappings: ['/domainnames/'],
};

/** Whether a failed read may be why the sweep did not see `arn` (then it is not taken for deleted). */
export function hiddenBy(problems: readonly CollectionError[], arn: string, region: string): boolean {
  return problems.some((problem) => {
    if (problem.resource === regionResource(region)) {
      const families = listedBy[problem.operation];
      // A listing gatewatch does not know: assume it hid anything.
      return families === undefined || families.some((family) => arn.includes(family));
    }
    return arn === problem.resource || arn.startsWith(`${problem.resource}/`);
  });
}

/** Non-compliant resources per rule (undeployed changes apart), every rule that ran counted, 0 included. */
function countNonCompliant(
  verdicts: readonly Finding[],
  rules: readonly AnyRule[],
  parameters: Readonly<Record<string, unknown>> | undefined,
): Record<string, number> {
  const days = metricsDaysFor(rules, parameters);
  const counts: Record<string, number> = {};
  for (const rule of rules) {
    if ((rule.needs ?? []).includes('invocation-metrics') && days === 0) continue;
    counts[rule.id] = 0;
  }
  for (const verdict of verdicts) {
    if (verdict.status !== 'NON_COMPLIANT' || verdict.pending) continue;
    if (counts[verdict.ruleId] !== undefined) counts[verdict.ruleId] = (counts[verdict.ruleId] ?? 0) + 1;
  }
  return counts;
}

/** Days of invocation metrics to read: what `api-unused` judges (its `unusedDays`), when it runs. */
export function metricsDaysFor(
  rules: readonly AnyRule[],
  parameters: Readonly<Record<string, unknown>> | undefined,
): number {
  let days = 0;
  for (const rule of rules.filter((candidate) => (candidate.needs ?? []).includes('invocation-metrics'))) {
    const parsed = parseParameters(rule, parameters?.[rule.id]) as { unusedDays?: unknown };
    days = Math.max(days, typeof parsed.unusedDays === 'number' ? parsed.unusedDays : 30);
  }
  return days;
}
