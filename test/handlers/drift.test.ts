// The drift Lambda handler as Lambda runs it: env BASELINE_TABLE, the real SDK v3 clients, and
// aws-sdk-client-mock answering DynamoDB (the in-memory table, through the DocumentClient and the
// low-level client Powertools' idempotency sends through), API Gateway and WAFv2 in the shapes
// the SDK returns. Logs (console.log) and EMF metrics (stdout) are captured.
//
// The handler keeps clients and the baseline store for the life of the execution environment,
// so each test loads it afresh with jest.isolateModules, together with the SDK classes it uses:
// aws-sdk-client-mock matches commands with instanceof, so mocks and commands must come from the
// same module registry as the handler.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import 'aws-sdk-client-mock-jest';
import { readInventory } from '../../aws/read/inventory-file';
import { type BaselineEntry, EVENT_CLAIM_MS } from '../../model/stores';
import { baselineFromScan } from '../../pipeline/drift/baseline-from-scan';
import { scanInventory } from '../../pipeline/scan/scan';
import { catalog } from '../../rules/index';
import { type EventSet, eventSets, fixtures, itIfPresent } from '../support/event-sets';
import { InMemoryTable } from '../support/in-process-aws';
import { mockClient } from '../support/sdk';

const root = join(__dirname, '..', '..');
const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8'));

const TABLE = 'gatewatch-baseline-test';
const PAYMENTS = 'p7m2v8c4rt';
const PROD_ARN = `arn:aws:apigateway:eu-west-1::/restapis/${PAYMENTS}/stages/prod`;
const API_ARN = `arn:aws:apigateway:eu-west-1::/restapis/${PAYMENTS}`;
const EVENT_ID = '3b8e4f10-6d2c-4a7e-b5f9-000000000001';
/** Thirty seconds after the event: the detection latency the handler should report. */
const NOW = new Date('2026-11-23T09:12:34.000Z');
const ALICE =
  'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Developers_0123456789abcdef/alice@tidewater.example';
/** The access key id in the event's userIdentity: an identifier the logs must not repeat. */
const EVENT_ACCESS_KEY_ID = 'ASIAEXAMPLEALICE0001';

/** Credentials the SDK would find in a Lambda environment; none of them may reach the logs. */
const FAKE_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIAGATEWATCHTEST0001',
  AWS_SECRET_ACCESS_KEY: 'gatewatchTestSecretKey/DoNotLog/0123456789abcdef',
  AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEGatewatchTestSessionTokenDoNotLog',
};

const disassociateWebAcl = readJson(join(root, 'examples/drift/events/01-disassociate-web-acl.json'));

/** A WAFv2 DisassociateWebACL on a load balancer (of the fixtures, or as recorded), delivered as EventBridge does. */
function albDisassociateWebAcl(set: EventSet = fixtures): Record<string, unknown> {
  const detail = set.load('wafv2-DisassociateWebACL-1.json');
  return {
    version: '0',
    id: '2c7e5a4f-9b1d-4e3a-8f60-7d5c4b3a2f10',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.wafv2',
    account: detail.recipientAccountId,
    time: detail.eventTime,
    region: detail.awsRegion,
    resources: [],
    detail,
  };
}

/** Event 01 with its time garbled and its id gone: it can never be handled. */
function unparsableEvent(): Record<string, unknown> {
  const { eventID: _dropped, ...detail } = disassociateWebAcl.detail as Record<string, unknown>;
  return { ...disassociateWebAcl, detail: { ...detail, eventTime: 'last Tuesday' } };
}

// ─── The account: demo estate before the drift (baseline), after it (AWS answers) ───────────

/** The baseline a scan of the demo estate left: payments-api prod had its web ACL. */
function baselineItems(): Record<string, unknown>[] {
  const demo = readInventory(join(root, 'examples/inventory/demo.json'));
  const scan = scanInventory(demo, { rules: catalog });
  return baselineFromScan(scan.estate, scan.findings, demo.collectedAt)
    .filter((entry) => entry.arn === PROD_ARN || entry.arn === API_ARN)
    .map((entry) => ({
      pk: entry.arn,
      sk: 'state',
      observedAt: entry.observedAt,
      entry: JSON.stringify(entry),
    }));
}

