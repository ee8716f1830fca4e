// The remediator: a VerdictSink between judging and notifying. For each verdict of a resource
// turning non-compliant it runs the guards (guards.ts), reads the resource again and judges it
// once more, asks the rule's own plan for the exact calls and makes them (aws/write) unless the
// settings say dry-run.
// Every verdict it acted on, planned for or stopped at a guard carries `remediation`
// {action, calls, result}, is written to the audit log, and goes on to the next sink (the
// notifications) — a failed remediation included: never silence. A verdict is a message from
// outside: what it names is read again from AWS, what is put back comes from the baseline table
// alone, and a message whose values disagree with the table changes nothing (known-good.ts).

import { classifyError } from '../../aws/clients';
import type { PreviousState, ReadResult, TargetReader } from '../../aws/read/reader';
import { makeCall, type WriteClients } from '../../aws/write/commands';
import type { Target } from '../../events/targets';
import { apiArnOf, parseArn } from '../../model/identity';
import { claimKey, type RemediationOutcome, type RemediationStore } from '../../model/ledger';
import type { BaselineStore, KnownGoodStore } from '../../model/stores';
import type { Verdict, VerdictSink } from '../../model/verdict';
import type { Logger } from '../../observe/log';
import { type Metrics, metricNames } from '../../observe/metrics';
import { redactText } from '../../observe/redact';
import { judge, parseParameters } from '../../rules/core/judge';
import { callName, type PlannedCall } from '../../rules/core/remediation-calls';
import type { AccountSnapshot, RestStageSnapshot, Snapshot } from '../../rules/core/resources';
import { describeResource, kindCovers } from '../../rules/core/resources';
import type { AnyRule, Plan, PlanReads, ResourceIds } from '../../rules/core/rule';
import { plural, sentence } from '../../rules/core/text';
import { findRule } from '../../rules/index';
import type { Settings } from '../../settings/schema';
import {
  exemptionGuard,
  type GuardResult,
  iacGuard,
  idempotencyGuard,
  loopGuard,
  modeGuard,
  optOutGuard,
  rateLimitGuard,
  remediable,
  stillNonCompliantGuard,
} from './guards';
import { knownGoodFromTable } from './known-good';

export interface RemediatorDependencies {
  readonly settings: Settings;
  /** Reads resources again just before acting (LiveReader in AWS, InventoryReader in replay). */
  readonly reader: TargetReader;
  /** What gatewatch last knew: previous snapshots for the reads, and the known good state in-process. */
  readonly baseline?: Pick<BaselineStore, 'get'>;
  /** The known good states the drift path kept in the table; without it, only the baseline entry is read. */
  readonly knownGood?: Pick<KnownGoodStore, 'get'>;
  readonly store: RemediationStore;
  readonly resourceIds: ResourceIds;
  /** The clients writes go through; without them nothing is ever changed (plans only). */
  readonly write?: {
    /** Paced clients (aws/clients.ts). */
    readonly clients: (region: string) => WriteClients;
  };
  /** Why writes cannot be made here at all, whatever the settings say (a saved inventory is read). */
  readonly planOnly?: string;
  /** gatewatch's own role: changes it made are never remediated again. */
  readonly ownRoleArn?: string;
  /** The CloudWatch Logs role gatewatch deploys for API Gateway. */
  readonly cloudwatchRoleArn?: string;
  readonly next: VerdictSink;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly now: () => Date;
}

type Outcome = RemediationOutcome;

const outcome = (action: Outcome['action'], result: string, calls: readonly string[] = []): Outcome => ({
  action,
  calls,
  result,
});
const stopped = (guard: Extract<GuardResult, { allow: false }>, notes: readonly string[] = []) =>
  outcome(guard.action, [guard.reason, ...notes].join(' '));

export class Remediator implements VerdictSink {
  /** Each verdict handed in, with the verdict handed on (for `gatewatch replay`'s report). */
  readonly annotated = new Map<Verdict, Verdict>();

  constructor(private readonly deps: RemediatorDependencies) {}

  async handle(verdicts: readonly Verdict[]): Promise<void> {
    const out: Verdict[] = [];
    for (const verdict of verdicts) {
      const result = await this.remediate(verdict);
      this.annotated.set(verdict, result);
      out.push(result);
    }
    await this.deps.next.handle(out);
  }

