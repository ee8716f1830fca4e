// The sweep Lambda handler as Lambda runs it, with the environment the stack gives it: the
// schedule's event plans one queue message per account and region (the home account in the
// deployment's regions; for an organization also each member account the Config aggregator or
// the baseline knows, in the member regions); each queue message sweeps one account and region.
// The handler keeps its clients for the life of the execution environment, so each test loads it
// afresh with jest.isolateModules, with the SDK classes it uses (aws-sdk-client-mock matches
// commands with instanceof).
import 'aws-sdk-client-mock-jest';
import { InMemoryTable } from '../support/in-process-aws';
import { mockClient } from '../support/sdk';

const HOME = '111122223333';
const MEMBER = '444455556666';
const OTHER = '777788889999';
const TABLE = 'gatewatch-baseline';
const SWEEP_QUEUE = `https://sqs.eu-west-1.amazonaws.com/${HOME}/gatewatch-sweep`;
const VERDICTS_QUEUE = `https://sqs.eu-west-1.amazonaws.com/${HOME}/gatewatch-verdicts`;
const metadata = {
  httpStatusCode: 200,
  requestId: 'c0ffee00-0000-4000-8000-000000000001',
  attempts: 1,
  totalRetryDelay: 0,
};

const stubs: { restore(): void }[] = [];
const savedEnv = { ...process.env };
let output: string[] = [];

beforeEach(() => {
  output = [];
  process.env = {
    ...savedEnv,
    AWS_ACCESS_KEY_ID: 'ASIAGATEWATCHTEST0001',
    AWS_SECRET_ACCESS_KEY: 'gatewatchTestSecretKey/DoNotLog/0123456789abcdef',
    AWS_REGION: 'eu-west-1',
    BASELINE_TABLE: TABLE,
    SWEEP_QUEUE_URL: SWEEP_QUEUE,
    VERDICTS_QUEUE_URL: VERDICTS_QUEUE,
  };
  jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    output.push(args.join(' '));
  });
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  for (const stub of stubs.splice(0)) stub.restore();
  jest.restoreAllMocks();
  process.env = savedEnv;
});

const lines = () =>
  output
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** Loads the handler afresh with the settings bundled as GATEWATCH_SETTINGS would be. */
function load(settings: Record<string, unknown> = {}) {
  process.env.GATEWATCH_SETTINGS = JSON.stringify(settings);
  let loaded:
    | {
        sweep: typeof import('../../handlers/sweep');
        sqs: typeof import('@aws-sdk/client-sqs');
        dynamodb: typeof import('@aws-sdk/lib-dynamodb');
        dynamodbClient: typeof import('@aws-sdk/client-dynamodb');
        config: typeof import('@aws-sdk/client-config-service');
        sts: typeof import('@aws-sdk/client-sts');
        apigateway: typeof import('@aws-sdk/client-api-gateway');
        apigatewayv2: typeof import('@aws-sdk/client-apigatewayv2');
      }
    | undefined;
  jest.isolateModules(() => {
    loaded = {
      sweep: require('../../handlers/sweep'),
      sqs: require('@aws-sdk/client-sqs'),
      dynamodb: require('@aws-sdk/lib-dynamodb'),
      dynamodbClient: require('@aws-sdk/client-dynamodb'),
      config: require('@aws-sdk/client-config-service'),
      sts: require('@aws-sdk/client-sts'),
      apigateway: require('@aws-sdk/client-api-gateway'),
      apigatewayv2: require('@aws-sdk/client-apigatewayv2'),
    };
  });
  if (!loaded) throw new Error('the handler did not load');
  const sdk = loaded;
  const sqs = mockClient(sdk.sqs.SQSClient);
  // The baseline table, behind the DocumentClient and the low-level client (Powertools' idempotency records).
  const table = new InMemoryTable({ documents: sdk.dynamodb, client: sdk.dynamodbClient });
  const config = mockClient(sdk.config.ConfigServiceClient);
  const sts = mockClient(sdk.sts.STSClient);
  const apigateway = mockClient(sdk.apigateway.APIGatewayClient);
  const apigatewayv2 = mockClient(sdk.apigatewayv2.ApiGatewayV2Client);
  stubs.push(sqs, table, config, sts, apigateway, apigatewayv2);

  const batches: { QueueUrl?: string; Entries?: { Id?: string; MessageBody?: string }[] }[] = [];
  sqs.on(sdk.sqs.SendMessageBatchCommand).callsFake((input) => {
    batches.push(input);
    return {
      Successful: (input.Entries ?? []).map((entry: { Id: string }) => ({
        Id: entry.Id,
        MessageId: `m-${entry.Id}`,
        MD5OfMessageBody: '0',
      })),
      Failed: [],
      $metadata: metadata,
    };
  });
  const sent: { QueueUrl?: string; MessageBody?: string }[] = [];
  sqs.on(sdk.sqs.SendMessageCommand).callsFake((input) => {
    sent.push(input);
    return { MessageId: `m-${sent.length}`, MD5OfMessageBody: '0', $metadata: metadata };
  });
  const planned = () =>
    batches.flatMap((batch) => (batch.Entries ?? []).map((entry) => JSON.parse(entry.MessageBody ?? '{}')));
  return {
    sdk,
    handler: sdk.sweep.handler,
    sqs,
    config,
    sts,
    apigateway,
    apigatewayv2,
    table,
    planned,
    sent,
  };
}

