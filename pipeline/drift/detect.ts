// The drift path, whatever runs it (Lambda, `gatewatch replay`, tests): a CloudTrail event
// names targets; each target is read afresh and judged with the catalog; each verdict is
// compared with the last known state, so only changes are news; then the state is stored.

import { blockedBy, notEvaluated } from '../../aws/read/plan';
import type { PreviousState, ReadResult, TargetReader } from '../../aws/read/reader';
import type { CollectionError } from '../../aws/read/schema';
import { actorOf } from '../../events/actor';
import { eventAccount } from '../../events/request';
import { resolveEvent } from '../../events/resolve';
import type { ParsedEvent } from '../../events/schema';
import type { Target } from '../../events/targets';
import { judgedResource, targetKey } from '../../events/targets';
import { type Place, unreadable } from '../../model/finding';
import { arnsWithApi, logGroupKey } from '../../model/identity';
import type { BaselineEntry, BaselineStore, RuleState } from '../../model/stores';
import type { Change, Verdict, VerdictSink } from '../../model/verdict';
import type { Logger } from '../../observe/log';
import { type Metrics, metricNames } from '../../observe/metrics';
import { carriesData } from '../../rules/core/collected';
import { type Finding, judge, runbookPath } from '../../rules/core/judge';
import {
  type AccountSnapshot,
  kindCovers,
  type RestStageSnapshot,
  type Snapshot,
} from '../../rules/core/resources';
import type { AnyRule } from '../../rules/core/rule';
import { pendingFindings } from '../scan/pending';
import { keepServedAuthorizers } from './served';

export interface DriftDependencies {
  readonly reader: TargetReader;
  readonly baseline: BaselineStore;
  readonly rules: readonly AnyRule[];
  /** Rule parameters by rule id; defaults where absent. */
  readonly parameters?: Readonly<Record<string, unknown>>;
  readonly sink: VerdictSink;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly now: () => Date;
}

export type DriftOutcome =
  | { readonly kind: 'judged'; readonly verdicts: readonly Verdict[] }
  | { readonly kind: 'ignored'; readonly reason: string }
  | { readonly kind: 'duplicate' };

/** Handles one event. Throws only on faults worth retrying (a failing AWS call, a store that is down). */
export async function processEvent(event: ParsedEvent, deps: DriftDependencies): Promise<DriftOutcome> {
  const { record } = event;
  const resolved = resolveEvent(record);
  if ('ignored' in resolved) {
    deps.metrics.add(metricNames.eventsIgnored, 1, 'Count', { reason: reasonDimension(resolved.ignored) });
    deps.log.log('info', 'event ignored', {
      eventId: record.eventID,
      eventName: record.eventName,
      reason: resolved.ignored,
    });
    return { kind: 'ignored', reason: resolved.ignored };
  }
  // Claimed before anything is read: of concurrent deliveries of one event, one judges it,
  // notifies and remediates; the others are duplicates.
  const claim = await deps.baseline.claim(record.eventID, record.eventTime);
  if (claim.kind !== 'claimed') {
    deps.metrics.add(metricNames.eventsDuplicate, 1);
    deps.log.log(
      'info',
      claim.kind === 'handled' ? 'event already handled' : 'event being handled by another delivery',
      {
        eventId: record.eventID,
        eventName: record.eventName,
      },
    );
    return { kind: 'duplicate' };
  }
  try {
    return await judgeClaimed(event, resolved.targets, deps);
  } catch (error) {
    // Give the claim back so the retry of this delivery judges the event at once.
    await deps.baseline.release(record.eventID, claim.token).catch((released: unknown) =>
      deps.log.log('warn', 'claim not released; it expires on its own', {
        eventId: record.eventID,
        problem: released instanceof Error ? released.name : String(released),
      }),
    );
    throw error;
  }
}

