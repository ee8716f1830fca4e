// Reads scoped by the rules' declarations, and failed reads that keep only the rules needing
// them from being judged: the real SDK v3 clients against the in-process AWS of
// test/support/in-process-aws.ts, with one operation answered by an SDK-shaped 5xx or 403.
import { ConfigServiceClient, GetComplianceDetailsByConfigRuleCommand } from '@aws-sdk/client-config-service';
import { regionClients } from '../../aws/clients';
import { SdkConfigApi } from '../../aws/config/api';
import { collect } from '../../aws/read/collect';
import { LiveReader } from '../../aws/read/live';
import { planFor } from '../../aws/read/plan';
import { parseInvocation } from '../../events/config-invocation';
import { COULD_NOT_EVALUATE as COLLECTION_RULE_ID } from '../../model/finding';
import { v2ApiArn } from '../../model/identity';
import type { BaselineEntry } from '../../model/stores';
import type { Level, Logger } from '../../observe/log';
import { MemoryMetrics, metricNames } from '../../observe/metrics';
import { ReadCache } from '../../pipeline/config/cache';
import { handleInvocation } from '../../pipeline/config/evaluator';
import { CachedReads } from '../../pipeline/config/reads';
import { compareRead } from '../../pipeline/drift/detect';
import { scanInventory } from '../../pipeline/scan/scan';
import { catalog } from '../../rules/index';
import { type FaultKind, type ServiceName, sdkFault } from '../support/aws-faults';
import { fixtures } from '../support/event-sets';
import type { FaultHook } from '../support/in-process-aws';
import { REGION, unpaced, World } from '../support/reliability';

unpaced();
const world = new World();
afterAll(() => world.restore());
beforeEach(() => world.reset());

/** tracking-http: two of its four routes use a JWT authorizer. */
const TRACKING = 'h2t4r6k8m0';
/** partner-webhooks: one of its two routes uses a Lambda authorizer. */
const PARTNERS = 'w3b5h7k9p1';
const TRACKING_ARN = v2ApiArn(REGION, TRACKING);

/** Fails `service:operation` with `kind`, for the API `apiId` only when given. */
const failing =
  (service: ServiceName, operation: string, kind: FaultKind, apiId?: string): FaultHook =>
  (call) =>
    call.service === service &&
    call.operation === operation &&
    (apiId === undefined || (call.input as { ApiId?: string }).ApiId === apiId)
      ? sdkFault(kind, service, operation)
      : undefined;

/** The AWS calls made, by `service:operation`, AWS Config's own left out. */
const readCalls = () =>
  Object.fromEntries([...world.aws.calls].filter(([call]) => !call.startsWith('config:')).sort());

const logged: { level: Level; message: string; fields?: Readonly<Record<string, unknown>> }[] = [];
const logger: Logger = { log: (level, message, fields) => logged.push({ level, message, fields }) };

/** A periodic run of `ruleId`, through the evaluator as its handler wires it; `warm`: reads kept from runs before. */
async function periodic(ruleId: string, warm?: CachedReads) {
  const docsample = JSON.parse(fixtures.text('config-lambda-event-ScheduledNotification-docsample.json'));
  const invocation = parseInvocation({
    ...docsample,
    ruleParameters: JSON.stringify({ ruleId }),
    configRuleName: `gatewatch-${ruleId}`,
    configRuleArn: `arn:aws:config:${REGION}:${docsample.accountId}:config-rule/config-rule-6543210`,
  });
  const clients = regionClients({ region: REGION });
  const config = new SdkConfigApi(
    clients.pacer.attach(new ConfigServiceClient({ region: REGION }), 'config'),
  );
  const metrics = new MemoryMetrics();
  logged.length = 0;
  const result = await handleInvocation(invocation, {
    reads: warm ?? new CachedReads(() => clients, invocation.event.accountId, config, new ReadCache(30_000)),
    config,
    log: logger,
    metrics,
    region: REGION,
  });
  const delivered = world.config.delivered.flatMap((call) => call.Evaluations ?? []);
  return { result, delivered, metrics };
}

