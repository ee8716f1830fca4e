// How a target is read afresh: from AWS (live.ts), from a saved inventory (from-inventory.ts) or
// in a member account (member-reader.ts). The drift path and the Config evaluator take any.

import type { Target } from '../../events/targets';
import type { AccountSnapshot, RestStageSnapshot, Snapshot } from '../../rules/core/resources';
import type { CollectionError } from './schema';

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

/** Reads a target afresh: from AWS (aws/read/live.ts) or from a saved inventory (from-inventory.ts). */
export interface TargetReader {
  read(target: Target, previous: PreviousState): Promise<ReadResult>;
}
