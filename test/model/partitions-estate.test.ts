// An estate in AWS GovCloud (US) or China is named in its own partition on every path: the demo
// inventory moved there (its regions and every ARN rewritten, here, in memory) is scanned, one
// example drift event moved with it is replayed through the drift pipeline, and a stage item in
// that partition is evaluated for AWS Config. No output names an `arn:aws:` resource.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APIGatewayClient, GetRestApiCommand } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, GetApiCommand, GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { regionClients } from '../../aws/clients';
import { SdkConfigApi } from '../../aws/config/api';
import { InventoryReader } from '../../aws/read/from-inventory';
import { type Inventory, inventorySchema } from '../../aws/read/schema';
import { MemoryBaselineStore } from '../../aws/stores/baseline-memory';
import { parseInvocation } from '../../events/config-invocation';
import { parseEvents } from '../../events/schema';
import { silentLogger } from '../../observe/log';
import { MemoryMetrics } from '../../observe/metrics';
import { ReadCache } from '../../pipeline/config/cache';
import { handleInvocation } from '../../pipeline/config/evaluator';
import { CachedReads } from '../../pipeline/config/reads';
import { baselineFromScan } from '../../pipeline/drift/baseline-from-scan';
import { processEvent } from '../../pipeline/drift/detect';
import { scanInventory } from '../../pipeline/scan/scan';
import { CollectingSink } from '../../pipeline/sinks';
import { catalog } from '../../rules/index';
import { fastPacer, mockClient } from '../support/sdk';

const ROOT = join(__dirname, '..', '..');
const ACCOUNT = '111122223333';

/** The demo's two regions and where each moves. */
const moves = [
  { partition: 'aws-us-gov', regions: { 'eu-west-1': 'us-gov-west-1', 'us-east-1': 'us-gov-east-1' } },
  { partition: 'aws-cn', regions: { 'eu-west-1': 'cn-north-1', 'us-east-1': 'cn-northwest-1' } },
] as const;

type Move = (typeof moves)[number];

/** A JSON text with its regions and the partition of every ARN rewritten. */
function moved(text: string, move: Move): string {
  let out = text.replaceAll('arn:aws:', `arn:${move.partition}:`);
  for (const [from, to] of Object.entries(move.regions)) out = out.replaceAll(from, to);
  return out;
}

const demoText = readFileSync(join(ROOT, 'examples/inventory/demo.json'), 'utf8');
const demo: Inventory = inventorySchema.parse(JSON.parse(demoText));
const ARN = /arn:[\w-]+:[\w-]+:/g;

/** The partitions of every ARN in a value (as JSON), counted. */
function partitionsIn(value: unknown): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [arn] of JSON.stringify(value).matchAll(ARN)) {
    const partition = arn.split(':')[1] as string;
    counts.set(partition, (counts.get(partition) ?? 0) + 1);
  }
  return counts;
}

