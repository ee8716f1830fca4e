// The remediator's memory in the baseline table, beside the baseline's own items:
//   pk `remediation#{event id}#{rule id}#{resource ARN}`, sk `claim`: one per event, rule and
//     resource, created only if absent (a second delivery finds it), expiring after a week;
//   pk `remediation-actions#{rule id}#{resource ARN}`, sk `{ISO time}#{random}`: one per change
//     made or attempted, counted by a key-range query, expiring after the rate-limit window.
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Claim, RemediationOutcome, RemediationStore } from '../../model/ledger';

const CLAIM_TTL_SECONDS = 7 * 24 * 3600;
const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

export class DynamoRemediationStore implements RemediationStore {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly random: () => string = () => Math.random().toString(36).slice(2, 10),
  ) {
    this.documents = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async claim(key: string, at: Date): Promise<Claim> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `remediation#${key}`,
            sk: 'claim',
            claimedAt: at.toISOString(),
            expiresAt: epochSeconds(at) + CLAIM_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { first: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: `remediation#${key}`, sk: 'claim' },
        ConsistentRead: true,
      }),
    );
    const outcome =
      typeof Item?.outcome === 'string' ? (JSON.parse(Item.outcome) as RemediationOutcome) : undefined;
    return outcome ? { first: false, outcome } : { first: false };
  }

  async complete(key: string, outcome: RemediationOutcome, at: Date): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: `remediation#${key}`,
          sk: 'claim',
          claimedAt: at.toISOString(),
          outcome: JSON.stringify(outcome),
          expiresAt: epochSeconds(at) + CLAIM_TTL_SECONDS,
        },
      }),
    );
  }

  async actionsSince(ruleId: string, resourceArn: string, since: Date): Promise<number> {
    let count = 0;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk >= :since',
          ExpressionAttributeValues: {
            ':pk': `remediation-actions#${ruleId}#${resourceArn}`,
            ':since': since.toISOString(),
          },
          Select: 'COUNT',
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      count += page.Count ?? 0;
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return count;
  }

  async recordAction(ruleId: string, resourceArn: string, at: Date, keepMinutes: number): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: `remediation-actions#${ruleId}#${resourceArn}`,
          sk: `${at.toISOString()}#${this.random()}`,
          expiresAt: epochSeconds(at) + keepMinutes * 60,
        },
      }),
    );
  }
}
