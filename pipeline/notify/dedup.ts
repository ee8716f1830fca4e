// No alert fatigue: the same rule on the same resource in the same state is announced once
// within a window (a redelivered event, a stage flapping through the same values, a scan and an
// event agreeing). The last announcement per rule and resource is kept in a ledger — in memory
// for `gatewatch replay`, in the baseline table for the deployed notifier — which also lets a
// resolution name the drift it resolves.
import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Verdict } from '../../model/verdict';
import type { Resolves } from './document-schema';
import { type EventType, eventTypes } from './event-type';

/** The last announcement about one rule on one resource. */
export interface LedgerEntry {
  readonly state: string;
  readonly eventType: EventType;
  readonly notifiedAt: string;
  readonly eventId: string;
  readonly eventTime: string;
}

export interface NotificationLedger {
  /** The entries that exist among `keys`. */
  get(keys: readonly string[]): Promise<Map<string, LedgerEntry>>;
  put(key: string, entry: LedgerEntry): Promise<void>;
}

/**
 * Rule (pending findings apart), account and resource: API Gateway ARNs name no account, and an
 * organization's accounts share one ledger.
 */
export const ledgerKey = (verdict: Verdict) =>
  `${verdict.ruleId}${verdict.pending ? '#pending' : ''}|${verdict.accountId}|${verdict.resourceArn}`;

/**
 * The state announced: the kind of news, the status and the observed value, so a second method
 * opened on a stage already reported is news again, and the same facts are not.
 */
export const stateOf = (verdict: Verdict, eventType: EventType) =>
  [
    eventType,
    verdict.status,
    createHash('sha256')
      .update(JSON.stringify(verdict.after ?? null))
      .digest('hex')
      .slice(0, 16),
  ].join('|');

export type Decision =
  | { readonly announce: true; readonly resolves: Resolves | null }
  | { readonly announce: false; readonly reason: 'duplicate' };

/**
 * Decides, verdict by verdict in the order given, what to announce: a verdict is suppressed when
 * its rule and resource were last announced in the same state within the window. Decisions in
 * one batch see each other (two deliveries of one event in a batch make one message).
 */
export class Deduplicator {
  private readonly seen = new Map<string, LedgerEntry>();

  constructor(
    private readonly stored: ReadonlyMap<string, LedgerEntry>,
    private readonly windowMs: number,
    private readonly now: Date,
  ) {}

  decide(verdict: Verdict, eventType: EventType): Decision {
    const key = ledgerKey(verdict);
    const state = stateOf(verdict, eventType);
    const last = this.seen.get(key) ?? this.stored.get(key);
    if (
      last &&
      last.state === state &&
      this.windowMs > 0 &&
      this.now.getTime() - Date.parse(last.notifiedAt) < this.windowMs
    ) {
      return { announce: false, reason: 'duplicate' };
    }
    this.seen.set(key, this.entry(verdict, eventType));
    const resolves =
      eventType === 'resolved' && last && last.eventType !== 'resolved'
        ? { eventId: last.eventId, eventTime: last.eventTime, notifiedAt: last.notifiedAt }
        : null;
    return { announce: true, resolves };
  }

  entry(verdict: Verdict, eventType: EventType): LedgerEntry {
    return {
      state: stateOf(verdict, eventType),
      eventType,
      notifiedAt: this.now.toISOString(),
      eventId: verdict.eventId,
      eventTime: verdict.eventTime,
    };
  }
}

export class MemoryLedger implements NotificationLedger {
  readonly entries = new Map<string, LedgerEntry>();

  async get(keys: readonly string[]): Promise<Map<string, LedgerEntry>> {
    return new Map(
      keys.flatMap((key) => (this.entries.has(key) ? [[key, this.entries.get(key) as LedgerEntry]] : [])),
    );
  }

  async put(key: string, entry: LedgerEntry): Promise<void> {
    this.entries.set(key, entry);
  }
}

/** How long the last announcement is remembered: long enough for a resolution weeks later to name its drift. */
export const LEDGER_TTL_SECONDS = 90 * 24 * 3600;
const SORT_KEY = 'notified';

/** The ledger in the baseline table: one item per rule and resource, expiring through `expiresAt`. */
export class DynamoLedger implements NotificationLedger {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async get(keys: readonly string[]): Promise<Map<string, LedgerEntry>> {
    const found = await Promise.all(
      [...new Set(keys)].map(async (key) => {
        const { Item } = await this.documents.send(
          new GetCommand({
            TableName: this.tableName,
            Key: { pk: partitionKey(key), sk: SORT_KEY },
            ConsistentRead: true,
          }),
        );
        const entry = Item ? entryOf(Item) : undefined;
        return entry ? ([key, entry] as const) : undefined;
      }),
    );
    return new Map(found.filter((pair) => pair !== undefined));
  }

  async put(key: string, entry: LedgerEntry): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: partitionKey(key),
          sk: SORT_KEY,
          ...entry,
          expiresAt: Math.floor(Date.parse(entry.notifiedAt) / 1000) + LEDGER_TTL_SECONDS,
        },
      }),
    );
  }
}

const partitionKey = (key: string) => `notification#${key}`;

/** An item another version wrote, or a damaged one, counts as no entry: a message too many, never one too few. */
function entryOf(item: Record<string, unknown>): LedgerEntry | undefined {
  const { state, eventType, notifiedAt, eventId, eventTime } = item;
  if (
    typeof state !== 'string' ||
    typeof notifiedAt !== 'string' ||
    typeof eventId !== 'string' ||
    typeof eventTime !== 'string' ||
    !eventTypes.includes(eventType as EventType)
  ) {
    return undefined;
  }
  return { state, eventType: eventType as EventType, notifiedAt, eventId, eventTime };
}
