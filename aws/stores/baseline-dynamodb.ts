// The baseline in DynamoDB (the deployed drift function). One item per resource, keyed by its
// ARN, holding the last snapshot and verdict per rule; one Powertools idempotency record per
// event (partition `idempotency#drift`), expiring after a week (long past EventBridge's and
// Lambda's redelivery windows): first a claim (a conditional put: one delivery of concurrent
// duplicates wins), then completed.
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type BaselineEntry, type BaselineStore, EVENT_CLAIM_MS, type EventClaim } from '../../model/stores';
import { IdempotentUnits, idempotencyPersistence } from './idempotency';

const STATE = 'state';

export class DynamoBaselineStore implements BaselineStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly events: IdempotentUnits;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.events = new IdempotentUnits(
      idempotencyPersistence(client, tableName, 'drift'),
      'drift',
      () => EVENT_CLAIM_MS,
    );
  }

  async get(arn: string): Promise<BaselineEntry | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: arn, sk: STATE }, ConsistentRead: true }),
    );
    return Item ? (JSON.parse(Item.entry as string) as BaselineEntry) : undefined;
  }

  async put(entry: BaselineEntry): Promise<void> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: entry.arn, sk: STATE, observedAt: entry.observedAt, entry: JSON.stringify(entry) },
          // Events may be handled out of order: never replace a newer read with an older one.
          ConditionExpression: 'attribute_not_exists(pk) OR observedAt <= :observedAt',
          ExpressionAttributeValues: { ':observedAt': entry.observedAt },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return;
      throw error;
    }
  }

  async list(): Promise<readonly BaselineEntry[]> {
    const entries: BaselineEntry[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'sk = :state',
          ExpressionAttributeValues: { ':state': STATE },
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) entries.push(JSON.parse(item.entry as string) as BaselineEntry);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return entries;
  }

  // An event's claim is a Powertools idempotency record (aws/stores/idempotency.ts), in progress
  // for EVENT_CLAIM_MS — past the longest invocation, so a live holder's claim is never taken
  // over and a release is always its holder's — and completed once the event is handled.
  handled(eventId: string): Promise<boolean> {
    return this.events.completed(eventId);
  }

  async claim(eventId: string, _eventTime: string): Promise<EventClaim> {
    const claim = await this.events.claim(eventId);
    if (claim === 'claimed') return { kind: 'claimed', token: randomUUID() };
    return claim === 'completed' ? { kind: 'handled' } : { kind: 'in-progress' };
  }

  markHandled(eventId: string, _eventTime: string): Promise<void> {
    return this.events.complete(eventId);
  }

  /**
   * Powertools deletes the record whoever holds it, so the token is not checked here; it need
   * not be, as no delivery takes a claim over while its holder can still release it.
   */
  release(eventId: string, _token: string): Promise<void> {
    return this.events.release(eventId);
  }
}
