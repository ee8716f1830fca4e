// The notification ledger in the baseline table, against the real DocumentClient mocked with
// aws-sdk-client-mock (its commands never reach the wrapped DynamoDBClient): one item per rule
// and resource beside the baseline's own items, expiring through `expiresAt`.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, type GetCommandInput, PutCommand } from '@aws-sdk/lib-dynamodb';
import 'aws-sdk-client-mock-jest';
import { DynamoLedger, LEDGER_TTL_SECONDS, type LedgerEntry } from '../../../pipeline/notify/dedup';
import { mockClient } from '../../support/sdk';

const TABLE = 'gatewatch-baseline';
const KEY = 'rest-stage-waf-attached|arn:aws:apigateway:eu-west-1::/restapis/p7m2v8c4rt/stages/prod';
const metadata = {
  httpStatusCode: 200,
  requestId: 'R3QU35T1D0000000000000000000000000000000000000',
  attempts: 1,
};

const entry: LedgerEntry = {
  state: 'drift|NON_COMPLIANT|74234e98afe7498f',
  eventType: 'drift',
  notifiedAt: '2026-11-23T09:31:30.000Z',
  eventId: '3b8e4f10-6d2c-4a7e-b5f9-000000000001',
  eventTime: '2026-11-23T09:12:04Z',
};

const documents = mockClient(DynamoDBDocumentClient);
beforeEach(() => documents.reset());

it('writes one item per rule and resource, expiring 90 days after the announcement', async () => {
  const ledger = new DynamoLedger(new DynamoDBClient({ region: 'eu-west-1' }), TABLE);
  documents.on(PutCommand).resolves({ $metadata: metadata });

  await ledger.put(KEY, entry);

  expect(documents).toHaveReceivedCommandWith(PutCommand, {
    TableName: TABLE,
    Item: {
      pk: `notification#${KEY}`,
      sk: 'notified',
      ...entry,
      expiresAt: Date.parse(entry.notifiedAt) / 1000 + LEDGER_TTL_SECONDS,
    },
  });
  expect(LEDGER_TTL_SECONDS).toBe(90 * 24 * 3600);
});

it('reads the entries that exist, consistently, and ignores a damaged item', async () => {
  const ledger = new DynamoLedger(new DynamoDBClient({ region: 'eu-west-1' }), TABLE);
  const other = 'rest-stage-execution-logging|arn:aws:apigateway:eu-west-1::/restapis/a9d3f5g7h1/stages/prod';
  const damaged = 'v2-route-authorization|arn:aws:apigateway:eu-west-1::/apis/h2t4r6k8m0/routes/tr2eta';
  documents.on(GetCommand).callsFake(async (input: GetCommandInput) => {
    const pk = input.Key?.pk;
    if (pk === `notification#${KEY}`) {
      return { Item: { pk, sk: 'notified', ...entry, expiresAt: 1 }, $metadata: metadata };
    }
    if (pk === `notification#${damaged}`)
      return { Item: { pk, sk: 'notified', state: 7 }, $metadata: metadata };
    return { $metadata: metadata };
  });

  const found = await ledger.get([KEY, other, damaged, KEY]);

  expect([...found]).toEqual([[KEY, entry]]);
  expect(documents).toHaveReceivedCommandTimes(GetCommand, 3);
  expect(documents).toHaveReceivedCommandWith(GetCommand, {
    TableName: TABLE,
    Key: { pk: `notification#${KEY}`, sk: 'notified' },
    ConsistentRead: true,
  });
});
