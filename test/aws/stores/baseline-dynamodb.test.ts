// The DynamoDB baseline against the real DocumentClient, with aws-sdk-client-mock on
// DynamoDBDocumentClient: its commands never reach the wrapped DynamoDBClient's send, so a mock
// of DynamoDBClient would not see them. Inputs and outputs are the DocumentClient's native
// JavaScript shapes; errors are the SDK's own exception classes. An event's claim is a Powertools
// idempotency record, sent through the low-level DynamoDBClient (mocked on its own, in
// AttributeValues).
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  type GetItemCommandInput,
  ProvisionedThroughputExceededException,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  type GetCommandInput,
  PutCommand,
  type PutCommandInput,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import 'aws-sdk-client-mock-jest';
import { DynamoBaselineStore } from '../../../aws/stores/baseline-dynamodb';
import type { BaselineEntry } from '../../../model/stores';
import { applyUpdate, withNames } from '../../support/dynamodb-conditions';
import { idempotencySortKey } from '../../support/in-process-aws';
import { mockClient } from '../../support/sdk';
import { restStage } from '../../support/snapshots';

const TABLE = 'gatewatch-baseline';
const PROD = restStage({ stageName: 'prod' });
const STAGING = restStage({ stageName: 'staging' });

const metadata = {
  httpStatusCode: 200,
  requestId: 'R3QU35T1D0000000000000000000000000000000000000',
  attempts: 1,
};

const entry = (observedAt: string, snapshot = PROD): BaselineEntry => ({
  arn: snapshot.arn,
  snapshot,
  rules: {
    'rest-stage-waf-attached': {
      status: 'COMPLIANT',
      reason: `REST API stage ${snapshot.arn} has a web ACL attached.`,
      observed: snapshot.webAclArn,
      since: '2026-11-01T00:00:00.000Z',
    },
  },
  observedAt,
});

/** The item as DynamoBaselineStore writes it: the entry as JSON beside its key and observedAt. */
const itemOf = (stored: BaselineEntry) => ({
  pk: stored.arn,
  sk: 'state',
  observedAt: stored.observedAt,
  entry: JSON.stringify(stored),
});

/** As DynamoDB throws it when a condition fails (HTTP 400, a client fault). */
const conditionFailed = () =>
  new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: { ...metadata, httpStatusCode: 400 },
  });

const documents = mockClient(DynamoDBDocumentClient);
const lowLevel = mockClient(DynamoDBClient);

/** The key of an event's record, as Powertools writes it: the drift partition, its hashed sort key. */
const eventKey = (eventId: string) =>
  marshall({ pk: 'idempotency#drift', sk: idempotencySortKey('drift', eventId) });

function givenTable() {
  return { store: new DynamoBaselineStore(new DynamoDBClient({ region: 'eu-west-1' }), TABLE) };
}

/** A table that honours the put condition as DynamoDB would (ISO 8601 strings compare in time order). */
function givenConditionalTable() {
  const { store } = givenTable();
  const items = new Map<string, Record<string, unknown>>();
  const keyOf = (key: Record<string, unknown> | undefined) => `${key?.pk}|${key?.sk}`;
  documents.on(GetCommand).callsFake((input: GetCommandInput) => ({
    Item: items.get(keyOf(input.Key)),
    $metadata: metadata,
  }));
  documents.on(PutCommand).callsFake((input: PutCommandInput) => {
    const item = input.Item ?? {};
    const current = items.get(keyOf(item));
    const observedAt = input.ExpressionAttributeValues?.[':observedAt'] as string;
    if (input.ConditionExpression && current && !((current.observedAt as string) <= observedAt)) {
      throw conditionFailed();
    }
    items.set(keyOf(item), item);
    return { $metadata: metadata };
  });
  // The event's record, in the same items, as Powertools reads and completes it.
  lowLevel.on(GetItemCommand).callsFake((input: GetItemCommandInput) => {
    const found = items.get(keyOf(unmarshall(input.Key ?? {})));
    return { ...(found ? { Item: marshall(found) } : {}), $metadata: metadata };
  });
  lowLevel.on(UpdateItemCommand).callsFake((input: UpdateItemCommandInput) => {
    const key = unmarshall(input.Key ?? {});
    const update = withNames(input.UpdateExpression, input.ExpressionAttributeNames);
    const values = unmarshall(input.ExpressionAttributeValues ?? {});
    items.set(keyOf(key), applyUpdate(update, { ...key, ...items.get(keyOf(key)) }, values));
    return { $metadata: metadata };
  });
  return { store };
}

