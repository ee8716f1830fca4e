// The remediator's memory in the baseline table, through the real DynamoDB document client:
// a claim is a conditional put (a second delivery finds the first's outcome), and the rate limit
// counts action items with a key-range query.
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import 'aws-sdk-client-mock-jest';
import { DynamoRemediationStore } from '../../../aws/stores/ledger-dynamodb';
import { mockClient } from '../../support/sdk';

const documents = mockClient(DynamoDBDocumentClient);
const TABLE = 'gatewatch-baseline';
const AT = new Date('2026-11-23T09:15:10Z');
const $metadata = { httpStatusCode: 200, requestId: 'R3QU35T1D', attempts: 1, totalRetryDelay: 0 };
const STAGE = 'arn:aws:apigateway:eu-west-1::/restapis/k3x9p2a7qd/stages/prod';

beforeEach(() => documents.reset());
const store = () =>
  new DynamoRemediationStore(new DynamoDBClient({ region: 'eu-west-1' }), TABLE, () => 'r4nd0m');

describe('DynamoRemediationStore', () => {
  it('claims a key with a conditional put that expires after a week', async () => {
    documents.on(PutCommand).resolves({ $metadata });
    await expect(store().claim('e1#rest-stage-xray-tracing#arn', AT)).resolves.toEqual({ first: true });
    expect(documents).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      Item: {
        pk: 'remediation#e1#rest-stage-xray-tracing#arn',
        sk: 'claim',
        claimedAt: '2026-11-23T09:15:10.000Z',
        expiresAt: Math.floor(AT.getTime() / 1000) + 7 * 24 * 3600,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('answers a second claim with the outcome the first recorded', async () => {
    documents
      .on(PutCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata }));
    const outcome = {
      action: 'applied',
      calls: ['apigateway:UpdateStage …'],
      result: 'Applied: 1 call made.',
    };
    documents.on(GetCommand).resolves({
      Item: {
        pk: 'remediation#k',
        sk: 'claim',
        claimedAt: AT.toISOString(),
        outcome: JSON.stringify(outcome),
      },
      $metadata,
    });
    await expect(store().claim('k', AT)).resolves.toEqual({ first: false, outcome });
    expect(documents).toHaveReceivedCommandWith(GetCommand, {
      Key: { pk: 'remediation#k', sk: 'claim' },
      ConsistentRead: true,
    });
  });

  it('counts the actions of a rule on a resource since a time, across pages', async () => {
    documents
      .on(QueryCommand)
      .resolvesOnce({ Count: 2, ScannedCount: 2, LastEvaluatedKey: { pk: 'p', sk: 's' }, $metadata })
      .resolvesOnce({ Count: 1, ScannedCount: 1, $metadata });
    await expect(
      store().actionsSince('rest-stage-xray-tracing', STAGE, new Date('2026-11-23T08:15:10Z')),
    ).resolves.toBe(3);
    expect(documents).toHaveReceivedNthCommandWith(1, QueryCommand, {
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND sk >= :since',
      ExpressionAttributeValues: {
        ':pk': `remediation-actions#rest-stage-xray-tracing#${STAGE}`,
        ':since': '2026-11-23T08:15:10.000Z',
      },
      Select: 'COUNT',
    });
  });

  it('records an action that expires with the window', async () => {
    documents.on(PutCommand).resolves({ $metadata });
    await store().recordAction('rest-stage-xray-tracing', STAGE, AT, 60);
    expect(documents).toHaveReceivedCommandWith(PutCommand, {
      Item: {
        pk: `remediation-actions#rest-stage-xray-tracing#${STAGE}`,
        sk: '2026-11-23T09:15:10.000Z#r4nd0m',
        expiresAt: Math.floor(AT.getTime() / 1000) + 3600,
      },
    });
  });
});
