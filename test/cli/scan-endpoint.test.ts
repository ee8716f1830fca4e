// `gatewatch scan --endpoint-url` against an AWS-compatible endpoint (as LocalStack would be):
// the real SDK clients, the real collector and the CLI, talking HTTP to an in-process fake.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { capture } from '../support/capture';
import { type FakeAwsEndpoint, type FakeEstate, startFakeAwsEndpoint } from '../support/fake-aws-endpoint';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const API_ID = 'a1b2c3d4e5';
const STAGE_ARN = `arn:aws:apigateway:${REGION}::/restapis/${API_ID}/stages/prod`;
const API_ARN = `arn:aws:apigateway:${REGION}::/restapis/${API_ID}`;

/** One REST API, well configured except: no web ACL, execution logging OFF, GET /orders open. */
const estate = (): FakeEstate => ({
  accountId: ACCOUNT,
  account: { cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/apigateway-cloudwatch-logs` },
  restApis: [
    {
      id: API_ID,
      name: 'orders',
      endpointTypes: ['REGIONAL'],
      stages: [
        {
          stageName: 'prod',
          deploymentId: 'dep1',
          methodSettings: {
            '*/*': {
              loggingLevel: 'OFF',
              dataTraceEnabled: false,
              metricsEnabled: true,
              throttlingRateLimit: 100,
              throttlingBurstLimit: 50,
              cachingEnabled: false,
              cacheDataEncrypted: false,
              cacheTtlInSeconds: 300,
            },
          },
          accessLogSettings: {
            destinationArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/apigateway/orders-prod`,
            format: JSON.stringify({
              requestId: '$context.requestId',
              sourceIp: '$context.identity.sourceIp',
              status: '$context.status',
            }),
          },
          tracingEnabled: true,
        },
      ],
      resources: [
        {
          path: '/orders',
          methods: {
            GET: {
              authorizationType: 'NONE',
              methodIntegration: {
                type: 'AWS_PROXY',
                httpMethod: 'POST',
                uri: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:orders/invocations`,
              },
            },
          },
        },
      ],
    },
  ],
});

interface JsonFinding {
  ruleId: string;
  resourceArn: string;
  status: string;
  severity: string;
  reason: string;
  resourceType?: string;
}

let fake: FakeAwsEndpoint | undefined;
let savedEnv: Record<string, string | undefined>;
let dir: string;

beforeEach(() => {
  savedEnv = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => key.startsWith('AWS_') || key === 'CI'),
  );
  for (const key of Object.keys(savedEnv)) delete process.env[key];
  // Fake credentials, no instance metadata, no shared config that could redirect the SDK.
  process.env.AWS_ACCESS_KEY_ID = 'AKIAFAKEFAKEFAKEFAKE';
  process.env.AWS_SECRET_ACCESS_KEY = 'fake-secret-access-key';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/aws-credentials';
  process.env.CI = 'true';
  dir = mkdtempSync(join(tmpdir(), 'gatewatch-scan-'));
});

afterEach(async () => {
  await fake?.close();
  fake = undefined;
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('AWS_') || key === 'CI') delete process.env[key];
  }
  for (const [key, value] of Object.entries(savedEnv)) if (value !== undefined) process.env[key] = value;
  rmSync(dir, { recursive: true, force: true });
});

async function scan(args: readonly string[]) {
  const out = capture();
  const code = await main(['scan', ...args], out);
  return { code, text: out.text() };
}

const live = (url: string, ...more: string[]) => [
  '--endpoint-url',
  url,
  '--region',
  REGION,
  '--metrics-days',
  '0',
  ...more,
];

const needingAttention = (findings: readonly JsonFinding[]) =>
  findings.filter((finding) => finding.status === 'NON_COMPLIANT' || finding.status === 'ERROR');

const EXPECTED_RULES = [
  'rest-method-authorization',
  'rest-stage-execution-logging',
  'rest-stage-waf-attached',
];

describe('gatewatch scan --endpoint-url: the logging path', () => {
  it('reports a stopped trail and a deleted CloudWatch Logs role, with a few calls for the region', async () => {
    fake = await startFakeAwsEndpoint({
      ...estate(),
      account: { cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/apigateway-cloudwatch-logs` },
      loggingPath: {
        trails: [
          { name: 'management-events', homeRegion: 'us-east-1', isMultiRegionTrail: true, isLogging: false },
        ],
        roles: [],
      },
    });

    const { text } = await scan(live(fake.url, '--format', 'json'));

    const report = JSON.parse(text) as {
      findings: JsonFinding[];
      summary: { calls: Record<string, number> };
    };
    const onAccount = report.findings.filter((finding) => finding.resourceType === 'account');
    expect(onAccount.map((finding) => [finding.ruleId, finding.status]).sort()).toEqual([
      ['account-cloudtrail-logging', 'NON_COMPLIANT'],
      ['account-cloudwatch-role', 'NON_COMPLIANT'],
    ]);
    expect(onAccount.find((finding) => finding.ruleId === 'account-cloudwatch-role')?.reason).toContain(
      'no longer exists',
    );
    expect(report.summary.calls).toMatchObject({
      DescribeTrails: 1,
      GetTrailStatus: 1,
      GetEventSelectors: 1,
      DescribeResourcePolicies: 1,
      GetRole: 1,
    });
    expect(fake.unhandled).toEqual([]);
  });

  it('says the role could not be checked when iam:GetRole is denied, and the scan goes on', async () => {
    fake = await startFakeAwsEndpoint({
      ...estate(),
      account: { cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/apigateway-cloudwatch-logs` },
      failures: {
        GetRole: { status: 403, code: 'AccessDenied', message: 'not authorized to perform: iam:GetRole' },
      },
    });

    const { text } = await scan(live(fake.url, '--format', 'json'));

    const report = JSON.parse(text) as { findings: JsonFinding[] };
    const role = report.findings.find((finding) => finding.ruleId === 'account-cloudwatch-role');
    expect(role).toMatchObject({ status: 'ERROR' });
    expect(role?.reason).toContain('could not read it (iam:GetRole)');
  });
});

describe('gatewatch scan --endpoint-url', () => {
  it('reads the account through the endpoint and reports exactly what is wrong with it', async () => {
    fake = await startFakeAwsEndpoint(estate());

    const { code, text } = await scan(live(fake.url, '--format', 'json'));

    expect(code).toBe(0);
    const report = JSON.parse(text) as {
      findings: JsonFinding[];
      summary: { calls: Record<string, number>; skippedRules: { ruleId: string }[] };
    };
    const onStage = report.findings.filter(
      (finding) => finding.resourceArn === STAGE_ARN && finding.status === 'NON_COMPLIANT',
    );
    expect(onStage.map((finding) => finding.ruleId).sort()).toEqual(EXPECTED_RULES);
    expect(needingAttention(report.findings)).toEqual(onStage);

    // Every call was one the fake knows, signed for the region asked for.
    expect(fake.unhandled).toEqual([]);
    expect(new Set(fake.requests.map((request) => request.region))).toEqual(new Set([REGION]));
    expect(new Set(fake.requests.map((request) => request.service))).toEqual(
      new Set(['sts', 'apigateway', 'cloudtrail', 'logs', 'iam']),
    );
    expect(fake.requests.find((r) => r.operation === 'GetResources')?.query).toMatchObject({
      embed: 'methods',
    });
    expect(fake.requests.find((r) => r.operation === 'GetDeployment')?.query).toMatchObject({
      embed: 'apisummary',
    });
    expect(report.summary.calls).toMatchObject({ GetCallerIdentity: 1, GetStages: 1, GetDeployment: 1 });
    // With --metrics-days 0 the metrics rule is skipped and says so, rather than failing to evaluate.
    expect(report.summary.skippedRules.map((skipped) => skipped.ruleId)).toEqual(['api-unused']);
  });

  it('exits 1 with --fail-on HIGH, 0 when nothing reaches the threshold', async () => {
    fake = await startFakeAwsEndpoint(estate());

    expect((await scan(live(fake.url, '--format', 'json', '--fail-on', 'HIGH'))).code).toBe(1);
    expect((await scan(live(fake.url, '--format', 'json', '--fail-on', 'CRITICAL'))).code).toBe(0);
  });

  it('writes valid SARIF 2.1.0 with those results', async () => {
    fake = await startFakeAwsEndpoint(estate());

    const { code, text } = await scan(live(fake.url, '--format', 'sarif'));

    expect(code).toBe(0);
    const sarif = JSON.parse(text);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    expect(sarif.runs).toHaveLength(1);
    const [run] = sarif.runs;
    expect(run.tool.driver.name).toBe('gatewatch');
    const ruleIds: string[] = run.tool.driver.rules.map((rule: { id: string }) => rule.id);
    expect(new Set(ruleIds).size).toBe(ruleIds.length);
    for (const result of run.results) {
      expect(ruleIds).toContain(result.ruleId);
      expect(['none', 'note', 'warning', 'error']).toContain(result.level);
      expect(typeof result.message.text).toBe('string');
      expect(result.message.text.length).toBeGreaterThan(0);
      expect(result.locations[0].logicalLocations[0].fullyQualifiedName).toMatch(/^arn:aws:/);
    }
    const onStage = run.results.filter(
      (result: { locations: { logicalLocations: { fullyQualifiedName: string }[] }[] }) =>
        result.locations[0]?.logicalLocations[0]?.fullyQualifiedName === STAGE_ARN,
    );
    expect(onStage.map((result: { ruleId: string }) => result.ruleId).sort()).toEqual(EXPECTED_RULES);
    expect(run.results).toHaveLength(EXPECTED_RULES.length);
  });

  it('judges a saved inventory exactly as the live scan, without the endpoint', async () => {
    fake = await startFakeAwsEndpoint(estate());
    const file = join(dir, 'inventory.json');

    const first = await scan(live(fake.url, '--format', 'json', '--all', '--save-inventory', file));
    await fake.close();
    fake = undefined;
    const second = await scan(['--inventory', file, '--format', 'json', '--all']);

    expect(second.code).toBe(first.code);
    expect(JSON.parse(second.text).findings).toEqual(JSON.parse(first.text).findings);
    expect(JSON.parse(readFileSync(file, 'utf8')).regions[0].restApis[0].api.id).toBe(API_ID);
  });

  it('honours AWS_ENDPOINT_URL instead of the flag', async () => {
    fake = await startFakeAwsEndpoint(estate());
    process.env.AWS_ENDPOINT_URL = fake.url;

    const { code, text } = await scan(['--region', REGION, '--metrics-days', '0', '--format', 'json']);

    expect(code).toBe(0);
    const findings = JSON.parse(text).findings as JsonFinding[];
    expect(
      needingAttention(findings)
        .map((finding) => finding.ruleId)
        .sort(),
    ).toEqual(EXPECTED_RULES);
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(fake.unhandled).toEqual([]);
  });

  it('reports an API it may not read as "could not evaluate", and --fail-on still decides the exit code', async () => {
    fake = await startFakeAwsEndpoint({
      ...estate(),
      failures: {
        GetStages: {
          status: 403,
          code: 'AccessDeniedException',
          message: `User: arn:aws:iam::${ACCOUNT}:user/gatewatch-test is not authorized to perform: apigateway:GET on resource: ${API_ARN}/stages`,
        },
      },
    });

    const high = await scan(live(fake.url, '--format', 'json', '--fail-on', 'HIGH'));
    const medium = await scan(live(fake.url, '--format', 'json', '--fail-on', 'MEDIUM'));

    const findings = JSON.parse(high.text).findings as JsonFinding[];
    expect(needingAttention(findings)).toEqual([
      expect.objectContaining({
        ruleId: 'could-not-evaluate',
        resourceArn: API_ARN,
        status: 'ERROR',
        severity: 'MEDIUM',
        reason: expect.stringContaining('AccessDeniedException, access denied'),
      }),
    ]);
    expect(high.code).toBe(0);
    expect(medium.code).toBe(1);
    expect(fake.requests.filter((r) => r.operation === 'GetStages').map((r) => r.status)).toEqual([403, 403]);
  });

  it('exits 3 with --fail-on when every read is denied, and the SARIF says the run did not succeed', async () => {
    const denied = {
      status: 403,
      code: 'AccessDeniedException',
      message: 'not authorized to perform: apigateway:GET',
    };
    fake = await startFakeAwsEndpoint({
      ...estate(),
      failures: { GetAccount: denied, GetRestApis: denied, GetApis: denied, GetDomainNames: denied },
    });

    const high = await scan(live(fake.url, '--format', 'json', '--fail-on', 'HIGH'));
    const unbounded = await scan(live(fake.url, '--format', 'json'));
    const sarif = await scan(live(fake.url, '--format', 'sarif', '--fail-on', 'HIGH'));
    const table = await scan(live(fake.url, '--fail-on', 'HIGH'));

    expect(high.code).toBe(3);
    expect(unbounded.code).toBe(0);
    const report = JSON.parse(high.text);
    expect(report.summary.evaluated).toBe(false);
    expect(report.findings.length).toBeGreaterThan(0);
    for (const finding of report.findings)
      expect(finding).toMatchObject({ ruleId: 'could-not-evaluate', status: 'ERROR' });
    const [invocation] = JSON.parse(sarif.text).runs[0].invocations;
    expect(invocation).toMatchObject({ executionSuccessful: false, exitCode: 3 });
    expect(invocation.toolExecutionNotifications).toHaveLength(report.findings.length);
    expect(table.text).toContain('Nothing could be evaluated: every read failed or was denied.');
  });

  it('reads HTTP APIs, custom domains and web ACLs in their wire formats, across pages', async () => {
    const webAclArn = `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/orders-acl/1111-2222`;
    const base = estate();
    const [rest] = base.restApis ?? [];
    fake = await startFakeAwsEndpoint({
      ...base,
      pageSize: 1,
      restApis: [
        {
          ...(rest as NonNullable<typeof rest>),
          stages: (rest?.stages ?? []).map((stage) => ({ ...stage, webAclArn })),
          resources: [
            ...(rest?.resources ?? []),
            { path: '/orders/{id}', methods: { DELETE: { authorizationType: 'AWS_IAM' } } },
          ],
        },
      ],
      webAcls: [
        {
          Name: 'orders-acl',
          Id: '1111-2222',
          ARN: webAclArn,
          DefaultAction: { Allow: {} },
          Rules: [
            {
              Name: 'common',
              Priority: 0,
              Statement: {
                ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' },
              },
              OverrideAction: { None: {} },
              VisibilityConfig: {
                SampledRequestsEnabled: true,
                CloudWatchMetricsEnabled: true,
                MetricName: 'c',
              },
            },
          ],
          VisibilityConfig: {
            SampledRequestsEnabled: true,
            CloudWatchMetricsEnabled: true,
            MetricName: 'acl',
          },
        },
      ],
      v2Apis: [
        {
          apiId: 'h1t2t3p4',
          name: 'search',
          protocolType: 'HTTP',
          stages: [
            {
              stageName: '$default',
              autoDeploy: true,
              defaultRouteSettings: {
                throttlingRateLimit: 50,
                throttlingBurstLimit: 20,
                detailedMetricsEnabled: false,
              },
              accessLogSettings: {
                destinationArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:search',
                format: '{}',
              },
            },
          ],
          routes: [
            { routeId: 'rt1', routeKey: 'GET /search', authorizationType: 'JWT', authorizerId: 'au1' },
            { routeId: 'rt2', routeKey: 'GET /health', authorizationType: 'NONE' },
          ],
          integrations: [
            {
              integrationId: 'in1',
              integrationType: 'HTTP_PROXY',
              connectionType: 'VPC_LINK',
              tlsConfig: { serverNameToVerify: 'search.internal' },
            },
          ],
          authorizers: [{ authorizerId: 'au1', name: 'cognito', authorizerType: 'JWT' }],
        },
      ],
      domainNames: [
        {
          domainName: 'api.example.com',
          domainNameConfigurations: [
            { endpointType: 'REGIONAL', securityPolicy: 'TLS_1_2', domainNameStatus: 'AVAILABLE' },
          ],
          apiMappings: [
            { apiId: 'h1t2t3p4', stage: '$default', apiMappingKey: 'search' },
            { apiId: API_ID, stage: 'prod', apiMappingKey: 'orders' },
          ],
        },
      ],
    });
    const file = join(dir, 'inventory.json');

    await scan(live(fake.url, '--format', 'json', '--save-inventory', file));

    expect(fake.unhandled).toEqual([]);
    expect(fake.requests.find((r) => r.operation === 'GetWebACL')?.service).toBe('wafv2');
    // pageSize 1: the root and two resources take three GetResources calls.
    expect(fake.requests.filter((r) => r.operation === 'GetResources')).toHaveLength(3);
    const region = JSON.parse(readFileSync(file, 'utf8')).regions[0];
    expect(region.errors).toEqual([]);
    expect(region.restApis[0].resources.map((r: { path: string }) => r.path)).toEqual([
      '/',
      '/orders',
      '/orders/{id}',
    ]);
    expect(region.restApis[0].deployments.dep1.apiSummary).toEqual({
      '/orders': { GET: { authorizationType: 'NONE', apiKeyRequired: false } },
      '/orders/{id}': { DELETE: { authorizationType: 'AWS_IAM', apiKeyRequired: false } },
    });
    expect(region.webAcls[webAclArn]).toMatchObject({
      Name: 'orders-acl',
      Rules: [{ Statement: { ManagedRuleGroupStatement: { Name: 'AWSManagedRulesCommonRuleSet' } } }],
    });
    expect(region.v2Apis[0]).toMatchObject({
      api: {
        ApiId: 'h1t2t3p4',
        Name: 'search',
        ProtocolType: 'HTTP',
        CreatedDate: '2024-01-15T09:30:00.000Z',
      },
      stages: [
        {
          StageName: '$default',
          DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 20 },
          AccessLogSettings: { Format: '{}' },
        },
      ],
      routes: [
        { RouteId: 'rt1', RouteKey: 'GET /search', AuthorizationType: 'JWT', AuthorizerId: 'au1' },
        { RouteId: 'rt2', AuthorizationType: 'NONE' },
      ],
      integrations: [
        {
          IntegrationId: 'in1',
          ConnectionType: 'VPC_LINK',
          TlsConfig: { ServerNameToVerify: 'search.internal' },
        },
      ],
      authorizers: [{ AuthorizerId: 'au1', AuthorizerType: 'JWT' }],
    });
    expect(region.domainNames[0]).toMatchObject({
      domainName: {
        DomainName: 'api.example.com',
        DomainNameConfigurations: [{ EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }],
      },
      apiMappings: [
        { ApiId: 'h1t2t3p4', Stage: '$default', ApiMappingKey: 'search' },
        { ApiId: API_ID, Stage: 'prod', ApiMappingKey: 'orders' },
      ],
    });
  });
});