describe.each(moves)('the demo estate moved to $partition', (move) => {
  const inventory: Inventory = inventorySchema.parse(JSON.parse(moved(demoText, move)));
  const west = move.regions['eu-west-1'];

  it('is scanned with every finding named in that partition', () => {
    const { findings } = scanInventory(inventory, { rules: catalog });
    const home = scanInventory(demo, { rules: catalog }).findings;

    expect(findings).toHaveLength(home.length);
    expect(findings.filter((finding) => !finding.resourceArn.startsWith(`arn:${move.partition}:`))).toEqual(
      [],
    );
    expect(JSON.stringify(findings)).not.toContain('arn:aws:');
    expect([...partitionsIn(findings).keys()]).toEqual([move.partition]);
  });

  it('is replayed through the drift pipeline with verdicts named in that partition', async () => {
    const scan = scanInventory(inventory, { rules: catalog });
    const baseline = new MemoryBaselineStore(
      baselineFromScan(scan.estate, scan.findings, inventory.collectedAt),
    );
    const eventText = readFileSync(
      join(ROOT, 'examples/drift/events/02-update-stage-logging-off.json'),
      'utf8',
    );
    const [event] = parseEvents(JSON.parse(moved(eventText, move)), 'the moved example event');
    const sink = new CollectingSink();

    const outcome = await processEvent(event as NonNullable<typeof event>, {
      reader: new InventoryReader(inventory),
      baseline,
      rules: catalog,
      sink,
      metrics: new MemoryMetrics(),
      log: silentLogger,
      now: () => new Date('2026-11-23T09:15:00Z'),
    });

    expect(outcome.kind).toBe('judged');
    const verdicts = outcome.kind === 'judged' ? outcome.verdicts : [];
    expect(verdicts.length).toBeGreaterThan(0);
    for (const verdict of verdicts) {
      expect(verdict.resourceArn).toMatch(new RegExp(`^arn:${move.partition}:apigateway:${west}::/`));
      expect(verdict.region).toBe(west);
    }
    expect(JSON.stringify(verdicts)).not.toContain('arn:aws:');
    expect(JSON.stringify(await baseline.list())).not.toContain('arn:aws:');
  });

  describe('a stage item evaluated for AWS Config', () => {
    const apigateway = mockClient(APIGatewayClient);
    const apigatewayv2 = mockClient(ApiGatewayV2Client);
    const config = mockClient(ConfigServiceClient);
    beforeEach(() => {
      for (const mock of [apigateway, apigatewayv2, config]) mock.reset();
      config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
      config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
      apigateway.on(GetRestApiCommand).resolves({ id: 'k7m2p9q4ab', name: 'billing-api' });
      apigatewayv2.on(GetApiCommand).resolves({ ApiId: 'r5t8w2y6ux', Name: 'ticker', ProtocolType: 'HTTP' });
      apigatewayv2.on(GetApisCommand).resolves({ Items: [] });
    });
    afterAll(() => {
      for (const mock of [apigateway, apigatewayv2, config]) mock.restore();
    });

    it.each([
      {
        resourceType: 'AWS::ApiGateway::Stage',
        api: ['AWS::ApiGateway::RestApi', 'restapis/k7m2p9q4ab', 'billing-api'],
        ruleId: 'rest-stage-execution-logging',
        configuration: {
          deploymentId: 'w4v8z1',
          stageName: 'sandbox',
          cacheClusterEnabled: false,
          methodSettings: { '*/*': { metricsEnabled: false, loggingLevel: 'OFF', dataTraceEnabled: false } },
          tracingEnabled: false,
          createdDate: 'Jan 12, 2026 11:20:37 AM',
          lastUpdatedDate: 'Feb 3, 2026 9:44:53 AM',
        },
      },
      {
        resourceType: 'AWS::ApiGatewayV2::Stage',
        api: ['AWS::ApiGatewayV2::Api', 'apis/r5t8w2y6ux', 'ticker'],
        ruleId: 'v2-stage-access-logging',
        configuration: {
          stageName: 'sandbox',
          deploymentId: 'q3n7c2',
          defaultRouteSettings: {
            detailedMetricsEnabled: false,
            loggingLevel: 'OFF',
            dataTraceEnabled: false,
          },
          routeSettings: {},
          stageVariables: {},
          createdDate: 'Feb 10, 2026 6:30:12 AM',
          lastUpdatedDate: 'Feb 10, 2026 6:30:12 AM',
        },
      },
    ])(
      '$resourceType is reported to Config by its ARN in that partition',
      async ({ resourceType, api, ruleId, configuration }) => {
        const [apiType, apiPath, apiName] = api as [string, string, string];
        const apiArn = `arn:${move.partition}:apigateway:${west}::/${apiPath}`;
        const stage = `${apiArn}/stages/sandbox`;
        const configurationItem = {
          relatedEvents: [],
          relationships: [
            { resourceId: apiArn, resourceName: apiName, resourceType: apiType, name: 'Is contained in ' },
          ],
          configuration,
          supplementaryConfiguration: {},
          tags: {},
          configurationItemVersion: '1.3',
          configurationItemCaptureTime: '2026-02-03T09:44:53.418Z',
          configurationStateId: 1770111893418,
          awsAccountId: ACCOUNT,
          configurationItemStatus: 'OK',
          resourceType,
          resourceId: stage,
          resourceName: 'sandbox',
          ARN: stage,
          awsRegion: west,
          availabilityZone: 'Not Applicable',
          configurationStateMd5Hash: '',
          resourceCreationTime: '2026-01-12T11:20:37.604Z',
        };
        const invokingEvent = {
          configurationItemDiff: { changedProperties: {}, changeType: 'UPDATE' },
          configurationItem,
          notificationCreationTime: '2026-02-03T09:44:54.000Z',
          messageType: 'ConfigurationItemChangeNotification',
          recordVersion: '1.3',
        };
        const clients = regionClients({ region: west, pacer: fastPacer() });
        const configApi = new SdkConfigApi(
          clients.pacer.attach(new ConfigServiceClient({ region: west }), 'config'),
        );

        await handleInvocation(
          parseInvocation({
            version: '1.0',
            invokingEvent: JSON.stringify(invokingEvent),
            ruleParameters: JSON.stringify({ ruleId }),
            resultToken: 'token',
            eventLeftScope: false,
            executionRoleArn: `arn:${move.partition}:iam::${ACCOUNT}:role/config-role`,
            configRuleArn: `arn:${move.partition}:config:${west}:${ACCOUNT}:config-rule/config-rule-0123456`,
            configRuleName: `gatewatch-${ruleId}`,
            configRuleId: 'config-rule-0123456',
            accountId: ACCOUNT,
          }),
          {
            reads: new CachedReads(() => clients, ACCOUNT, configApi, new ReadCache(30_000)),
            config: configApi,
            log: silentLogger,
            metrics: new MemoryMetrics(),
            region: west,
          },
        );

        const evaluations = config
          .commandCalls(PutEvaluationsCommand)
          .flatMap((call) => call.args[0].input.Evaluations ?? []);
        expect(evaluations).toEqual([
          expect.objectContaining({
            ComplianceResourceType: resourceType,
            ComplianceResourceId: stage,
            ComplianceType: 'NON_COMPLIANT',
          }),
        ]);
        expect(JSON.stringify(evaluations)).not.toContain('arn:aws:');
      },
    );
  });
});
