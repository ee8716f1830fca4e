// Known-good records in the baseline table, beside the resource's own state item:
//   pk `{resource ARN}`, sk `known-good#{rule id}`: the state a `restore` puts back, kept by the
//   drift function or the sweep when the rule's verdict turned, with the event that turned it;
//   a later good state replaces it, an earlier one never does. It expires once no message that
//   could name it is left (the verdicts queue keeps 4 days, its dead-letter queue 14).
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { KnownGoodRecord, KnownGoodStore } from '../../model/stores';
import { parseOrThrow } from '../../rules/core/validation';

const RECORD_TTL_SECONDS = 21 * 24 * 3600;
const sortKey = (ruleId: string) => `known-good#${ruleId}`;

const recordSchema = z.object({
  arn: z.string(),
  ruleId: z.string(),
  eventId: z.string(),
  actor: z.string(),
  observedAt: z.string(),
  snapshot: z.looseObject({ kind: z.string(), arn: z.string() }),
});

export class DynamoKnownGoodStore implements KnownGoodStore {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.documents = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async get(arn: string, ruleId: string): Promise<KnownGoodRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: arn, sk: sortKey(ruleId) },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const record = parseOrThrow(
      recordSchema,
      JSON.parse(Item.record as string),
      `The known-good record of ${arn}`,
    );
    // The snapshot is gatewatch's own output, in gatewatch's own table: its kind and ARN are checked.
    return record as unknown as KnownGoodRecord;
  }

  async keep(record: KnownGoodRecord): Promise<void> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: record.arn,
            sk: sortKey(record.ruleId),
            observedAt: record.observedAt,
            record: JSON.stringify(record),
            expiresAt: Math.floor(this.now().getTime() / 1000) + RECORD_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR observedAt <= :observedAt',
          ExpressionAttributeValues: { ':observedAt': record.observedAt },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return;
      throw error;
    }
  }
}
