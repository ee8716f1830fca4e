// The drift function of an organization's central account (GATEWATCH_HOME_ACCOUNT set by the
// GatewatchOrganization stack): an event forwarded from a member account is read through that
// account's gatewatch reader role for the event's region, its state is kept under the account's
// own keys, and the verdict names the account and region; a member whose role cannot be assumed
// gives a could-not-evaluate verdict naming the account, and the event is handled, not retried.
// Loaded afresh per test with its SDK classes (see handler.test.ts for why).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import 'aws-sdk-client-mock-jest';
import { readInventory } from '../../aws/read/inventory-file';
import { baselineFromScan } from '../../pipeline/drift/baseline-from-scan';
import { scanInventory } from '../../pipeline/scan/scan';
import { catalog } from '../../rules/index';
import { InMemoryTable } from '../support/in-process-aws';
import { mockClient } from '../support/sdk';

const ROOT = join(__dirname, '..', '..');
const HOME = '111122223333';
const MEMBER = '444455556666';
const REGION = 'eu-west-1';
const PAYMENTS = 'p7m2v8c4rt';
const PROD_ARN = `arn:aws:apigateway:${REGION}::/restapis/${PAYMENTS}/stages/prod`;
const metadata = {
  httpStatusCode: 200,
  requestId: 'a1b2c3d4-0000-4000-8000-000000000002',
  attempts: 1,
  totalRetryDelay: 0,
};

/** Event 01 (web ACL detached from payments-api prod) as it arrives forwarded from the member account. */
function memberEvent(): Record<string, unknown> {
  const event = JSON.parse(
    readFileSync(join(ROOT, 'examples/drift/events/01-disassociate-web-acl.json'), 'utf8'),
  );
  const text = JSON.stringify(event).split(HOME).join(MEMBER);
  return JSON.parse(text);
}

/** The member's baseline as a scan of the demo estate left it, under the member's keys. */
function memberBaseline(): Record<string, unknown>[] {
  const demo = readInventory(join(ROOT, 'examples/inventory/demo.json'));
  const scan = scanInventory(demo, { rules: catalog });
  return baselineFromScan(scan.estate, scan.findings, demo.collectedAt)
    .filter(
      (entry) =>
        entry.arn === PROD_ARN || entry.arn === `arn:aws:apigateway:${REGION}::/restapis/${PAYMENTS}`,
    )
    .map((entry) => {
      const member = JSON.parse(JSON.stringify(entry).split(HOME).join(MEMBER));
      return {
        pk: `account#${MEMBER}#${entry.arn}`,
        sk: 'state',
        observedAt: entry.observedAt,
        entry: JSON.stringify({ ...member, arn: `account#${MEMBER}#${entry.arn}` }),
      };
    });
}

/** payments-api prod as AWS answers after event 01: no web ACL. */
function prodAfterDrift(): Record<string, unknown> {
  const state = JSON.parse(
    readFileSync(join(ROOT, 'examples/drift/state-1-after-update-method.json'), 'utf8'),
  ) as { regions: { restApis: { api: { id: string }; stages: { stageName: string }[] }[] }[] };
  const prod = state.regions[0]?.restApis
    .find((candidate) => candidate.api.id === PAYMENTS)
    ?.stages.find((stage) => stage.stageName === 'prod');
  return JSON.parse(JSON.stringify(prod), (key, value) =>
    /^(created|lastUpdated)Date$/i.test(key) && typeof value === 'string' ? new Date(value) : value,
  );
}

const stubs: { restore(): void }[] = [];
const savedEnv = { ...process.env };
let output: string[] = [];