describe('a periodic AWS Config evaluation of one rule reads only what the rule declares', () => {
  it('a REST stage rule: the REST APIs and their stages, no HTTP/WebSocket API, no account settings', async () => {
    const { delivered } = await periodic('rest-stage-xray-tracing');

    expect(readCalls()).toEqual({ 'apigateway:GetRestApis': 1, 'apigateway:GetStages': 4 });
    expect(delivered.filter((e) => e.ComplianceResourceType === 'AWS::ApiGateway::Stage')).toHaveLength(5);
  });

  it('a REST method rule adds the working copies and deployments, still no HTTP/WebSocket API', async () => {
    await periodic('rest-method-authorization');

    const calls = readCalls();
    expect(Object.keys(calls).filter((call) => call.startsWith('apigatewayv2:'))).toEqual([]);
    expect(calls['apigateway:GetResources']).toBe(4);
    expect(calls['apigateway:GetDeployment']).toBeGreaterThan(0);
    expect(calls['apigateway:GetAccount']).toBeUndefined();
    expect(calls['wafv2:GetWebACL']).toBeUndefined();
  });

  it('an HTTP/WebSocket stage rule is judged while GetAuthorizers answers 500: it never asks for them', async () => {
    world.setFault(failing('apigatewayv2', 'GetAuthorizers', 'unavailable'));

    const { delivered } = await periodic('v2-stage-access-logging');

    expect(readCalls()).toEqual({ 'apigatewayv2:GetApis': 1, 'apigatewayv2:GetStages': 3 });
    expect(delivered.map((e) => e.ComplianceResourceType)).toEqual([
      'AWS::ApiGatewayV2::Stage',
      'AWS::ApiGatewayV2::Stage',
      'AWS::ApiGatewayV2::Stage',
    ]);
  });

  it('an account rule reads the account settings and its part of the logging path, and lists no API', async () => {
    await periodic('account-cloudwatch-role');

    expect(readCalls()).toEqual({ 'apigateway:GetAccount': 1, 'iam:GetRole': 1 });
  });

  it('the three account rules run one after the other in one warm Lambda read the account settings once', async () => {
    const clients = regionClients({ region: REGION });
    const config = new SdkConfigApi(
      clients.pacer.attach(new ConfigServiceClient({ region: REGION }), 'config'),
    );
    const warm = new CachedReads(() => clients, '111122223333', config, new ReadCache(30_000));

    for (const ruleId of [
      'account-cloudwatch-role',
      'account-cloudtrail-logging',
      'account-http-access-log-policy',
    ]) {
      await periodic(ruleId, warm);
    }
    const threeRules = readCalls();
    world.reset();
    const nothing = { snapshot: () => undefined, stagesWithWebAcl: () => [], stagesLoggingTo: () => [] };
    await new LiveReader(() => regionClients({ region: REGION }), '111122223333').read(
      { kind: 'account', region: REGION, reads: 'logging-path' },
      nothing,
    );

    // As many calls as one read of the whole logging path (what all three shared before the reads were scoped).
    expect(threeRules['apigateway:GetAccount']).toBe(1);
    expect(threeRules).toEqual(readCalls());
    expect(Object.keys(threeRules)).toEqual(
      expect.arrayContaining(['iam:GetRole', 'cloudtrail:DescribeTrails', 'logs:DescribeResourcePolicies']),
    );
  });

  it('the plan comes from the declarations: the whole catalog reads everything', () => {
    expect([...planFor(catalog)].sort()).toEqual(
      [
        'account',
        'domain-names',
        'invocation-metrics',
        'rest-apis',
        'rest-methods',
        'rest-stages',
        'v2-apis',
        'v2-authorizers',
        'v2-integrations',
        'v2-routes',
        'v2-stages',
        'web-acls',
      ].sort(),
    );
  });
});

