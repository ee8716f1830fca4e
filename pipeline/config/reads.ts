// What the evaluator reads beyond the invocation, each read shared through the ReadCache:
// a resource afresh (the drift path's LiveReader, as for a CloudTrail event), every resource
// of a region the rule reads (the scan's collector, for periodic runs), and an oversized configuration item.

import { isTransientError, type RegionClients } from '../../aws/clients';
import type { ConfigApi } from '../../aws/config/api';
import { collectRegion } from '../../aws/read/collect';
import { LiveReader, type SharedReads } from '../../aws/read/live';
import { type Normalised, normaliseRegion } from '../../aws/read/normalise';
import type { ReadPlan } from '../../aws/read/plan';
import type { PreviousState, ReadResult } from '../../aws/read/reader';
import type { ConfigurationItem } from '../../events/config-invocation';
import { type Target, targetKey } from '../../events/targets';
import { v2ApiArn } from '../../model/identity';
import type { Snapshot } from '../../rules/core/resources';
import type { ReadCache } from './cache';

/** The evaluator knows no previous state: every read is a full one. */
const nothingKnown: PreviousState = {
  snapshot: () => undefined,
  stagesWithWebAcl: () => [],
  stagesLoggingTo: () => [],
};

/** What of a region to read: the reads of the rules judged, and days of invocation metrics. */
export interface RegionScope {
  readonly metricsDays: number;
  readonly plan: ReadPlan;
}

export interface ResourceReads {
  /**
   * The resources a target names, read afresh; `why.notRecorded`: the snapshot fields the rule
   * needed that the configuration item does not carry (an item's rule reads live only for them).
   */
  live(target: Target, why?: { readonly notRecorded: readonly string[] }): Promise<ReadResult>;
  /**
   * The resources of the region the `plan` reads (aws/read/plan.ts), normalised; invocation
   * counts over `metricsDays` (0: none).
   */
  region(region: string, scope: RegionScope): Promise<Normalised>;
  /** The protocol of an HTTP/WebSocket API, when a read in this environment has seen it. */
  protocolOf(apiArn: string): 'HTTP' | 'WEBSOCKET' | undefined;
  /** An oversized item, from the configuration history. */
  historyItem(
    resourceType: string,
    resourceId: string,
    captureTime: string,
  ): Promise<ConfigurationItem | undefined>;
}

/**
 * Whether an API speaks HTTP or WebSocket is fixed when it is created, and Config's stage and
 * route items do not say: once a read has seen it, it is known for the environment's life.
 */
export class ApiProtocols {
  private readonly protocols = new Map<string, 'HTTP' | 'WEBSOCKET'>();

  of(apiArn: string): 'HTTP' | 'WEBSOCKET' | undefined {
    return this.protocols.get(apiArn);
  }

  remember(snapshots: readonly Snapshot[]): void {
    for (const snapshot of snapshots) {
      if (snapshot.kind === 'v2-api' || snapshot.kind === 'v2-stage' || snapshot.kind === 'v2-route') {
        this.protocols.set(v2ApiArn(snapshot.region, snapshot.apiId), snapshot.protocol);
      }
    }
  }
}

export class CachedReads implements ResourceReads {
  constructor(
    private readonly access: (region: string) => RegionClients,
    private readonly accountId: string,
    private readonly config: ConfigApi,
    private readonly cache: ReadCache,
    private readonly protocols: ApiProtocols = new ApiProtocols(),
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * A target's read, shared by the invocations that read the same target; the calls that several
   * targets make alike are shared too (the account settings: each account rule reads its own part
   * of the logging path beside them).
   */
  live(target: Target): Promise<ReadResult> {
    return this.cache.get(`live:${this.accountId}:${targetKey(target)}`, async () => {
      const shared: SharedReads = (key, read) => this.cache.get(`call:${this.accountId}:${key}`, read);
      const read = await new LiveReader(this.access, this.accountId, shared).read(target, nothingKnown);
      this.protocols.remember(read.snapshots);
      return read;
    });
  }

  protocolOf(apiArn: string) {
    return this.protocols.of(apiArn);
  }

  region(region: string, { metricsDays, plan }: RegionScope): Promise<Normalised> {
    const reads = [...plan].sort().join(',');
    return this.cache.get(`region:${this.accountId}:${region}:${metricsDays}:${reads}`, async () => {
      const clients = this.access(region);
      // Throttling and AWS failures are thrown, so Lambda retries the periodic run instead of
      // AWS Config being told the region could not be evaluated.
      const inventory = await collectRegion(clients, this.accountId, region, {
        metricsDays,
        plan,
        now: this.now,
        rethrow: isTransientError,
      });
      const normalised = normaliseRegion(inventory);
      this.protocols.remember([...normalised.estate.v2Apis]);
      return normalised;
    });
  }

  historyItem(resourceType: string, resourceId: string, captureTime: string) {
    return this.cache.get(`history:${resourceType}:${resourceId}:${captureTime}`, () =>
      this.config.historyItem(resourceType, resourceId, captureTime),
    );
  }
}