beforeEach(() => {
  output = [];
  process.env = {
    ...savedEnv,
    AWS_ACCESS_KEY_ID: 'ASIAGATEWATCHTEST0001',
    AWS_SECRET_ACCESS_KEY: 'gatewatchTestSecretKey/DoNotLog/0123456789abcdef',
    AWS_REGION: REGION,
    BASELINE_TABLE: 'gatewatch-baseline',
    GATEWATCH_HOME_ACCOUNT: HOME,
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

const logLines = () =>
  output
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => !('_aws' in line));

function load() {
  let loaded:
    | {
        drift: typeof import('../../handlers/drift');
        dynamodb: typeof import('@aws-sdk/lib-dynamodb');
        dynamodbClient: typeof import('@aws-sdk/client-dynamodb');
        apigateway: typeof import('@aws-sdk/client-api-gateway');
        sts: typeof import('@aws-sdk/client-sts');
      }
    | undefined;
  jest.isolateModules(() => {
    loaded = {
      drift: require('../../handlers/drift'),
      dynamodb: require('@aws-sdk/lib-dynamodb'),
      dynamodbClient: require('@aws-sdk/client-dynamodb'),
      apigateway: require('@aws-sdk/client-api-gateway'),
      sts: require('@aws-sdk/client-sts'),
    };
  });
  if (!loaded) throw new Error('the handler did not load');
  const sdk = loaded;
  const dynamo = new InMemoryTable({ documents: sdk.dynamodb, client: sdk.dynamodbClient });
  const apigateway = mockClient(sdk.apigateway.APIGatewayClient);
  const sts = mockClient(sdk.sts.STSClient);
  stubs.push(dynamo, apigateway, sts);
  const table = dynamo.items;
  for (const item of memberBaseline()) table.set(`${item.pk}|${item.sk}`, item);
  return { sdk, handler: sdk.drift.handler, apigateway, sts, table, dynamo };
}

describe('the drift function of an organization', () => {
  it('reads a member account through its reader role and keeps its state under the account', async () => {
    // Prepare
    const aws = load();
    aws.sts.on(aws.sdk.sts.AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIAEXAMPLEMEMBER001',
        SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        SessionToken: 'FwoGZXIvYXdzEXAMPLE',
        Expiration: new Date(Date.now() + 3600_000),
      },
      $metadata: metadata,
    });
    aws.apigateway
      .on(aws.sdk.apigateway.GetStageCommand)
      .resolves({ ...prodAfterDrift(), $metadata: metadata });

    // Act
    const result = await aws.handler(memberEvent());

    // Assess
    expect(result).toEqual({ judged: 1, ignored: 0 });
    expect(aws.sts).toHaveReceivedCommandWith(aws.sdk.sts.AssumeRoleCommand, {
      RoleArn: `arn:aws:iam::${MEMBER}:role/gatewatch-reader-${REGION}`,
      RoleSessionName: 'gatewatch-drift',
    });
    const keys = [...aws.table.keys()];
    expect(keys.filter((key) => key.startsWith('arn:'))).toEqual([]);
    const stored = JSON.parse(aws.table.get(`account#${MEMBER}#${PROD_ARN}|state`)?.entry as string);
    expect(stored).toMatchObject({
      snapshot: { kind: 'rest-stage', accountId: MEMBER, region: REGION, webAclArn: null },
      rules: { 'rest-stage-waf-attached': { status: 'NON_COMPLIANT' } },
    });
    expect(logLines()).toContainEqual(
      expect.objectContaining({
        message: 'verdict',
        ruleId: 'rest-stage-waf-attached',
        resourceArn: PROD_ARN,
        status: 'NON_COMPLIANT',
      }),
    );
  });

  it('reports a member whose role is refused as could not evaluate, and handles the event', async () => {
    // Prepare
    const aws = load();
    aws.sts.on(aws.sdk.sts.AssumeRoleCommand).rejects(
      new aws.sdk.sts.STSServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { ...metadata, httpStatusCode: 403 },
        message:
          'User: arn:aws:sts::111122223333:assumed-role/GatewatchOrganization-DriftHandlerRole/fn is not authorized to perform: sts:AssumeRole',
      }),
    );

    // Act
    const result = await aws.handler(memberEvent());

    // Assess
    expect(result).toEqual({ judged: 1, ignored: 0 });
    expect(aws.apigateway).not.toHaveReceivedAnyCommand();
    expect(logLines()).toContainEqual(
      expect.objectContaining({
        message: 'verdict',
        ruleId: 'could-not-evaluate',
        status: 'ERROR',
        resourceArn: `arn:aws:iam::${MEMBER}:role/gatewatch-reader-${REGION}`,
        reason: expect.stringMatching(
          /could not read .*gatewatch-reader-eu-west-1 .*AssumeRole: AccessDenied/,
        ),
      }),
    );
    expect(aws.dynamo.completed('drift', '3b8e4f10-6d2c-4a7e-b5f9-000000000001')).toBe(true);
  });
});