async function judgeClaimed(
  event: ParsedEvent,
  resolvedTargets: readonly Target[],
  deps: DriftDependencies,
): Promise<DriftOutcome> {
  const { record } = event;
  const targets = unique(resolvedTargets);
  const previous = await loadPrevious(deps.baseline, targets);
  const verdicts: Verdict[] = [];
  const updated: BaselineEntry[] = [];
  const context = eventContext(event, deps.now());

  for (const target of targets) {
    const read = await deps.reader.read(target, previous.state);
    const compared = compareRead(read, previous.entries, context, deps, {
      accountId: eventAccount(event),
      region: target.region,
    });
    verdicts.push(...compared.verdicts);
    updated.push(...compared.updated);
  }

  // An event that names an API and its stages (UpdateRestApi, DeleteApi…) reads the API for
  // each target: one verdict per rule and resource, one entry per resource, the latest read's.
  const judged = [...new Map(verdicts.map((verdict) => [verdictKey(verdict), verdict])).values()];
  const news = judged.filter((verdict) => verdict.change !== 'unchanged');
  recordMetrics(news, context.latencyMs, deps.metrics);
  await deps.sink.handle(news);
  for (const entry of new Map(updated.map((entry) => [entry.arn, entry])).values()) {
    await deps.baseline.put(entry);
  }
  await deps.baseline.markHandled(record.eventID, record.eventTime);
  deps.log.log('info', 'event judged', {
    eventId: record.eventID,
    eventName: record.eventName,
    targets: targets.length,
    verdicts: judged.length,
    news: news.length,
  });
  return { kind: 'judged', verdicts: judged };
}

const verdictKey = (verdict: Verdict) =>
  `${verdict.ruleId}${verdict.pending ? '#pending' : ''} ${verdict.resourceArn}`;

/**
 * The comparison every path shares (an event's targets, the scheduled sweep's whole region):
 * resources read afresh are judged and compared with what the baseline knew, resources gone are
 * resolved, reads that failed are "could not evaluate". Returns every verdict (news and
 * unchanged) and the baseline entries to store.
 */
export function compareRead(
  read: ReadResult,
  entries: ReadonlyMap<string, BaselineEntry>,
  context: EventContext,
  judging: Pick<DriftDependencies, 'rules' | 'parameters'>,
  where: { readonly accountId: string; readonly region: string },
): { verdicts: Verdict[]; updated: BaselineEntry[] } {
  const verdicts: Verdict[] = [];
  const updated: BaselineEntry[] = [];
  for (const fresh of read.snapshots) {
    const entry = entries.get(fresh.arn);
    const snapshot = keepServedAuthorizers(fresh, entry?.snapshot);
    const covering = judging.rules.filter(
      (r) => kindCovers(r.resource, snapshot) && carriesWhatItNeeds(r, snapshot),
    );
    // A part of the resource that could not be read keeps only the rules that need it from judging it.
    const blocked = covering.filter((rule) => blockedBy(read.problems, rule, snapshot.arn));
    const judgedRules = covering.filter((rule) => !blocked.includes(rule));
    const findings = judgedRules.map((rule) => judge(rule, snapshot, judging.parameters?.[rule.id]));
    for (const pending of read.pending.filter((stage) => stage.arn === snapshot.arn)) {
      findings.push(...pendingFindings(pending, findings, judgedRules, judging.parameters));
    }
    verdicts.push(...findings.map((finding) => verdictOf(finding, entry, context)));
    // A read that reused what a stage serves did not look at the working copy: what was
    // pending then is still pending.
    const keepPending = snapshot.kind === 'rest-stage' && !read.workingCopyCompared.includes(snapshot.arn);
    const unjudged = blocked.map((rule) => rule.id);
    updated.push(nextEntry(snapshot, findings, entry, context.observedAt, keepPending, unjudged));
  }
  for (const arn of withWhatTheyHold(read.gone, entries)) {
    const entry = entries.get(arn);
    if (!entry || entry.deleted) continue;
    verdicts.push(...deletedVerdicts(entry, context, judging.rules));
    updated.push({ ...entry, deleted: true, observedAt: context.observedAt });
  }
  for (const problem of read.problems) {
    verdicts.push(problemVerdict(problem, context, where));
  }
  return { verdicts, updated };
}

/**
 * A rule that needs data beyond the configuration (`needs`) is judged only where the snapshot
 * carries it: reads for events never fetch invocation metrics, so `api-unused` is judged on an
 * API whose counts the baseline knows (from a scan), not reported "could not evaluate" each time
 * an event names a new API.
 */
function carriesWhatItNeeds(rule: AnyRule, snapshot: Snapshot): boolean {
  return (rule.needs ?? []).every((data) => carriesData(snapshot, data));
}