beforeEach(() => {
  documents.reset();
  lowLevel.reset();
});
afterEach(() => jest.restoreAllMocks());

describe('DynamoBaselineStore', () => {
  it('gets an entry by its ARN with a consistent read, and undefined when there is none', async () => {
    // Prepare
    const { store } = givenTable();
    const stored = entry('2026-11-23T09:00:00.000Z');
    documents
      .on(GetCommand, { Key: { pk: PROD.arn, sk: 'state' } })
      .resolves({ Item: itemOf(stored), $metadata: metadata });
    documents.on(GetCommand, { Key: { pk: STAGING.arn, sk: 'state' } }).resolves({ $metadata: metadata });

    // Act
    const found = await store.get(PROD.arn);
    const missing = await store.get(STAGING.arn);

    // Assess
    expect(found).toEqual(stored);
    expect(missing).toBeUndefined();
    expect(documents).toHaveReceivedCommandWith(GetCommand, {
      TableName: TABLE,
      Key: { pk: PROD.arn, sk: 'state' },
      ConsistentRead: true,
    });
  });

  it('puts an entry as JSON, on condition that the table holds none observed later', async () => {
    // Prepare
    const { store } = givenTable();
    documents.on(PutCommand).resolves({ $metadata: metadata });
    const stored = entry('2026-11-23T09:12:05.000Z');

    // Act
    await store.put(stored);

    // Assess
    expect(documents).toHaveReceivedCommandTimes(PutCommand, 1);
    expect(documents).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      Item: itemOf(stored),
      ConditionExpression: 'attribute_not_exists(pk) OR observedAt <= :observedAt',
      ExpressionAttributeValues: { ':observedAt': '2026-11-23T09:12:05.000Z' },
    });
  });

  it('never lets an older read overwrite a newer one, and swallows the failed condition', async () => {
    // Prepare
    const { store } = givenConditionalTable();
    const newer = entry('2026-11-23T09:14:00.000Z', restStage({ stageName: 'prod', webAclArn: null }));
    const older = entry('2026-11-23T09:12:00.000Z');

    // Act
    await store.put(newer);
    await store.put(older);

    // Assess
    expect(await store.get(PROD.arn)).toEqual(newer);
  });

  it('lets a later read replace an earlier one', async () => {
    // Prepare
    const { store } = givenConditionalTable();
    const earlier = entry('2026-11-23T09:12:00.000Z');
    const later = entry('2026-11-23T09:14:00.000Z', restStage({ stageName: 'prod', webAclArn: null }));

    // Act
    await store.put(earlier);
    await store.put(later);

    // Assess
    expect(await store.get(PROD.arn)).toEqual(later);
  });

  it('passes on every other error, so the event is retried', async () => {
    // Prepare
    const { store } = givenTable();
    documents.on(PutCommand).rejects(
      new ProvisionedThroughputExceededException({
        message:
          'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
        $metadata: { ...metadata, httpStatusCode: 400, attempts: 3 },
      }),
    );

    // Act
    const put = store.put(entry('2026-11-23T09:12:05.000Z'));

    // Assess
    await expect(put).rejects.toBeInstanceOf(ProvisionedThroughputExceededException);
  });

  it('lists every state entry across scan pages, following LastEvaluatedKey', async () => {
    // Prepare
    const { store } = givenTable();
    const prod = entry('2026-11-23T09:00:00.000Z');
    const staging = entry('2026-11-23T09:00:00.000Z', STAGING);
    const lastKey = { pk: PROD.arn, sk: 'state' };
    documents
      .on(ScanCommand)
      .resolvesOnce({
        Items: [itemOf(prod)],
        Count: 1,
        ScannedCount: 3,
        LastEvaluatedKey: lastKey,
        $metadata: metadata,
      })
      .resolvesOnce({ Items: [itemOf(staging)], Count: 1, ScannedCount: 2, $metadata: metadata });

    // Act
    const entries = await store.list();

    // Assess
    expect(entries).toEqual([prod, staging]);
    expect(documents).toHaveReceivedCommandTimes(ScanCommand, 2);
    expect(documents).toHaveReceivedNthSpecificCommandWith(1, ScanCommand, {
      TableName: TABLE,
      FilterExpression: 'sk = :state',
      ExpressionAttributeValues: { ':state': 'state' },
      ExclusiveStartKey: undefined,
    });
    expect(documents).toHaveReceivedNthSpecificCommandWith(2, ScanCommand, { ExclusiveStartKey: lastKey });
  });

  it('lists nothing from an empty table in one request', async () => {
    // Prepare
    const { store } = givenTable();
    documents.on(ScanCommand).resolves({ Items: [], Count: 0, ScannedCount: 0, $metadata: metadata });

    // Act
    const entries = await store.list();

    // Assess
    expect(entries).toEqual([]);
    expect(documents).toHaveReceivedCommandTimes(ScanCommand, 1);
  });

  it('marks an event handled with an expiry a week after it was handled, in epoch seconds', async () => {
    // Prepare
    const { store } = givenTable();
    lowLevel.on(UpdateItemCommand).resolves({ $metadata: metadata });
    const eventId = '3b8e4f10-6d2c-4a7e-b5f9-000000000001';
    jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-23T09:12:04Z'));

    // Act
    await store.markHandled(eventId, '2026-11-23T09:12:04Z');

    // Assess: Powertools completes the event's record (an update, whatever the record held).
    expect(documents).not.toHaveReceivedAnyCommand();
    expect(lowLevel).toHaveReceivedCommandTimes(UpdateItemCommand, 1);
    expect(lowLevel).toHaveReceivedCommandWith(UpdateItemCommand, {
      TableName: TABLE,
      Key: eventKey(eventId),
      UpdateExpression: 'SET #expiry = :expiry, #status = :status, #response_data = :response_data',
      ExpressionAttributeNames: { '#expiry': 'expiresAt', '#status': 'status', '#response_data': 'data' },
      ExpressionAttributeValues: {
        ':expiry': { N: String(Date.UTC(2026, 10, 30, 9, 12, 4) / 1000) },
        ':status': { S: 'COMPLETED' },
        ':response_data': { BOOL: true },
      },
    });
    const update = lowLevel.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(update?.ConditionExpression).toBeUndefined();
    expect(Number.isInteger(Number(update?.ExpressionAttributeValues?.[':expiry']?.N))).toBe(true);
  });

  it('tells a handled event from a new one, and from one claimed, by its record', async () => {
    // Prepare
    const { store } = givenTable();
    const record = (eventId: string, status: string) => ({
      Item: marshall({
        pk: 'idempotency#drift',
        sk: idempotencySortKey('drift', eventId),
        status,
        expiresAt: 1_796_029_924,
        data: true,
      }),
      $metadata: metadata,
    });
    lowLevel.on(GetItemCommand, { Key: eventKey('seen') }).resolves(record('seen', 'COMPLETED'));
    lowLevel.on(GetItemCommand, { Key: eventKey('claimed') }).resolves(record('claimed', 'INPROGRESS'));
    lowLevel.on(GetItemCommand, { Key: eventKey('new') }).resolves({ $metadata: metadata });
    // Read within the records' week (an expired record is no record).
    jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-23T09:13:00Z'));

    // Act
    const seen = await store.handled('seen');
    const claimed = await store.handled('claimed');
    const fresh = await store.handled('new');

    // Assess
    expect(seen).toBe(true);
    expect(claimed).toBe(false);
    expect(fresh).toBe(false);
    expect(lowLevel).toHaveReceivedCommandWith(GetItemCommand, {
      TableName: TABLE,
      Key: eventKey('seen'),
      ConsistentRead: true,
    });
    expect(documents).not.toHaveReceivedAnyCommand();
  });

  it('reports a handled event as handled when the event and state items sit in one table', async () => {
    // Prepare
    const { store } = givenConditionalTable();

    // Act
    const before = await store.handled('3b8e4f10');
    await store.markHandled('3b8e4f10', '2026-11-23T09:12:04Z');
    const after = await store.handled('3b8e4f10');

    // Assess
    expect(before).toBe(false);
    expect(after).toBe(true);
  });
});
