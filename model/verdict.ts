// What a verdict carries: a finding of one rule on one resource, with the event that caused it
// and who made the change. The drift path makes them; sinks carry them to the remediator and
// notifications (pipeline/drift/detect.ts).
import type { Finding } from '../rules/core/judge';
import type { Snapshot } from '../rules/core/resources';

/** Who did it, from the CloudTrail record. */
export interface Actor {
  /** The principal's ARN (an assumed role's session ARN), or its type and id when there is none. */
  readonly principal: string;
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
  /** AWS services acting for a principal (e.g. `cloudformation.amazonaws.com`). */
  readonly invokedBy: string | null;
}

export type Change = 'new' | 'resolved' | 'unchanged';

export interface Verdict extends Finding {
  /** `new`: became non-compliant (or could not be evaluated); `resolved`: compliant again; `unchanged`: as before. */
  readonly change: Change;
  readonly eventName: string;
  readonly eventTime: string;
  readonly eventId: string;
  readonly eventSource: string;
  /** The principal ARN of whoever made the change. */
  readonly actor: string;
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
  readonly invokedBy: string | null;
  /** The rule's observed value before the event (from the baseline), or null when unknown. */
  readonly before: unknown;
  /** The rule's observed value now. */
  readonly after: unknown;
  /** Processing latency: event time to verdict, in milliseconds. */
  readonly latencyMs: number;
  /** Filled by the remediator when it acts or plans to. */
  readonly remediation?: {
    readonly action: string;
    readonly calls: readonly string[];
    readonly result: string;
  };
  /**
   * For a `restore` remediation: the last snapshot of the resource the rule judged compliant,
   * attached by the drift function before it records the new state (pipeline/remediate/known-good.ts).
   */
  readonly knownGood?: { readonly snapshot: Snapshot; readonly observedAt: string };
}

/** Where verdicts go after judging: the remediator's queue, notifications, a log, a test's list. */
export interface VerdictSink {
  handle(verdicts: readonly Verdict[]): Promise<void>;
}