describe('a failed read keeps only the rules that need it from being judged', () => {
  it('periodic: GetAuthorizers denied for one API leaves its routes unjudged and the others judged', async () => {
    world.setFault(failing('apigatewayv2', 'GetAuthorizers', 'denied', TRACKING));

    const { delivered } = await periodic('v2-route-authorization');

    const routes = delivered.filter((e) => e.ComplianceResourceType === 'AWS::ApiGatewayV2::Route');
    expect(routes.some((e) => e.ComplianceResourceId?.includes(TRACKING))).toBe(false);
    expect(routes.some((e) => e.ComplianceResourceId?.includes(PARTNERS))).toBe(true);
    expect(delivered).toContainEqual(
      expect.objectContaining({
        ComplianceResourceType: 'AWS::::Account',
        ComplianceType: 'NON_COMPLIANT',
        Annotation: expect.stringContaining('access denied'),
      }),
    );
  });

  it('scan: GetAuthorizers answering 500 for one HTTP API makes only the authorizer rule could-not-evaluate there', async () => {
    world.setFault(failing('apigatewayv2', 'GetAuthorizers', 'unavailable', TRACKING));

    const inventory = await collect([REGION], (region) => regionClients({ region }), { metricsDays: 0 });
    const { findings } = scanInventory(inventory, { rules: catalog });

    const ofTracking = findings.filter((finding) => finding.resourceArn.startsWith(TRACKING_ARN));
    expect(ofTracking.filter((finding) => finding.ruleId === 'v2-route-authorization')).toEqual([]);
    expect(new Set(ofTracking.map((finding) => finding.ruleId))).toEqual(
      new Set([
        'v2-stage-access-logging',
        'v2-stage-data-trace-disabled',
        'v2-stage-throttling',
        'websocket-stage-execution-logging',
        'stage-no-secrets-in-variables',
        'http-private-integration-tls',
        'api-default-endpoint-disabled',
        COLLECTION_RULE_ID,
      ]),
    );
    expect(ofTracking.filter((finding) => finding.ruleId === COLLECTION_RULE_ID)).toEqual([
      expect.objectContaining({
        status: 'ERROR',
        resourceArn: TRACKING_ARN,
        reason: `gatewatch could not read ${TRACKING_ARN} (GetAuthorizers: ServiceUnavailableException); the rules that need its authorizers were not evaluated.`,
      }),
    ]);
    expect(
      findings.some(
        (finding) => finding.ruleId === 'v2-route-authorization' && finding.resourceArn.includes(PARTNERS),
      ),
    ).toBe(true);
  });

  it('drift: GetAuthorizers denied leaves the routes judged by the others and keeps the authorizer rule’s state', async () => {
    world.setFault(failing('apigatewayv2', 'GetAuthorizers', 'denied'));
    const reader = new LiveReader(() => regionClients({ region: REGION }), '111122223333');
    const nothing = { snapshot: () => undefined, stagesWithWebAcl: () => [], stagesLoggingTo: () => [] };

    const read = await reader.read({ kind: 'v2-routes', region: REGION, apiId: TRACKING }, nothing);

    expect(read.snapshots.filter((snapshot) => snapshot.kind === 'v2-route')).toHaveLength(4);
    expect(read.problems).toEqual([
      expect.objectContaining({
        operation: 'GetAuthorizers',
        resource: TRACKING_ARN,
        read: 'v2-authorizers',
      }),
    ]);
    const [route] = read.snapshots;
    if (!route) throw new Error('no route read');
    const before: BaselineEntry = {
      arn: route.arn,
      snapshot: route,
      observedAt: '2026-01-01T00:00:00.000Z',
      rules: {
        'v2-route-authorization': {
          status: 'COMPLIANT',
          reason: 'as before',
          since: '2026-01-01T00:00:00.000Z',
        },
      },
    };
    const context = {
      eventName: 'UpdateAuthorizer',
      eventTime: '2026-01-02T00:00:00.000Z',
      eventId: 'e-1',
      eventSource: 'apigateway.amazonaws.com',
      actor: 'someone',
      sourceIp: null,
      userAgent: null,
      invokedBy: null,
      latencyMs: 0,
      observedAt: '2026-01-02T00:00:01.000Z',
    };
    const { verdicts, updated } = compareRead(
      read,
      new Map([[route.arn, before]]),
      context as Parameters<typeof compareRead>[2],
      { rules: catalog },
      { accountId: '111122223333', region: REGION },
    );

    expect(verdicts.filter((verdict) => verdict.ruleId === 'v2-route-authorization')).toEqual([]);
    expect(verdicts).toContainEqual(
      expect.objectContaining({
        ruleId: COLLECTION_RULE_ID,
        resourceArn: TRACKING_ARN,
        reason: expect.stringContaining('the rules that need its authorizers were not evaluated'),
      }),
    );
    expect(updated.find((entry) => entry.arn === route.arn)?.rules['v2-route-authorization']).toEqual(
      before.rules['v2-route-authorization'],
    );
  });
});

describe('the stale clean-up of a periodic run is best effort, after the evaluations are put', () => {
  it.each(['unavailable', 'denied'] as const)(
    'reading the previous evaluations fails (%s): the evaluations are still put, the failure logged and counted',
    async (kind) => {
      world.setFault(failing('config', 'GetComplianceDetailsByConfigRule', kind));

      const { delivered, metrics } = await periodic('rest-stage-xray-tracing');

      expect(delivered.filter((e) => e.ComplianceResourceType === 'AWS::ApiGateway::Stage')).toHaveLength(5);
      expect(world.config.stub.commandCalls(GetComplianceDetailsByConfigRuleCommand).length).toBeGreaterThan(
        0,
      );
      expect(metrics.total(metricNames.evaluationErrors)).toBe(1);
      expect(logged).toContainEqual(
        expect.objectContaining({ level: 'warn', message: 'stale evaluations not cleared' }),
      );
    },
  );
});