const scheduled = { sweep: 'scheduled', account: HOME, time: '2026-11-23T12:00:00Z' };
const sqsEvent = (...bodies: string[]) => ({
  Records: bodies.map((body, index) => ({
    messageId: `0b1c2d3e-0000-4000-8000-00000000000${index}`,
    receiptHandle: 'AQEB…',
    body,
    attributes: {},
    messageAttributes: {},
    md5OfBody: '0',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:eu-west-1:${HOME}:gatewatch-sweep`,
    awsRegion: 'eu-west-1',
  })),
});

describe('the schedule', () => {
  it('plans the home account in the region it runs in', async () => {
    // Prepare
    const { handler, planned, sqs, sdk } = load();
    // Act
    const result = await handler(scheduled);
    // Assess
    expect(result).toEqual({ planned: 1 });
    expect(planned()).toEqual([
      { version: 1, accountId: HOME, region: 'eu-west-1', requestedAt: expect.any(String) },
    ]);
    expect(sqs).toHaveReceivedCommandWith(sdk.sqs.SendMessageBatchCommand, { QueueUrl: SWEEP_QUEUE });
  });

  it('plans every region the settings forward to the home region', async () => {
    const { handler, planned } = load({ regions: ['eu-west-1', 'us-east-1', 'ap-southeast-2'] });
    await handler(scheduled);
    expect(planned().map((message) => message.region)).toEqual(['eu-west-1', 'us-east-1', 'ap-southeast-2']);
  });

  it('for an organization, plans each member the aggregator or the baseline knows, in the member regions', async () => {
    // Prepare
    process.env.GATEWATCH_HOME_ACCOUNT = HOME;
    process.env.CONFIG_AGGREGATOR_NAME = 'gatewatch-organization';
    const { handler, planned, config, table, sdk } = load({
      regions: ['eu-west-1', 'us-east-1'],
      organization: {
        enabled: true,
        organizationId: 'o-a1b2c3d4e5',
        organizationalUnitIds: ['ou-a1b2-c3d4e5f6'],
        memberRegions: ['eu-west-1', 'us-east-1'],
      },
    });
    config.on(sdk.config.DescribeConfigurationAggregatorSourcesStatusCommand).resolves({
      AggregatedSourceStatusList: [
        { SourceId: MEMBER, SourceType: 'ACCOUNT', AwsRegion: 'eu-west-1', LastUpdateStatus: 'SUCCEEDED' },
        { SourceId: HOME, SourceType: 'ACCOUNT', AwsRegion: 'eu-west-1', LastUpdateStatus: 'SUCCEEDED' },
      ],
      $metadata: metadata,
    });
    // An account the baseline knows (its drift events were seen) but the aggregator does not list.
    table.items.set(`account#${OTHER}#arn:aws:apigateway:us-east-1::/account|state`, {
      pk: `account#${OTHER}#arn:aws:apigateway:us-east-1::/account`,
      sk: 'state',
      observedAt: '2026-11-23T00:00:00Z',
      entry: JSON.stringify({ arn: `account#${OTHER}#arn:aws:apigateway:us-east-1::/account` }),
    });

    // Act
    await handler(scheduled);

    // Assess: the home account in each of its regions; each member in each member region.
    expect(planned().map((message) => `${message.accountId} ${message.region}`)).toEqual([
      `${HOME} eu-west-1`,
      `${HOME} us-east-1`,
      `${MEMBER} eu-west-1`,
      `${MEMBER} us-east-1`,
      `${OTHER} eu-west-1`,
      `${OTHER} us-east-1`,
    ]);
    expect(config).toHaveReceivedCommandWith(sdk.config.DescribeConfigurationAggregatorSourcesStatusCommand, {
      ConfigurationAggregatorName: 'gatewatch-organization',
    });
  });

  it('rejects an event that is neither the schedule nor the sweep queue', async () => {
    const { handler } = load();
    await expect(handler({ sweep: 'now', account: HOME })).rejects.toThrow(
      /Scheduled event is invalid: sweep/,
    );
  });
});

