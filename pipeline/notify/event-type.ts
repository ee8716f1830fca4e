// What kind of news a verdict is, from its status, its change and what the remediator did.
// Subscribers filter on it (the `eventType` message attribute) and every message leads with it.
//
// The contract with the remediator (pipeline/remediate), which fills `verdict.remediation`
// {action, calls, result} — `result` is sentences written for the person reading the message:
//   `planned`   dry-run: the calls it would make, nothing changed        → drift
//   `applied`   the calls were made and succeeded                         → remediated
//   `failed`    a call (or a read before it) failed                       → remediation-failed
//   `escalated` the per-resource rate limit was reached: a person must look → remediation-skipped
//   `skipped`   a guard stopped it                                        → remediation-skipped,
//               or drift when the rule simply is not set to remediate (notify only)
// An optional `guard` names the guard; without it, the guard is read from the result's words.
// An exemption that expired is its own news (exemption-expired): the result says so.

import type { Verdict } from '../../model/verdict';
import { type Severity, severities } from '../../rules/core/rule';

export const eventTypes = [
  'drift',
  'resolved',
  'remediated',
  'remediation-failed',
  'remediation-skipped',
  'exemption-expired',
  'could-not-evaluate',
] as const;
export type EventType = (typeof eventTypes)[number];

/** The remediation block as the notifier reads it: the remediator may add a guard. */
export interface RemediationNote {
  readonly action: string;
  readonly calls: readonly string[];
  readonly result: string;
  /** Which guard stopped it, when the remediator says (see guardOf). */
  readonly guard?: string;
}

export const remediationOf = (verdict: Verdict): RemediationNote | undefined =>
  verdict.remediation as RemediationNote | undefined;

export function eventTypeOf(verdict: Verdict): EventType {
  if (verdict.status === 'ERROR') return 'could-not-evaluate';
  if (verdict.change === 'resolved' || verdict.status !== 'NON_COMPLIANT') return 'resolved';
  const remediation = remediationOf(verdict);
  if (!remediation) return 'drift';
  if (exemptionExpired(remediation)) return 'exemption-expired';
  switch (firstDeliveryAction(remediation) ?? remediation.action.toLowerCase()) {
    case 'applied':
      return 'remediated';
    case 'failed':
      return 'remediation-failed';
    case 'escalated':
      return 'remediation-skipped';
    case 'skipped':
      return guardOf(remediation) === 'notify-only' ? 'drift' : 'remediation-skipped';
    default:
      return 'drift';
  }
}

/**
 * An event delivered twice (at-least-once delivery, a retry): the remediator did nothing the
 * second time and says what the first delivery did. That is the news, so the second copy is the
 * same message as the first — deduplicated, or announced if the first never went out — and not
 * a "not remediated" that would contradict it.
 */
function firstDeliveryAction(remediation: RemediationNote): string | undefined {
  const redelivered =
    remediation.action.toLowerCase() === 'skipped' && guardOf(remediation) === 'already-handled';
  if (!redelivered) return undefined;
  return FIRST_DELIVERY.exec(remediation.result)?.[1];
}

const FIRST_DELIVERY = /\bThe first delivery was (planned|applied|failed|skipped|escalated)\b/;

const exemptionExpired = (remediation: RemediationNote) =>
  remediation.guard === 'exemption-expired' || /\bexemption\b.{0,400}?\bexpired\b/i.test(remediation.result);

/** The remediator's words for each guard, most specific first. */
const guardWords: readonly (readonly [string, RegExp])[] = [
  ['trusted-principal', /\btrusted principal\b/i],
  ['own-change', /\bgatewatch's own role\b/i],
  ['iac', /\bIaC drift\b|\bthrough CloudFormation\b/i],
  ['exemption', /\bis exempt from\b/i],
  ['opt-out', /\bis tagged\b/i],
  ['already-handled', /\balready handled\b/i],
  ['recheck', /\bno longer (?:non-compliant|exists)\b|\bcould not be judged again\b/i],
  [
    'notify-only',
    /\bnot switched on\b|\bdeclares no remediation\b|\bno remediation is implemented\b|\bnotify only\b/i,
  ],
];

/** Which guard stopped a remediation: `iac`, `exemption`, `opt-out`, `rate-limit`, `notify-only`…; null when none did. */
export function guardOf(remediation: RemediationNote): string | null {
  if (remediation.guard) return remediation.guard;
  const action = remediation.action.toLowerCase();
  if (action === 'escalated') return 'rate-limit';
  if (action !== 'skipped') return null;
  return guardWords.find(([, words]) => words.test(remediation.result))?.[0] ?? 'other';
}

/** Whether the verdict is a resource left non-compliant after gatewatch did what it does. */
export function leftNonCompliant(verdict: Verdict): boolean {
  const type = eventTypeOf(verdict);
  return (
    verdict.status === 'NON_COMPLIANT' && !verdict.pending && type !== 'remediated' && type !== 'resolved'
  );
}

/** CRITICAL first. */
export const bySeverity = (a: Severity, b: Severity) => severities.indexOf(a) - severities.indexOf(b);

export const highestSeverity = (values: readonly Severity[]): Severity =>
  [...values].sort(bySeverity)[0] ?? 'INFO';
