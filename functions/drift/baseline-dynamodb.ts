// The baseline in DynamoDB (the deployed drift function). One item per resource, keyed by its
// ARN, holding the last snapshot and verdict per rule; one item per handled event, expiring
// after a week (long past EventBridge's and Lambda's redelivery windows).
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { BaselineEntry, BaselineStore } from './contracts';

const STATE = 'state';
const EVENT = 'handled';
const EVENT_TTL_SECONDS = 7 * 24 * 3600;

export class DynamoBaselineStore implements BaselineStore {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
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
    return Item !== undefined;
  }

  async markHandled(eventId: string, eventTime: string): Promise<void> {
    const expiresAt = Math.floor(Date.parse(eventTime) / 1000) + EVENT_TTL_SECONDS;
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: `event#${eventId}`,
          sk: EVENT,
          eventTime,
          expiresAt: Number.isFinite(expiresAt) ? expiresAt : undefined,
        },
      }),
    );
  }
}