/** The SDK returns timestamps as Date objects where a saved inventory has ISO strings. */
function sdkShaped<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (key, field) =>
    /^(created|lastUpdated)Date$/i.test(key) && typeof field === 'string' ? new Date(field) : field,
  );
}

const metadata = (httpStatusCode = 200) => ({
  httpStatusCode,
  requestId: 'a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  attempts: 1,
  totalRetryDelay: 0,
});

/** payments-api and its prod stage as AWS answers right after event 01: no web ACL any more. */
function paymentsAfterDrift() {
  const state = readJson(join(root, 'examples/drift/state-1-after-update-method.json')) as {
    regions: { restApis: { api: { id: string }; stages: { stageName: string; webAclArn?: string }[] }[] }[];
  };
  const entry = state.regions[0]?.restApis.find((candidate) => candidate.api.id === PAYMENTS);
  const prod = entry?.stages.find((stage) => stage.stageName === 'prod');
  if (!entry || !prod || prod.webAclArn !== undefined)
    throw new Error('payments-api prod should have no web ACL');
  return { api: sdkShaped(entry.api), prod: sdkShaped(prod) };
}

// ─── Loading the handler afresh, with its SDK ───────────────────────────────────────────

interface Loaded {
  readonly drift: typeof import('../../handlers/drift');
  readonly dynamodb: typeof import('@aws-sdk/lib-dynamodb');
  readonly dynamodbClient: typeof import('@aws-sdk/client-dynamodb');
  readonly apigateway: typeof import('@aws-sdk/client-api-gateway');
  readonly wafv2: typeof import('@aws-sdk/client-wafv2');
}

const stubs: { restore(): void }[] = [];

function loadHandler() {
  let loaded: Loaded | undefined;
  jest.isolateModules(() => {
    loaded = {
      drift: require('../../handlers/drift'),
      dynamodb: require('@aws-sdk/lib-dynamodb'),
      dynamodbClient: require('@aws-sdk/client-dynamodb'),
      apigateway: require('@aws-sdk/client-api-gateway'),
      wafv2: require('@aws-sdk/client-wafv2'),
    };
  });
  if (!loaded) throw new Error('the handler did not load');
  const sdk = loaded;
  // The baseline table, keyed as DynamoBaselineStore keys it, behind the DocumentClient and the
  // low-level client (Powertools' idempotency records); conditions are honoured as DynamoDB
  // honours them: the event's claim is a conditional put.
  const dynamo = new InMemoryTable({ documents: sdk.dynamodb, client: sdk.dynamodbClient });
  const documents = dynamo.stub;
  const apigateway = mockClient(sdk.apigateway.APIGatewayClient);
  const wafv2 = mockClient(sdk.wafv2.WAFV2Client);
  stubs.push(dynamo, apigateway, wafv2);
  const table = dynamo.items;
  for (const item of baselineItems()) table.set(`${item.pk}|${item.sk}`, item);

  const { api, prod } = paymentsAfterDrift();
  apigateway
    .on(sdk.apigateway.GetRestApiCommand, { restApiId: PAYMENTS })
    .resolves({ ...api, $metadata: metadata() });
  apigateway
    .on(sdk.apigateway.GetStageCommand, { restApiId: PAYMENTS, stageName: 'prod' })
    .resolves({ ...prod, $metadata: metadata() });

  const entryOf = (arn: string): BaselineEntry | undefined => {
    const item = table.get(`${arn}|state`);
    return item ? JSON.parse(item.entry as string) : undefined;
  };
  return { sdk, handler: sdk.drift.handler, documents, dynamo, apigateway, wafv2, table, entryOf };
}

// ─── Capturing what Lambda would ship to CloudWatch Logs ────────────────────────────────

interface EmfLine {
  _aws: {
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [field: string]: unknown;
}

let output: string[] = [];
const parsedLines = () =>
  output
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
const logLines = () => parsedLines().filter((line) => !('_aws' in line));
const emf = (name: string) => parsedLines().filter((line): line is EmfLine => '_aws' in line && name in line);

const savedEnv = { ...process.env };

beforeEach(() => {
  output = [];
  process.env = { ...savedEnv, ...FAKE_CREDENTIALS, AWS_REGION: 'eu-west-1', BASELINE_TABLE: TABLE };
  jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    output.push(args.join(' '));
  });
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
  // Only Date is faked: the clock reads NOW, every timer and microtask runs for real.
  jest.useFakeTimers({
    now: NOW,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
});

afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
  for (const stub of stubs.splice(0)) stub.restore();
  process.env = savedEnv;
});

