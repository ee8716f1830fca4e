// The last known good state a `restore` remediation puts back: the baseline's snapshot of the
// resource, but only while the baseline's verdict for the rule was COMPLIANT. The drift
// function attaches it to a verdict before it records the new state (after which the baseline
// holds the drifted resource), so the remediator never restores the drift itself.
import type { Snapshot } from '../../rules/core/resources';
import { findRule } from '../../rules/index';
import type { BaselineEntry, BaselineStore, Verdict } from '../drift/contracts';
import { remediable } from './guards';

export interface KnownGood {
  readonly snapshot: Snapshot;
  /** When that snapshot was read. */
  readonly observedAt: string;
}

/** The entry's snapshot when the rule last judged it compliant; otherwise nothing is known. */
export function knownGoodOf(entry: BaselineEntry | undefined, ruleId: string): KnownGood | undefined {
  if (!entry || entry.deleted) return undefined;
  if (entry.rules[ruleId]?.status !== 'COMPLIANT') return undefined;
  return { snapshot: entry.snapshot, observedAt: entry.observedAt };
}

const needsKnownGood = (verdict: Verdict) =>
  remediable(verdict) && findRule(verdict.ruleId)?.remediation?.kind === 'restore';

/** Attaches the known good state to each verdict a `restore` remediation may act on. */
export async function withKnownGood(
  verdicts: readonly Verdict[],
  baseline: Pick<BaselineStore, 'get'>,
): Promise<Verdict[]> {
  const entries = new Map<string, BaselineEntry | undefined>();
  const out: Verdict[] = [];
  for (const verdict of verdicts) {
    if (!needsKnownGood(verdict) || verdict.knownGood) {
      out.push(verdict);
      continue;
    }
    if (!entries.has(verdict.resourceArn)) {
      entries.set(verdict.resourceArn, await baseline.get(verdict.resourceArn));
    }
    const knownGood = knownGoodOf(entries.get(verdict.resourceArn), verdict.ruleId);
    out.push(knownGood ? { ...verdict, knownGood } : verdict);
  }
  return out;
}