/** A deleted API takes its stages and routes with it: their findings close too. */
function withWhatTheyHold(gone: readonly string[], entries: ReadonlyMap<string, BaselineEntry>): string[] {
  const all = new Set(gone);
  for (const arn of gone) {
    for (const known of entries.keys()) if (known.startsWith(`${arn}/`)) all.add(known);
  }
  return [...all];
}

// ─── The event's context, carried by every verdict ──────────────────────────────────────

/** What every verdict of one event carries about the event, and when its resources were read. */
export type EventContext = Pick<
  Verdict,
  | 'eventName'
  | 'eventTime'
  | 'eventId'
  | 'eventSource'
  | 'actor'
  | 'sourceIp'
  | 'userAgent'
  | 'invokedBy'
  | 'latencyMs'
> & { readonly observedAt: string };

function eventContext(event: ParsedEvent, now: Date): EventContext {
  const { record } = event;
  const actor = actorOf(record);
  return {
    eventName: record.eventName,
    eventTime: record.eventTime,
    eventId: record.eventID,
    eventSource: record.eventSource,
    actor: actor.principal,
    sourceIp: actor.sourceIp,
    userAgent: actor.userAgent,
    invokedBy: actor.invokedBy,
    observedAt: now.toISOString(),
    latencyMs: Math.max(0, now.getTime() - Date.parse(record.eventTime)),
  };
}

// ─── Comparing with the baseline ────────────────────────────────────────────────────────

const isBad = (status: string | undefined) => status === 'NON_COMPLIANT' || status === 'ERROR';

/** Pending findings are stored under their own key, so an undeployed change is announced once. */
const stateKey = (finding: Finding) => (finding.pending ? `${finding.ruleId}#pending` : finding.ruleId);

/**
 * News is a resource turning bad, turning good, or staying bad with different facts (a second
 * method opened); the same finding seen again is not announced again.
 */
function changeOf(before: RuleState | undefined, now: Finding): Change {
  if (isBad(now.status) && !isBad(before?.status)) return 'new';
  if (!isBad(now.status) && isBad(before?.status)) return 'resolved';
  if (isBad(now.status) && before?.status !== now.status) return 'new';
  if (
    isBad(now.status) &&
    JSON.stringify(before?.observed ?? null) !== JSON.stringify(now.observed ?? null)
  ) {
    return 'new';
  }
  return 'unchanged';
}

function verdictOf(finding: Finding, entry: BaselineEntry | undefined, context: EventContext): Verdict {
  const before = entry?.rules[stateKey(finding)];
  const { observedAt: _ignored, ...carried } = context;
  return {
    ...finding,
    change: changeOf(before, finding),
    ...carried,
    before: before?.observed ?? null,
    after: finding.observed ?? null,
  };
}