  /** The verdict as the notifications get it: annotated when remediation had something to say. */
  async remediate(verdict: Verdict): Promise<Verdict> {
    const { knownGood: _carried, ...rest } = verdict;
    const rule = findRule(verdict.ruleId);
    if (!remediable(verdict) || !rule?.remediation) return rest;
    let result: Outcome;
    try {
      result = await this.decide(verdict, rule);
    } catch (error) {
      // A fault before any change (a store or a read that failed after retries) is reported
      // as a failed remediation too; the verdict still reaches the notifications.
      const { code, message } = classifyError(error);
      result = outcome(
        'failed',
        `gatewatch could not finish remediating: ${code}: ${redactText(message).replace(/\.$/, '')}. Nothing was changed.`,
      );
    }
    this.audit(verdict, result);
    return { ...rest, remediation: result };
  }

  private async decide(verdict: Verdict, rule: AnyRule): Promise<Outcome> {
    const { settings, now } = this.deps;
    const remediation = rule.remediation;
    if (!remediation) return outcome('skipped', `Rule ${rule.id} declares no remediation; notify only.`);

    const region = regionOfArn(verdict.resourceArn);
    if (region !== undefined && region !== verdict.region) {
      this.rejected('region');
      return outcome(
        'skipped',
        `The message names region ${verdict.region} for ${verdict.resourceArn}, which is in ${region || 'no region'}; the message is not trusted and nothing was changed.`,
      );
    }
    const notes: string[] = [];
    // Exemptions first, so an expired one is reported whatever stops the remediation next.
    for (const guard of [
      exemptionGuard(settings.exemptions, rule.id, verdict.resourceArn, now()),
      modeGuard(settings, rule),
      loopGuard(verdict, this.deps.ownRoleArn, settings.remediation.trustedPrincipals),
      iacGuard(verdict),
    ]) {
      if (!guard.allow) return stopped(guard, notes);
      notes.push(...(guard.notes ?? []));
    }

    // What is put back comes from the table; the message's hint (and actor) must agree with it.
    const table =
      remediation.kind === 'restore' || verdict.knownGood
        ? await knownGoodFromTable(verdict, {
            ...(this.deps.baseline ? { baseline: this.deps.baseline } : {}),
            ...(this.deps.knownGood ? { records: this.deps.knownGood } : {}),
          })
        : { agrees: true as const };
    if (!table.agrees) {
      this.rejected(table.problem);
      return outcome('skipped', joinNotes([table.reason, ...notes]));
    }

    const windowStart = new Date(now().getTime() - settings.remediation.windowMinutes * 60_000);
    const recent = await this.deps.store.actionsSince(rule.id, verdict.resourceArn, windowStart);
    const limited = rateLimitGuard(recent, settings.remediation, rule.id, verdict.resourceArn);
    if (!limited.allow) return stopped(limited, notes);

    // Read again and judge again: the event is a trigger, not the truth.
    const fresh = await this.readAgain(verdict, remediation.reads ?? {});
    if ('stop' in fresh) return fresh.stop;
    const optOut = optOutGuard(settings.optOutTagKey, rule.id, fresh.tagged);
    if (!optOut.allow) return stopped(optOut, notes);
    const rawParameters = settings.rules[rule.id]?.parameters;
    const finding = judge(rule, fresh.snapshot, rawParameters);
    const still = stillNonCompliantGuard(finding.status, finding.reason);
    if (!still.allow) return stopped(still, notes);

    // The plan is typed for the snapshots its rule judges; a message naming another kind gets none.
    if (!kindCovers(rule.resource, fresh.snapshot)) {
      throw new Error(`expected a ${rule.resource} snapshot, got ${fresh.snapshot.kind}`);
    }
    // The known good state of this same resource: a snapshot of the kind the plan is typed for.
    const known = 'knownGood' in table ? (table.knownGood?.snapshot as Snapshot | undefined) : undefined;
    const knownGood = known?.kind === fresh.snapshot.kind ? known : undefined;
    const plan: Plan = await remediation.plan(fresh.snapshot, parseParameters(rule, rawParameters), {
      finding,
      ...(knownGood ? { knownGood } : {}),
      ...(fresh.account ? { account: fresh.account } : {}),
      ...(fresh.stages ? { stages: fresh.stages, undeployed: fresh.undeployed } : {}),
      ...(this.deps.cloudwatchRoleArn ? { cloudwatchRoleArn: this.deps.cloudwatchRoleArn } : {}),
      resourceIds: this.deps.resourceIds,
    });
    if (plan.kind === 'refused') return outcome('skipped', joinNotes([plan.reason, ...notes]));
    this.assertDeclared(rule, plan);

    const claim = await this.deps.store.claim(claimKey(verdict), now());
    const once = idempotencyGuard(claim.first, verdict.eventId);
    if (!once.allow) {
      const earlier = claim.first ? undefined : claim.outcome;
      return outcome(
        'skipped',
        earlier ? `${once.reason} The first delivery was ${earlier.action}: ${earlier.result}` : once.reason,
        earlier?.calls ?? [],
      );
    }
    const result = await this.carryOut(verdict, rule, plan, notes);
    try {
      await this.deps.store.complete(claimKey(verdict), result, now());
    } catch (error) {
      // The calls were made: the verdict must say so. A redelivery finds the claim, without its
      // outcome, and does nothing more.
      this.deps.log.log('warn', 'remediation outcome not recorded', {
        ruleId: rule.id,
        resourceArn: verdict.resourceArn,
        eventId: verdict.eventId,
        action: result.action,
        code: classifyError(error).code,
      });
    }
    return result;
  }

