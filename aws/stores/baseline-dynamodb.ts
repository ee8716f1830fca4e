// The baseline in DynamoDB (the deployed drift function). One item per resource, keyed by its
// ARN, holding the last snapshot and verdict per rule; one item per handled event, expiring
// after a week (long past EventBridge's and Lambda's redelivery windows). An event's item is
// first a claim (a conditional put: one delivery of concurrent duplicates wins), then handled.
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { type BaselineEntry, type BaselineStore, EVENT_CLAIM_MS, type EventClaim } from '../../model/stores';

const STATE = 'state';
const EVENT = 'handled';
const EVENT_TTL_SECONDS = 7 * 24 * 3600;

export class DynamoBaselineStore implements BaselineStore {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {
    this.documents = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
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

  async handled(eventId: string): Promise<boolean> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: `event#${eventId}`, sk: EVENT },
        ConsistentRead: true,
      }),
    );
    // A live or abandoned claim is not a handled event.
    return Item !== undefined && Item.claimState !== 'claimed';
  }

  async claim(eventId: string, eventTime: string): Promise<EventClaim> {
    const token = randomUUID();
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = this.now();
      try {
        await this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              pk: `event#${eventId}`,
              sk: EVENT,
              eventTime,
              claimState: 'claimed',
              claimToken: token,
              claimedUntil: now + EVENT_CLAIM_MS,
              expiresAt: expiresAt(eventTime),
            },
            // A handled event (claimState `handled`, or absent on items written before claims) stays handled.
            ConditionExpression:
              'attribute_not_exists(pk) OR (claimState = :claimed AND claimedUntil < :now)',
            ExpressionAttributeValues: { ':claimed': 'claimed', ':now': now },
          }),
        );
        return { kind: 'claimed', token };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      const { Item } = await this.documents.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: `event#${eventId}`, sk: EVENT },
          ConsistentRead: true,
        }),
      );
      // Released, or expired, between the put and the read: claim again.
      if (!Item || (Item.claimState === 'claimed' && Number(Item.claimedUntil) < this.now())) continue;
      return Item.claimState === 'claimed' ? { kind: 'in-progress' } : { kind: 'handled' };
    }
    return { kind: 'in-progress' };
  }

  async markHandled(eventId: string, eventTime: string): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: `event#${eventId}`,
          sk: EVENT,
          eventTime,
          claimState: 'handled',
          expiresAt: expiresAt(eventTime),
        },
      }),
    );
  }

  async release(eventId: string, token: string): Promise<void> {
    try {
      await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: `event#${eventId}`, sk: EVENT },
          // Only our own claim: another delivery's (after ours expired) or a handled mark stays.
          ConditionExpression: 'claimToken = :token',
          ExpressionAttributeValues: { ':token': token },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

/** Epoch seconds a week after the event (DynamoDB's TTL removes the item then), or none for a time that does not parse. */
function expiresAt(eventTime: string): number | undefined {
  const at = Math.floor(Date.parse(eventTime) / 1000) + EVENT_TTL_SECONDS;
  return Number.isFinite(at) ? at : undefined;
}