describe('a sweep message', () => {
  it('sweeps the home account with its own role', async () => {
    // Prepare: an empty region.
    const { handler, apigateway, apigatewayv2, sdk, sts, table } = load();
    apigateway
      .on(sdk.apigateway.GetAccountCommand)
      .resolves({ cloudwatchRoleArn: `arn:aws:iam::${HOME}:role/apigw-logs`, $metadata: metadata });
    apigateway.on(sdk.apigateway.GetRestApisCommand).resolves({ items: [], $metadata: metadata });
    apigatewayv2.on(sdk.apigatewayv2.GetApisCommand).resolves({ Items: [], $metadata: metadata });
    apigatewayv2.on(sdk.apigatewayv2.GetDomainNamesCommand).resolves({ Items: [], $metadata: metadata });
    // Act
    const result = await handler(
      sqsEvent(
        JSON.stringify({
          version: 1,
          accountId: HOME,
          region: 'eu-west-1',
          requestedAt: '2026-11-23T12:00:00Z',
        }),
      ),
    );
    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(sts).not.toHaveReceivedCommand(sdk.sts.AssumeRoleCommand);
    expect(lines()).toContainEqual(
      expect.objectContaining({
        message: 'region swept',
        accountId: HOME,
        region: 'eu-west-1',
        resources: 1,
      }),
    );
    // Swept once: a redelivery of the message finds its record completed.
    expect(table.completed('sweep', '0b1c2d3e-0000-4000-8000-000000000000')).toBe(true);
  });

  it('reports a member whose role is refused as could not evaluate, and does not fail the message', async () => {
    // Prepare
    process.env.GATEWATCH_HOME_ACCOUNT = HOME;
    const { handler, sts, sdk, sent } = load({
      regions: ['eu-west-1'],
      organization: {
        enabled: true,
        organizationId: 'o-a1b2c3d4e5',
        organizationalUnitIds: ['ou-a1b2-c3d4e5f6'],
        memberRegions: ['eu-west-1'],
      },
    });
    sts.on(sdk.sts.AssumeRoleCommand).rejects(
      Object.assign(
        new sdk.sts.STSServiceException({
          name: 'AccessDenied',
          $fault: 'client',
          $metadata: { ...metadata, httpStatusCode: 403 },
          message: `User: arn:aws:sts::${HOME}:assumed-role/GatewatchOrganization-SweepHandlerRole/fn is not authorized to perform: sts:AssumeRole`,
        }),
      ),
    );
    // Act
    const result = await handler(
      sqsEvent(
        JSON.stringify({
          version: 1,
          accountId: MEMBER,
          region: 'eu-west-1',
          requestedAt: '2026-11-23T12:00:00Z',
        }),
      ),
    );
    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(sent.map((message) => message.QueueUrl)).toEqual([VERDICTS_QUEUE]);
    const [verdict] = JSON.parse(sent[0]?.MessageBody ?? '{}').verdicts;
    expect(verdict).toMatchObject({
      ruleId: 'could-not-evaluate',
      accountId: MEMBER,
      status: 'ERROR',
      eventName: 'ScheduledSweep',
    });
    expect(lines()).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'account not reachable; the other accounts are swept',
        accountId: MEMBER,
      }),
    );
  });

  it('hands a message that does not parse back to SQS, and counts it', async () => {
    const { handler, table } = load();
    const result = await handler(sqsEvent('{"version":1,"accountId":"me","region":"eu-west-1"}', 'not json'));
    expect(result).toEqual({
      batchItemFailures: [
        { itemIdentifier: '0b1c2d3e-0000-4000-8000-000000000000' },
        { itemIdentifier: '0b1c2d3e-0000-4000-8000-000000000001' },
      ],
    });
    // One EMF document per set of dimension values: the two data points are its values.
    const rejected = lines()
      .filter((line) => line.InputRejected !== undefined)
      .flatMap((line) => [line.InputRejected].flat());
    expect(rejected).toHaveLength(2);
    // Nothing is remembered of a message that failed: SQS's retry runs it again.
    expect([...table.items.keys()].filter((key) => key.startsWith('idempotency#'))).toEqual([]);
  });
});
