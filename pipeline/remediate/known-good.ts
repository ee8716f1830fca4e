// The last known good state a `restore` remediation puts back: the baseline's snapshot of the
// resource, but only while the baseline's verdict for the rule was COMPLIANT. The drift path
// (and the sweep) read it just before they record the drifted state, and keep it in the
// baseline table as a known-good record of that rule, resource and event (KnownGoodStore);
// they attach it to the verdict message too, but only as a hint. The remediator reads the
// table itself (knownGoodFromTable): whatever a message carries must agree with the table, or
// nothing is written. A message can name a resource to look at again, never a value to write.
import { isDeepStrictEqual } from 'node:util';
import type {
  BaselineEntry,
  BaselineStore,
  KnownGood,
  KnownGoodRecord,
  KnownGoodStore,
} from '../../model/stores';
import type { Verdict } from '../../model/verdict';
import { findRule } from '../../rules/index';
import { remediable } from './guards';

/** The entry's snapshot when the rule last judged it compliant; otherwise nothing is known. */
export function knownGoodOf(entry: BaselineEntry | undefined, ruleId: string): KnownGood | undefined {
  if (!entry || entry.deleted) return undefined;
  if (entry.rules[ruleId]?.status !== 'COMPLIANT') return undefined;
  return { snapshot: entry.snapshot, observedAt: entry.observedAt };
}

export const needsKnownGood = (verdict: Verdict) =>
  remediable(verdict) && findRule(verdict.ruleId)?.remediation?.kind === 'restore';

/**
 * For each verdict a `restore` remediation may act on: keeps the known good state in `records`
 * (before the new state is stored over it) and attaches it to the verdict as a hint.
 */
export async function withKnownGood(
  verdicts: readonly Verdict[],
  baseline: Pick<BaselineStore, 'get'>,
  records?: Pick<KnownGoodStore, 'keep'>,
): Promise<Verdict[]> {
  const entries = new Map<string, BaselineEntry | undefined>();
  const out: Verdict[] = [];
  for (const verdict of verdicts) {
    if (!needsKnownGood(verdict)) {
      out.push(verdict);
      continue;
    }
    if (!entries.has(verdict.resourceArn)) {
      entries.set(verdict.resourceArn, await baseline.get(verdict.resourceArn));
    }
    const knownGood = knownGoodOf(entries.get(verdict.resourceArn), verdict.ruleId);
    if (!knownGood) {
      out.push(verdict);
      continue;
    }
    await records?.keep({
      ...knownGood,
      arn: verdict.resourceArn,
      ruleId: verdict.ruleId,
      eventId: verdict.eventId,
      actor: verdict.actor,
    });
    out.push({ ...verdict, knownGood });
  }
  return out;
}

/** Why a message was not trusted; the dimension of the metric that counts it. */
export type Disagreement = 'known-good-hint' | 'actor';

export type TableAnswer =
  | { readonly agrees: true; readonly knownGood?: KnownGood }
  | { readonly agrees: false; readonly problem: Disagreement; readonly reason: string };

/**
 * The known good state of the verdict's rule and resource, from the baseline table alone: the
 * record the drift path kept for this very event, or the entry while the rule is still
 * compliant there (the remediator ran before the drifted state was stored, or in-process), the
 * newer of the two. A hint in the message that is not that state, or an actor that is not the
 * one the record names, is a disagreement: nothing may be written on the message's word.
 */
export async function knownGoodFromTable(
  verdict: Pick<Verdict, 'resourceArn' | 'ruleId' | 'eventId' | 'actor' | 'knownGood' | 'resource'>,
  sources: { readonly baseline?: Pick<BaselineStore, 'get'>; readonly records?: Pick<KnownGoodStore, 'get'> },
): Promise<TableAnswer> {
  const fromEntry = knownGoodOf(await sources.baseline?.get(verdict.resourceArn), verdict.ruleId);
  const record = await sources.records?.get(verdict.resourceArn, verdict.ruleId);
  // A record left by another event is another drift's: this message cannot lean on it.
  const forThisEvent = record && record.eventId === verdict.eventId ? record : undefined;
  if (forThisEvent && forThisEvent.actor !== verdict.actor) {
    return {
      agrees: false,
      problem: 'actor',
      reason: `The message says ${verdict.actor} made the change, but gatewatch recorded ${forThisEvent.actor} for event ${verdict.eventId}; the message is not trusted and nothing was changed.`,
    };
  }
  const candidates = [fromEntry, forThisEvent].filter(
    (candidate): candidate is KnownGood =>
      candidate !== undefined && candidate.snapshot.arn === verdict.resourceArn,
  );
  const table = candidates.sort((a, b) => b.observedAt.localeCompare(a.observedAt))[0];
  const hint = verdict.knownGood;
  if (hint && !(table && sameState(hint, table))) {
    return {
      agrees: false,
      problem: 'known-good-hint',
      reason: table
        ? `The message's known good state of ${verdict.resource} is not the one gatewatch's baseline holds for event ${verdict.eventId}; the message is not trusted and nothing was changed.`
        : `The message carries a known good state of ${verdict.resource} that gatewatch's baseline does not hold for event ${verdict.eventId}; the message is not trusted and nothing was changed.`,
    };
  }
  return table
    ? { agrees: true, knownGood: { snapshot: table.snapshot, observedAt: table.observedAt } }
    : { agrees: true };
}

const sameState = (a: KnownGood, b: KnownGood) =>
  a.observedAt === b.observedAt && isDeepStrictEqual(a.snapshot, b.snapshot);

/** In memory, for replays and tests. */
export class MemoryKnownGoodStore implements KnownGoodStore {
  readonly records = new Map<string, KnownGoodRecord>();

  async get(arn: string, ruleId: string): Promise<KnownGoodRecord | undefined> {
    return this.records.get(`${arn}#${ruleId}`);
  }

  async keep(record: KnownGoodRecord): Promise<void> {
    const key = `${record.arn}#${record.ruleId}`;
    const held = this.records.get(key);
    if (held && held.observedAt > record.observedAt) return;
    this.records.set(key, record);
  }
}