function nextEntry(
  snapshot: Snapshot,
  findings: readonly Finding[],
  entry: BaselineEntry | undefined,
  observedAt: string,
  keepPending: boolean,
  /** Rules not judged this time (a part they need could not be read): their state is kept. */
  unjudged: readonly string[] = [],
): BaselineEntry {
  const kept = (key: string) =>
    (keepPending && key.endsWith('#pending')) || unjudged.includes(key.replace(/#pending$/, ''));
  const rules: Record<string, RuleState> = Object.fromEntries(
    Object.entries(entry?.rules ?? {}).filter(([key]) => kept(key)),
  );
  for (const finding of findings) {
    const key = stateKey(finding);
    const before = entry?.rules[key];
    rules[key] = {
      status: finding.status,
      reason: finding.reason,
      ...(finding.observed === undefined ? {} : { observed: finding.observed }),
      since: before && before.status === finding.status ? before.since : observedAt,
    };
  }
  return { arn: snapshot.arn, snapshot, rules, observedAt };
}

function deletedVerdicts(entry: BaselineEntry, context: EventContext, rules: readonly AnyRule[]): Verdict[] {
  const { observedAt: _ignored, ...carried } = context;
  return Object.entries(entry.rules)
    .filter(([, state]) => isBad(state.status))
    .map(([key, state]) => {
      const rule = rules.find((candidate) => candidate.id === key.replace(/#pending$/, ''));
      return { key, state, rule };
    })
    .map(({ key, state, rule }) => ({
      ruleId: key.replace(/#pending$/, ''),
      title: rule?.title ?? '',
      severity: rule?.severity ?? 'INFO',
      status: 'NOT_APPLICABLE',
      reason: `${entry.arn} was deleted, so its earlier finding (${state.reason.replace(/\.$/, '')}) no longer applies.`,
      resourceArn: entry.arn,
      resourceType: entry.snapshot.kind,
      resource: entry.arn,
      accountId: entry.snapshot.accountId,
      region: entry.snapshot.region,
      runbook: runbookPath(key.replace(/#pending$/, '')),
      change: 'resolved',
      ...carried,
      before: state.observed ?? null,
      after: null,
    }));
}

/** A read that failed: the drift reader lists deleted resources apart (ReadResult.gone). */
function problemVerdict(problem: CollectionError, context: EventContext, where: Place): Verdict {
  const { observedAt: _ignored, ...carried } = context;
  return {
    ...unreadable(problem, where, context.eventName, problem.read ? notEvaluated(problem) : undefined),
    change: 'new',
    ...carried,
    before: null,
    after: null,
  };
}

// ─── Reading the baseline once per event ────────────────────────────────────────────────

async function loadPrevious(
  baseline: BaselineStore,
  targets: readonly Target[],
): Promise<{ entries: Map<string, BaselineEntry>; state: PreviousState }> {
  const entries = new Map<string, BaselineEntry>();
  const broad = targets.some((target) =>
    ['rest-stages', 'v2-routes', 'web-acl', 'log-group', 'trail', 'iam-role'].includes(target.kind),
  );
  if (broad) {
    for (const entry of await baseline.list()) entries.set(entry.arn, entry);
  } else {
    for (const arn of targets.flatMap((target) => {
      const resource = judgedResource(target);
      return resource === undefined ? [] : arnsWithApi(resource);
    })) {
      const entry = await baseline.get(arn);
      if (entry) entries.set(arn, entry);
    }
  }
  const live = () => [...entries.values()].filter((entry) => !entry.deleted).map((entry) => entry.snapshot);
  return {
    entries,
    state: {
      snapshot: (arn) => {
        const entry = entries.get(arn);
        return entry && !entry.deleted ? entry.snapshot : undefined;
      },
      stagesWithWebAcl: (webAclArn) =>
        live().filter((s): s is RestStageSnapshot => s.kind === 'rest-stage' && s.webAclArn === webAclArn),
      stagesLoggingTo: (logGroupArn) =>
        live().filter(
          (s) =>
            (s.kind === 'rest-stage' || s.kind === 'v2-stage') &&
            s.accessLog !== null &&
            logGroupKey(s.accessLog.destinationArn) === logGroupKey(logGroupArn),
        ),
      accounts: () => live().filter((s): s is AccountSnapshot => s.kind === 'account'),
    },
  };
}

// ─── Small helpers ──────────────────────────────────────────────────────────────────────

function unique(targets: readonly Target[]): Target[] {
  const seen = new Set<string>();
  return targets.filter((target) => {
    const key = targetKey(target);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A low-cardinality metric dimension from an ignore reason ("failed call (AccessDenied)" → "failed call"). */
const reasonDimension = (reason: string) => reason.replace(/\s*\(.*$/, '').slice(0, 40);

function recordMetrics(news: readonly Verdict[], latencyMs: number, metrics: Metrics): void {
  metrics.add(metricNames.detectionLatency, latencyMs, 'Milliseconds');
  recordNews(news, metrics);
}

/** DriftDetected, DriftResolved and EvaluationErrors for the news of one event (or one sweep). */
export function recordNews(news: readonly Verdict[], metrics: Metrics): void {
  for (const verdict of news) {
    if (verdict.status === 'NON_COMPLIANT') {
      metrics.add(metricNames.driftDetected, 1, 'Count', {
        ruleId: verdict.ruleId,
        severity: verdict.severity,
      });
    } else if (verdict.status === 'ERROR') {
      metrics.add(metricNames.evaluationErrors, 1, 'Count', { ruleId: verdict.ruleId });
    } else {
      metrics.add(metricNames.driftResolved, 1, 'Count', { ruleId: verdict.ruleId });
    }
  }
}