// ─── The tests ──────────────────────────────────────────────────────────────────────────

describe('the drift Lambda handler', () => {
  it('judges a web ACL detached from a REST stage: stores the new state, logs the verdict, emits metrics', async () => {
    // Prepare
    const aws = loadHandler();

    // Act
    const result = await aws.handler(disassociateWebAcl);

    // Assess
    expect(result).toEqual({ judged: 1, ignored: 0 });
    // One read: the stage; its API, methods and web ACL come from the baseline.
    expect(aws.apigateway).toHaveReceivedCommandTimes(aws.sdk.apigateway.GetStageCommand, 1);
    expect(aws.apigateway.calls()).toHaveLength(1);
    expect(aws.wafv2).not.toHaveReceivedAnyCommand();

    const prod = aws.entryOf(PROD_ARN);
    expect(prod).toMatchObject({
      arn: PROD_ARN,
      observedAt: NOW.toISOString(),
      snapshot: { kind: 'rest-stage', webAclArn: null },
      rules: { 'rest-stage-waf-attached': { status: 'NON_COMPLIANT', since: NOW.toISOString() } },
    });
    expect(aws.documents).toHaveReceivedCommandWith(aws.sdk.dynamodb.PutCommand, {
      TableName: TABLE,
      Item: expect.objectContaining({ pk: PROD_ARN, sk: 'state', observedAt: NOW.toISOString() }),
      ConditionExpression: 'attribute_not_exists(pk) OR observedAt <= :observedAt',
    });
    // The event handled: its Powertools record in the drift partition, completed, expiring (the
    // table's TTL) a week after it was handled.
    expect(aws.dynamo.record('drift', EVENT_ID)).toEqual({
      pk: 'idempotency#drift',
      sk: expect.stringMatching(/^drift#/),
      status: 'COMPLETED',
      data: true,
      expiresAt: Date.UTC(2026, 10, 30, 9, 12, 34) / 1000,
      in_progress_expiration: NOW.getTime() + EVENT_CLAIM_MS,
    });

    expect(logLines()).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        service: 'gatewatch-drift',
        message: 'verdict',
        ruleId: 'rest-stage-waf-attached',
        resourceArn: PROD_ARN,
        status: 'NON_COMPLIANT',
        change: 'new',
        eventName: 'DisassociateWebACL',
        eventId: EVENT_ID,
        actor: ALICE,
      }),
    );

    const [detected] = emf('DriftDetected').filter((line) => line.ruleId === 'rest-stage-waf-attached');
    expect(detected).toMatchObject({ service: 'gatewatch-drift', DriftDetected: 1 });
    expect(detected?._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'gatewatch',
        Dimensions: [['service', 'ruleId', 'severity']],
        Metrics: [{ Name: 'DriftDetected', Unit: 'Count' }],
      },
    ]);
    const latency = emf('DetectionLatency');
    expect(latency).toHaveLength(1);
    expect(latency[0]).toMatchObject({ DetectionLatency: 30_000 });
    expect(latency[0]?._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'gatewatch',
      Metrics: [{ Name: 'DetectionLatency', Unit: 'Milliseconds' }],
    });
  });

  it('rejects an event that does not parse: a metric, a clear log line, and an error for the dead-letter queue', async () => {
    // Prepare
    const aws = loadHandler();

    // Act
    const handled = aws.handler(unparsableEvent());

    // Assess
    await expect(handled).rejects.toBeInstanceOf(aws.sdk.drift.UnprocessableEventError);
    await expect(handled).rejects.toThrow(
      /detail\.eventTime.*detail\.eventID|detail\.eventID.*detail\.eventTime/,
    );
    expect(emf('InputRejected')).toEqual([
      expect.objectContaining({ InputRejected: 1, input: 'EventBridge event' }),
    ]);
    expect(logLines()).toEqual([
      expect.objectContaining({
        level: 'error',
        message: 'event rejected: it does not parse',
        problem: expect.stringMatching(/^EventBridge event is invalid: .*detail\.eventTime/),
      }),
    ]);
    expect(aws.documents).not.toHaveReceivedAnyCommand();
    expect(aws.dynamo.lowLevel).not.toHaveReceivedAnyCommand();
    expect(aws.apigateway).not.toHaveReceivedAnyCommand();
  });

  for (const set of eventSets)
    itIfPresent(set)(
      `ignores a web ACL detached from a load balancer, without reading anything [${set.kind}]`,
      async () => {
        // Prepare
        const aws = loadHandler();

        // Act
        const result = await aws.handler(albDisassociateWebAcl(set));

        // Assess
        expect(result).toEqual({ judged: 0, ignored: 1 });
        expect(emf('EventsIgnored')).toEqual([
          expect.objectContaining({ EventsIgnored: 1, reason: expect.any(String) }),
        ]);
        expect(logLines()).toContainEqual(
          expect.objectContaining({ message: 'event ignored', eventName: 'DisassociateWebACL' }),
        );
        expect(aws.apigateway).not.toHaveReceivedAnyCommand();
        expect(aws.wafv2).not.toHaveReceivedAnyCommand();
        expect(aws.documents).not.toHaveReceivedAnyCommand();
        expect(aws.dynamo.lowLevel).not.toHaveReceivedAnyCommand();
      },
    );

  it('treats a redelivered event as a duplicate: no reads, no verdicts, a metric', async () => {
    // Prepare
    const aws = loadHandler();
    await aws.handler(disassociateWebAcl);
    const readsBefore = aws.apigateway.calls().length;
    output = [];

    // Act
    const result = await aws.handler(disassociateWebAcl);

    // Assess
    expect(result).toEqual({ judged: 0, ignored: 1 });
    expect(aws.apigateway.calls()).toHaveLength(readsBefore);
    expect(emf('EventsDuplicate')).toEqual([expect.objectContaining({ EventsDuplicate: 1 })]);
    expect(emf('DriftDetected')).toEqual([]);
    expect(logLines()).toEqual([
      expect.objectContaining({ message: 'event already handled', eventId: EVENT_ID }),
    ]);
  });

  it.each([
    ['throttled (429)', 'TooManyRequestsException', 429],
    ['unavailable (503)', 'ServiceUnavailableException', 503],
  ] as const)(
    'rejects, for a retry, when a read is still %s after the SDK retries, and leaves the event unhandled',
    async (_how, name, status) => {
      // Prepare
      const aws = loadHandler();
      const ErrorClass = aws.sdk.apigateway[name];
      aws.apigateway.on(aws.sdk.apigateway.GetStageCommand).rejects(
        new ErrorClass({
          message: status === 429 ? 'Too Many Requests' : 'Service Unavailable',
          retryAfterSeconds: '1',
          $metadata: { ...metadata(status), attempts: 5, totalRetryDelay: 4200 },
        }),
      );

      // Act
      const handled = aws.handler(disassociateWebAcl);

      // Assess
      await expect(handled).rejects.toMatchObject({ name, $metadata: { httpStatusCode: status } });
      // The claim was given back for the retry; no state was written.
      expect(aws.dynamo.record('drift', EVENT_ID)).toBeUndefined();
      expect(aws.dynamo.lowLevel).toHaveReceivedCommandTimes(aws.sdk.dynamodbClient.PutItemCommand, 1);
      expect(aws.documents).not.toHaveReceivedCommand(aws.sdk.dynamodb.PutCommand);
      expect(aws.dynamo.lowLevel).toHaveReceivedCommandWith(aws.sdk.dynamodbClient.DeleteItemCommand, {
        TableName: TABLE,
        Key: { pk: { S: 'idempotency#drift' }, sk: { S: expect.stringMatching(/^drift#/) } },
      });
      expect(emf('DriftDetected')).toEqual([]);
      expect(emf('EvaluationErrors')).toEqual([]);
    },
  );

  it('writes no credentials or access key ids to its logs, whatever happens', async () => {
    // Prepare
    const aws = loadHandler();

    // Act
    await aws.handler(disassociateWebAcl);
    await aws.handler(disassociateWebAcl);
    await aws.handler(albDisassociateWebAcl());
    await aws.handler(unparsableEvent()).catch(() => undefined);

    // Assess
    const written = output.join('');
    expect(written).toContain('rest-stage-waf-attached');
    for (const secret of [...Object.values(FAKE_CREDENTIALS), EVENT_ACCESS_KEY_ID, 'ASIARLIVEKVNJNSTUSF6']) {
      expect(written).not.toContain(secret);
    }
  });
});
