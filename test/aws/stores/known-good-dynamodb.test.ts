// Known-good records in the baseline table, through the real DynamoDB document client: kept
// beside the resource's state item under the rule's sort key, never replaced by an earlier good
// state, expiring after three weeks; read back parsed; scoped per account in an organization.
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import 'aws-sdk-client-mock-jest';
import { accountKnownGood } from '../../../aws/stores/account-scoped';
import { DynamoKnownGoodStore } from '../../../aws/stores/known-good-dynamodb';
import type { KnownGoodRecord } from '../../../model/stores';
import { ValidationError } from '../../../rules/core/validation';
import { ALICE } from '../../support/pipeline/remediation';
import { mockClient } from '../../support/sdk';
import { restStage } from '../../support/snapshots';

const documents = mockClient(DynamoDBDocumentClient);
const TABLE = 'gatewatch-baseline';
const NOW = new Date('2026-11-23T09:15:10Z');
const $metadata = { httpStatusCode: 200, requestId: 'R3QU35T1D', attempts: 1, totalRetryDelay: 0 };
const stage = restStage();
const record: KnownGoodRecord = {
  arn: stage.arn,
  ruleId: 'rest-stage-waf-attached',
  eventId: 'c2f1a7d4-6b0e-4f5a-9d3c-8e7b6a5f4d3c',
  actor: ALICE,
  snapshot: stage,
  observedAt: '2026-11-23T08:00:00Z',
};

beforeEach(() => documents.reset());
const store = () => new DynamoKnownGoodStore(new DynamoDBClient({ region: 'eu-west-1' }), TABLE, () => NOW);

describe('DynamoKnownGoodStore', () => {
  it('keeps a record beside the state item, unless a later good state is held, for three weeks', async () => {
    documents.on(PutCommand).resolves({ $metadata });
    await store().keep(record);
    expect(documents).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      Item: {
        pk: stage.arn,
        sk: 'known-good#rest-stage-waf-attached',
        observedAt: '2026-11-23T08:00:00Z',
        record: JSON.stringify(record),
        expiresAt: Math.floor(NOW.getTime() / 1000) + 21 * 24 * 3600,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR observedAt <= :observedAt',
      ExpressionAttributeValues: { ':observedAt': '2026-11-23T08:00:00Z' },
    });
  });

  it('leaves a later good state in place without an error', async () => {
    documents
      .on(PutCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata }));
    await expect(store().keep(record)).resolves.toBeUndefined();
  });

  it('reads a record back, consistently', async () => {
    documents.on(GetCommand).resolves({ Item: { record: JSON.stringify(record) }, $metadata });
    await expect(store().get(stage.arn, 'rest-stage-waf-attached')).resolves.toEqual(record);
    expect(documents).toHaveReceivedCommandWith(GetCommand, {
      Key: { pk: stage.arn, sk: 'known-good#rest-stage-waf-attached' },
      ConsistentRead: true,
    });
  });

  it('knows nothing when there is no record, and refuses one that is not a record', async () => {
    documents.on(GetCommand).resolves({ $metadata });
    await expect(store().get(stage.arn, 'rest-stage-waf-attached')).resolves.toBeUndefined();
    documents.on(GetCommand).resolves({ Item: { record: JSON.stringify({ arn: stage.arn }) }, $metadata });
    await expect(store().get(stage.arn, 'rest-stage-waf-attached')).rejects.toThrow(ValidationError);
  });

  it('keeps each account of an organization under its own keys', async () => {
    documents.on(PutCommand).resolves({ $metadata });
    documents.on(GetCommand).callsFake((input: { Key: { pk: string } }) => ({
      Item: { record: JSON.stringify({ ...record, arn: input.Key.pk }) },
      $metadata,
    }));
    const member = accountKnownGood(store(), '210987654321');
    await member.keep(record);
    expect(documents).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ pk: `account#210987654321#${stage.arn}` }),
    });
    await expect(member.get(stage.arn, 'rest-stage-waf-attached')).resolves.toEqual(record);
  });
});