  /** Plans are reported in dry-run; otherwise the calls are made in order, stopping at the first failure. */
  private async carryOut(
    verdict: Verdict,
    rule: AnyRule,
    plan: Extract<Plan, { kind: 'calls' }>,
    notes: readonly string[],
  ): Promise<Outcome> {
    const lines = plan.calls.map(callLine);
    const allNotes = [...plan.notes, ...notes];
    const { write, planOnly, settings, now } = this.deps;
    if (planOnly || settings.dryRun || !write) {
      const why = planOnly ?? (settings.dryRun ? 'dry-run (settings.dryRun is true)' : 'no AWS clients here');
      return outcome(
        'planned',
        joinNotes([
          `Planned, not applied: ${why}. ${plural(plan.calls.length, 'call')} would be made.`,
          ...allNotes,
        ]),
        lines,
      );
    }
    await this.deps.store.recordAction(
      rule.id,
      verdict.resourceArn,
      now(),
      settings.remediation.windowMinutes,
    );
    const clients = write.clients(verdict.region);
    let made = 0;
    for (const call of plan.calls) {
      try {
        await makeCall(call, clients);
        made += 1;
      } catch (error) {
        const { code, message } = classifyError(error);
        return outcome(
          'failed',
          joinNotes([
            `${callName(call)} failed (${code}: ${redactText(message).replace(/\.$/, '')}) after ${made} of ${plural(plan.calls.length, 'call')} succeeded; ` +
              `${sentence(verdict.resource)} is still non-compliant and needs a person.`,
            ...allNotes,
          ]),
          lines,
        );
      }
    }
    return outcome(
      'applied',
      joinNotes([
        `Applied: ${plural(made, 'call')} made; ${verdict.resource} should now comply with ${rule.id}.`,
        ...allNotes,
      ]),
      lines,
    );
  }

  /** The resource (and what its plan needs) read afresh, or why the remediation stops here. */
  private async readAgain(
    verdict: Verdict,
    reads: PlanReads,
  ): Promise<
    | { stop: Outcome }
    | {
        snapshot: Snapshot;
        tagged: { what: string; tags: Snapshot['tags'] }[];
        account?: AccountSnapshot;
        stages?: readonly RestStageSnapshot[];
        undeployed: readonly string[];
      }
  > {
    const target = targetOf(verdict, reads.apiStages === true);
    if (!target)
      return { stop: outcome('skipped', `gatewatch cannot read ${verdict.resourceArn} again to act on it.`) };
    const apiArn = apiArnOf(verdict.resourceArn);
    const previous = await this.previousState([verdict.resourceArn, ...(apiArn ? [apiArn] : [])]);
    const read = await this.deps.reader.read(target, previous);
    if (read.gone.includes(verdict.resourceArn)) {
      return { stop: outcome('skipped', `${verdict.resource} no longer exists; nothing to remediate.`) };
    }
    const snapshot = read.snapshots.find((candidate) => candidate.arn === verdict.resourceArn);
    if (!snapshot) return { stop: outcome('failed', couldNotRead(verdict, read)) };

    const tagged = [{ what: sentence(describeResource(snapshot)), tags: snapshot.tags }];
    if (apiArn && apiArn !== snapshot.arn && snapshot.kind !== 'v2-route') {
      const api = await this.apiOf(apiArn, snapshot, read, previous);
      if (api)
        tagged.push({
          what: `Its API ${api.kind === 'rest-api' || api.kind === 'v2-api' ? api.name : api.arn}`,
          tags: api.tags,
        });
    }
    let account: AccountSnapshot | undefined;
    if (reads.account) {
      const accountRead = await this.deps.reader.read({ kind: 'account', region: verdict.region }, previous);
      account = accountRead.snapshots.find((s): s is AccountSnapshot => s.kind === 'account');
    }
    const stages =
      target.kind === 'rest-stages'
        ? read.snapshots.filter((s): s is RestStageSnapshot => s.kind === 'rest-stage')
        : undefined;
    return {
      snapshot,
      tagged,
      ...(account ? { account } : {}),
      ...(stages ? { stages } : {}),
      undeployed: read.pending.map((stage) => stage.arn),
    };
  }

