// One target's read in one region (aws/read/live.ts): the results so far, what was already
// fetched (each API, web ACL and log group once), how a failed call is told apart (gone, a
// problem, or thrown for the event to be retried) and how the responses are normalised.
import { logGroupKey } from '../../model/identity';
import type { RestStageSnapshot, Snapshot } from '../../rules/core/resources';
import {
  classifyError,
  failedOperation,
  isCredentialsError,
  isTransientError,
  type RegionClients,
} from '../clients';
import { CredentialsError } from './attempt';
import { type KnownServed, type Normalised, normalisePieces } from './normalise';
import type { Read } from './plan';
import type { PreviousState, ReadResult } from './reader';
import type { CollectionError } from './schema';

/**
 * A store of reads shared beyond one target's read (the Config evaluator's ReadCache): `read`
 * makes one AWS call and answers it unprocessed, so each read that shares it still records its
 * own problems. Keyed by region and what is read.
 */
export type SharedReads = <T>(key: string, read: () => Promise<T>) => Promise<T>;

type SnapshotKind = Snapshot['kind'];
type SnapshotOfKind<K extends SnapshotKind> = Extract<Snapshot, { kind: K }>;

/**
 * One target's read session (not to be confused with TargetReader, what reads targets). The
 * reads of each part are aws/read's shared ones (rest.ts, v2.ts, domains.ts, waf.ts, …); the
 * targets' modules (live-rest.ts, live-v2.ts, live-account.ts, live-waf-logs.ts) put them together.
 */
export class ReadSession {
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly pending = new Map<string, RestStageSnapshot>();
  private readonly compared = new Set<string>();
  private readonly gone = new Set<string>();
  private readonly problems: CollectionError[] = [];
  private readonly fetched = new Map<string, Promise<unknown>>();
  /** Web ACLs the event may have changed: read afresh, never taken from the previous state. */
  readonly freshWebAcls = new Set<string>();
  /** Log groups found deleted (by logGroupKey): the access logs written to them are marked. */
  readonly missingLogGroups = new Set<string>();

  constructor(
    readonly clients: RegionClients,
    readonly accountId: string,
    readonly region: string,
    readonly previous: PreviousState,
    private readonly shared?: SharedReads,
  ) {}

  result(): ReadResult {
    return {
      snapshots: [...this.snapshots.values()].map((snapshot) => this.markMissingDestination(snapshot)),
      pending: [...this.pending.values()].map((stage) => this.markMissingDestination(stage)),
      workingCopyCompared: [...this.compared],
      gone: [...this.gone],
      problems: this.problems,
    };
  }

  /** A read made once per session (by `key`), its answer shared by every resource that needs it. */
  once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let fetched = this.fetched.get(key) as Promise<T> | undefined;
    if (!fetched) {
      fetched = read();
      this.fetched.set(key, fetched);
    }
    return fetched;
  }

  /** A call whose answer other reads may share (`SharedReads`): the account settings. */
  sharedRead<T>(what: string, read: () => Promise<T>): Promise<T> {
    return this.shared ? this.shared(`${this.region} ${what}`, read) : read();
  }

  /** Validates the responses as an inventory of this region would be, and normalises them. */
  normalise(what: string, pieces: Record<string, unknown>, known?: KnownServed): Normalised {
    return normalisePieces(
      { accountId: this.accountId, region: this.region },
      pieces,
      `The responses for ${what}`,
      known,
    );
  }

  previousOf<K extends SnapshotKind>(arn: string, kind: K): SnapshotOfKind<K> | undefined {
    const snapshot = this.previous.snapshot(arn);
    return snapshot?.kind === kind ? (snapshot as SnapshotOfKind<K>) : undefined;
  }

  add(snapshot: Snapshot): void {
    this.snapshots.set(snapshot.arn, snapshot);
  }

  addPending(stage: RestStageSnapshot): void {
    this.pending.set(stage.arn, stage);
  }

  /** A REST stage whose working copy was read and compared with what it serves. */
  addCompared(stageArn: string): void {
    this.compared.add(stageArn);
  }

  /**
   * Runs one read. A NotFound error marks `goneArns` gone (null: it is a problem like any
   * other); other errors become problems about `resource`; refused credentials stop the read.
   */
  async attempt<T>(
    operation: string,
    resource: string,
    goneArns: readonly string[] | null,
    read: () => Promise<T>,
    /** The part of a resource this reads, when the resource is judged without it (aws/read/plan.ts). */
    part?: Read,
  ): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (isCredentialsError(error)) throw new CredentialsError((error as Error).message, { cause: error });
      // Still throttled or failing on AWS's side after the SDK's retries: throw, so the event
      // is retried later (then dead-lettered) instead of being recorded as handled.
      if (isTransientError(error)) throw error;
      const classified = classifyError(error);
      // A part found gone means its resource is: the read of the resource says so.
      if (classified.kind === 'gone' && part) throw error;
      if (classified.kind === 'gone' && goneArns) {
        for (const arn of goneArns) this.gone.add(arn);
        return undefined;
      }
      this.problems.push({
        operation: failedOperation(error) ?? operation,
        resource,
        ...classified,
        ...(part ? { read: part } : {}),
      });
      return undefined;
    }
  }

  private markMissingDestination<S extends Snapshot>(snapshot: S): S {
    if (snapshot.kind !== 'rest-stage' && snapshot.kind !== 'v2-stage') return snapshot;
    const { accessLog } = snapshot;
    if (!accessLog?.destinationArn || !this.missingLogGroups.has(logGroupKey(accessLog.destinationArn))) {
      return snapshot;
    }
    return { ...snapshot, accessLog: { ...accessLog, destinationMissing: true } };
  }
}
