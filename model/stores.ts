// What gatewatch remembers between events: the baseline (last snapshot and verdicts per
// resource, and which events were handled) and the known-good states a `restore` puts back.
// The adapters are in aws/stores/.
import type { Snapshot } from '../rules/core/resources';
import type { Status } from '../rules/core/rule';

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

export interface KnownGood {
  readonly snapshot: Snapshot;
  /** When that snapshot was read. */
  readonly observedAt: string;
}

/** A known good state as the baseline table keeps it: for one rule and resource, left behind by one event. */
export interface KnownGoodRecord extends KnownGood {
  readonly arn: string;
  readonly ruleId: string;
  /** The event whose verdict turned the rule non-compliant, and who made that change. */
  readonly eventId: string;
  readonly actor: string;
}

/** Where known-good records live: the baseline table when deployed (aws/stores/known-good-dynamodb.ts). */
export interface KnownGoodStore {
  get(arn: string, ruleId: string): Promise<KnownGoodRecord | undefined>;
  /** Keeps the record unless the store holds one of a later good state. */
  keep(record: KnownGoodRecord): Promise<void>;
}
