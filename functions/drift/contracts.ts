// The seams of the drift path: how targets are read, where the last known state lives, and
// what a verdict carries. The Lambda handler, `gatewatch replay` and the tests plug different
// implementations into the same pipeline (functions/drift/pipeline.ts).
import type { Finding } from '../../rules/core/judge';
import type { AccountSnapshot, RestStageSnapshot, Snapshot } from '../../rules/core/resources';
import type { Status } from '../../rules/core/rule';
import type { Target } from '../events/targets';
import type { CollectionError } from '../inventory/schema';

/** What the baseline knew of resources before this event, for reads that can skip what cannot have changed. */
export interface PreviousState {
  snapshot(arn: string): Snapshot | undefined;
  /** Stages last seen with this web ACL attached. */
  stagesWithWebAcl(webAclArn: string): readonly RestStageSnapshot[];
  /** Stages (REST or HTTP/WebSocket) last seen writing access logs to this log group. */
  stagesLoggingTo(logGroupArn: string): readonly Snapshot[];
  /** The account settings last seen, one per region: where a trail or an IAM role event matters. */
  accounts?(): readonly AccountSnapshot[];
}

export interface ReadResult {
  /** The current state of every resource the target covers. */
  readonly snapshots: readonly Snapshot[];
  /** REST stages as they would be if the working copy were deployed now, where that differs (pending drift). */
  readonly pending: readonly RestStageSnapshot[];
  /** REST stages whose working copy was read and compared (pending or not); a stage not listed keeps its pending state. */
  readonly workingCopyCompared: readonly string[];
  /** ARNs of resources the target named that no longer exist. */
  readonly gone: readonly string[];
  /** Reads that failed; the resources they concern are reported as "could not evaluate". */
  readonly problems: readonly CollectionError[];
}

/** Reads a target afresh: from AWS (functions/drift/read-live.ts) or from a saved inventory (read-inventory.ts). */
export interface TargetReader {
  read(target: Target, previous: PreviousState): Promise<ReadResult>;
}

/** What gatewatch last knew of one resource. */
export interface BaselineEntry {
  readonly arn: string;
  readonly snapshot: Snapshot;
  /** The last verdict per rule. */
  readonly rules: Readonly<Record<string, RuleState>>;
  /** When the snapshot was read (ISO 8601): an older read never overwrites a newer one. */
  readonly observedAt: string;
  /** The resource was deleted. */
  readonly deleted?: boolean;
}

export interface RuleState {
  readonly status: Status | 'ERROR';
  readonly reason: string;
  readonly observed?: unknown;
  /** When the rule last changed status. */
  readonly since: string;
}

export interface BaselineStore {
  get(arn: string): Promise<BaselineEntry | undefined>;
  /** Stores the entry unless the store holds one observed later. */
  put(entry: BaselineEntry): Promise<void>;
  /** All entries, for lookups by web ACL or log group (a scan in DynamoDB; small in practice). */
  list(): Promise<readonly BaselineEntry[]>;
  /** Whether an event was handled already (a redelivery). */
  handled(eventId: string): Promise<boolean>;
  /**
   * Claims an event before acting on it, atomically: of concurrent deliveries of one event exactly
   * one gets `claimed`. A claim that is neither completed (`markHandled`) nor released expires
   * after `EVENT_CLAIM_MS`, so a delivery that died is judged on its retry.
   */
  claim(eventId: string, eventTime: string): Promise<EventClaim>;
  /** Records an event as handled, once its verdicts are stored: a failed attempt is retried, not skipped. */
  markHandled(eventId: string, eventTime: string): Promise<void>;
  /** Gives back a claim whose work failed, so the retry of the event is judged at once. */
  release(eventId: string, token: string): Promise<void>;
}

/**
 * `claimed`: this delivery judges the event; `handled`: a delivery did already; `in-progress`:
 * another delivery holds a live claim — it completes, or releases and is retried, or its claim
 * expires and its own redelivery judges the event.
 */
export type EventClaim =
  | { readonly kind: 'claimed'; readonly token: string }
  | { readonly kind: 'handled' }
  | { readonly kind: 'in-progress' };

/** How long a claim holds: past the longest a Lambda invocation may run (15 minutes). */
export const EVENT_CLAIM_MS = 16 * 60 * 1000;

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
   * attached by the drift function before it records the new state (functions/remediate/known-good.ts).
   */
  readonly knownGood?: { readonly snapshot: Snapshot; readonly observedAt: string };
}

/** Where verdicts go after judging: notification and remediation (later), logging for now. */
export interface VerdictSink {
  handle(verdicts: readonly Verdict[]): Promise<void>;
}