  /** The API of a stage, for its opt-out tag: from the same read, else read (it is small). */
  private async apiOf(apiArn: string, snapshot: Snapshot, read: ReadResult, previous: PreviousState) {
    const inRead = read.snapshots.find((candidate) => candidate.arn === apiArn);
    if (inRead) return inRead;
    const apiId = /\/(?:restapis|apis)\/([^/]+)/.exec(apiArn)?.[1];
    if (!apiId) return undefined;
    const target: Target =
      snapshot.kind === 'rest-stage'
        ? { kind: 'rest-api', region: snapshot.region, apiId }
        : { kind: 'v2-api', region: snapshot.region, apiId };
    const apiRead = await this.deps.reader.read(target, previous);
    return apiRead.snapshots.find((candidate) => candidate.arn === apiArn);
  }

  /** What the baseline knows of these resources, so a read reuses what cannot have changed. */
  private async previousState(arns: readonly string[]): Promise<PreviousState> {
    const known = new Map<string, Snapshot>();
    for (const arn of arns) {
      const entry = await this.deps.baseline?.get(arn);
      if (entry && !entry.deleted) known.set(arn, entry.snapshot);
    }
    return {
      snapshot: (arn) => known.get(arn),
      stagesWithWebAcl: () => [],
      stagesLoggingTo: () => [],
    };
  }

  /** A message that disagrees with what gatewatch knows: counted, as input that cannot mean what it says. */
  private rejected(problem: string): void {
    this.deps.metrics.add(metricNames.inputRejected, 1, 'Count', { input: `verdict message: ${problem}` });
  }

  /** A plan issues only what its rule declares: a bug here must never reach AWS. */
  private assertDeclared(rule: AnyRule, plan: Extract<Plan, { kind: 'calls' }>): void {
    const declared = new Set((rule.remediation?.calls ?? []).map((call) => callName(call)));
    const undeclared = plan.calls.filter((call) => !declared.has(callName(call)));
    if (undeclared.length > 0) {
      throw new Error(
        `the plan of ${rule.id} makes undeclared calls: ${undeclared.map((c) => callName(c)).join(', ')}`,
      );
    }
  }

  /** One structured audit line per decision: rule, resource, actor, before, after, action, calls, result. */
  private audit(verdict: Verdict, result: Outcome): void {
    const level = result.action === 'failed' ? 'error' : result.action === 'escalated' ? 'warn' : 'info';
    this.deps.log.log(level, 'remediation', {
      ruleId: verdict.ruleId,
      resourceArn: verdict.resourceArn,
      resource: verdict.resource,
      eventId: verdict.eventId,
      eventName: verdict.eventName,
      actor: verdict.actor,
      before: verdict.before,
      after: verdict.after,
      action: result.action,
      calls: result.calls,
      result: result.result,
      dryRun: this.deps.settings.dryRun,
    });
    this.deps.metrics.add(metricNames.remediationResult, 1, 'Count', { result: result.action });
  }
}

// ─── Which target to read again ─────────────────────────────────────────────────────────

/** The target that reads the verdict's resource; a REST API's every stage when the plan deploys. */
export function targetOf(
  verdict: Pick<Verdict, 'resourceArn' | 'resourceType' | 'region'>,
  apiStages: boolean,
): Target | undefined {
  const { region } = verdict;
  const identity = parseArn(verdict.resourceArn)?.identity;
  if (identity === undefined) return undefined;
  switch (identity.kind) {
    case 'rest-stage':
    case 'rest-api':
      return apiStages ? { kind: 'rest-stages', region, apiId: identity.apiId } : { ...identity, region };
    case 'account':
      // The role is read afresh: account-cloudwatch-role judges whether it exists and trusts API Gateway.
      return { kind: 'account', region, reads: 'cloudwatch-role' };
    default:
      return { ...identity, region };
  }
}

/** The region an API Gateway ARN names (empty for a global one), or undefined for another ARN. */
function regionOfArn(arn: string): string | undefined {
  return /^arn:[^:]+:apigateway:([^:]*):/.exec(arn)?.[1];
}

// ─── Wording ────────────────────────────────────────────────────────────────────────────

/** The line a verdict carries for a call: `apigateway:UpdateStage stage prod of …`. */
const callLine = (call: PlannedCall) => `${callName(call)} ${call.describe}`;

const joinNotes = (parts: readonly string[]) => parts.filter(Boolean).join(' ');

function couldNotRead(verdict: Verdict, read: ReadResult): string {
  const problem = read.problems[0];
  const why = problem ? ` (${problem.operation}: ${problem.code})` : '';
  return `gatewatch could not read ${verdict.resource} again before acting${why}, so it changed nothing; the finding stands.`;
}
