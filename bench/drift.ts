// Benchmark: the drift handler, per CloudTrail event. Every recorded CloudTrail/EventBridge file
// in ../shared/events and the five bundled drift events run through the real pipeline
// (processEvent) with the real LiveReader, SDK v3 clients and Caller; aws-sdk-client-mock
// answers in-process from the demo estate as it is after the drift (examples/drift/state-2),
// in the SDK's shapes. Unknown API ids (the recordings come from other accounts) are answered
// with a copy of a demo API under that id, so every event takes its real read path.
//
// Each event runs twice over: with an empty baseline and with a pre-seeded one (a scan of the
// demo estate before the drift; for recordings, plus the state a first handling left).
// Also measured: the drift function's bundle, built exactly as infra/constructs/
// gatewatch-function.ts has NodejsFunction build it, and how long Node takes to load it.
// Run: npx tsx bench/drift.ts   (prints Markdown; figures, not a test)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import {
  APIGatewayClient,
  GetAccountCommand,
  GetAuthorizersCommand,
  GetDeploymentCommand,
  type GetDeploymentRequest,
  GetRequestValidatorsCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  type GetRestApiRequest,
  GetStageCommand,
  type GetStageRequest,
  GetStagesCommand,
  type GetStagesRequest,
  NotFoundException,
} from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client,
  GetApiCommand,
  GetApiMappingsCommand,
  type GetApiMappingsRequest,
  type GetApiRequest,
  GetAuthorizerCommand,
  type GetAuthorizerRequest,
  GetDomainNameCommand,
  type GetDomainNameRequest,
  GetDomainNamesCommand,
  GetIntegrationsCommand,
  GetRouteCommand,
  type GetRouteRequest,
  GetRoutesCommand,
  GetAuthorizersCommand as GetV2AuthorizersCommand,
  GetStageCommand as GetV2StageCommand,
  type GetStageRequest as GetV2StageRequest,
  NotFoundException as V2NotFoundException,
} from '@aws-sdk/client-apigatewayv2';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  type DescribeLogGroupsRequest,
  type LogGroup,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  GetWebACLCommand,
  type GetWebACLRequest,
  ListResourcesForWebACLCommand,
  type ListResourcesForWebACLRequest,
  WAFNonexistentItemException,
  WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { mockClient } from 'aws-sdk-client-mock';
import { build } from 'esbuild';
import { Caller, type RegionClients, regionClients } from '../functions/aws/clients';
import { baselineFromScan } from '../functions/drift/baseline-from-scan';
import { MemoryBaselineStore } from '../functions/drift/baseline-memory';
import type { BaselineEntry } from '../functions/drift/contracts';
import { type DriftDependencies, processEvent } from '../functions/drift/pipeline';
import { LiveReader } from '../functions/drift/read-live';
import { LoggingSink } from '../functions/drift/sinks';
import { resolveEvent } from '../functions/events/catalog';
import { type ParsedEvent, parseEvents } from '../functions/events/schema';
import { readInventory } from '../functions/inventory/file';
import type { Inventory } from '../functions/inventory/schema';
import { jsonLogger } from '../functions/observe/log';
import { EmfMetrics } from '../functions/observe/metrics';
import { scanInventory } from '../functions/pipeline/scan';
import { ValidationError } from '../rules/core/validation';
import { catalog } from '../rules/index';

const ROOT = path.join(__dirname, '..');
const SHARED_EVENTS = path.join(__dirname, '../../shared/events');
const DRIFT_EVENTS = path.join(ROOT, 'examples/drift/events');
const RUNS = 200;
const WARMUP = 20;
const LOAD_RUNS = 10;
/** The goal for an event on one stage: AWS reads, retries included. */
const STAGE_CALL_GOAL = 4;

type Region = Inventory['regions'][number];
type RestEntry = Region['restApis'][number];
type V2Entry = Region['v2Apis'][number];

// ─── AWS, answered from the demo estate after the drift ─────────────────────────────────

const metadata = { httpStatusCode: 200, requestId: 'b3nch000-0000-4000-8000-000000000000', attempts: 1 };

/** The SDK returns timestamps as Date objects where a saved inventory has ISO strings. */
function sdkShaped<T extends object>(value: T): T & { $metadata: typeof metadata } {
  const revived = JSON.parse(JSON.stringify(value), (key, field) =>
    /^(created|lastUpdated)Date$/i.test(key) && typeof field === 'string' ? new Date(field) : field,
  );
  return { ...revived, $metadata: metadata };
}

const notFound = (what: string) =>
  new NotFoundException({
    message: `Invalid ${what} identifier specified`,
    $metadata: { ...metadata, httpStatusCode: 404 },
  });

/** One account, any region: the demo region's resources, and copies of them under unknown ids. */
class FakeAccount {
  private readonly rest = new Map<string, RestEntry>();
  private readonly v2 = new Map<string, V2Entry>();

  constructor(private readonly region: Region) {
    for (const entry of region.restApis) this.rest.set(entry.api.id, entry);
    for (const entry of region.v2Apis) this.v2.set(entry.api.ApiId, entry);
  }

  restApi(apiId = ''): RestEntry {
    let entry = this.rest.get(apiId);
    if (!entry) {
      const template = this.region.restApis.find((candidate) => candidate.stages.length > 0);
      if (!template) throw new Error('The estate has no REST API with a stage to copy.');
      entry = structuredClone(template);
      entry.api.id = apiId;
      this.rest.set(apiId, entry);
    }
    return entry;
  }

  restStage(apiId = '', stageName = '') {
    const entry = this.restApi(apiId);
    let stage = entry.stages.find((candidate) => candidate.stageName === stageName);
    if (!stage) {
      stage = { ...structuredClone(entry.stages[0] as RestEntry['stages'][number]), stageName };
      entry.stages.push(stage);
    }
    return stage;
  }

  v2Api(apiId = ''): V2Entry {
    let entry = this.v2.get(apiId);
    if (!entry) {
      const template = this.region.v2Apis.find((candidate) => candidate.api.ProtocolType === 'HTTP');
      if (!template) throw new Error('The estate has no HTTP API to copy.');
      entry = structuredClone(template);
      entry.api.ApiId = apiId;
      this.v2.set(apiId, entry);
    }
    return entry;
  }

  v2Stage(apiId = '', StageName = '') {
    const entry = this.v2Api(apiId);
    let stage = entry.stages.find((candidate) => candidate.StageName === StageName);
    if (!stage) {
      stage = { ...structuredClone(entry.stages[0] as V2Entry['stages'][number]), StageName };
      entry.stages.push(stage);
    }
    return stage;
  }

  v2Route(apiId = '', RouteId = '') {
    const entry = this.v2Api(apiId);
    let route = entry.routes.find((candidate) => candidate.RouteId === RouteId);
    if (!route) {
      route = { ...structuredClone(entry.routes[0] as V2Entry['routes'][number]), RouteId };
      entry.routes.push(route);
    }
    return route;
  }

  /** Stages attached to a web ACL, as WAF lists them. */
  stagesWithWebAcl(webAclArn = ''): string[] {
    return [...this.rest.values()].flatMap((entry) =>
      entry.stages
        .filter((stage) => stage.webAclArn === webAclArn)
        .map(
          (stage) =>
            `arn:aws:apigateway:${this.region.region}::/restapis/${entry.api.id}/stages/${stage.stageName}`,
        ),
    );
  }

  /** The log groups stages write access logs to: they all exist. */
  logGroups(prefix: string): LogGroup[] {
    const arns = new Set<string>();
    for (const entry of this.rest.values()) {
      for (const stage of entry.stages) {
        if (stage.accessLogSettings?.destinationArn) arns.add(stage.accessLogSettings.destinationArn);
      }
    }
    for (const entry of this.v2.values()) {
      for (const stage of entry.stages) {
        if (stage.AccessLogSettings?.DestinationArn) arns.add(stage.AccessLogSettings.DestinationArn);
      }
    }
    return [...arns]
      .map((arn) => arn.replace(/:\*$/, ''))
      .map((arn) => ({ arn, logGroupName: /:log-group:(.+)$/.exec(arn)?.[1] ?? '' }))
      .filter(({ logGroupName }) => logGroupName.startsWith(prefix))
      .map(({ arn, logGroupName }) => ({
        logGroupName,
        creationTime: 1_717_400_000_000,
        retentionInDays: 365,
        metricFilterCount: 0,
        arn: `${arn}:*`,
        storedBytes: 52_428_800,
        logGroupClass: 'STANDARD',
        logGroupArn: arn,
      }));
  }
}

/** Mocks every SDK client class the LiveReader uses, answering from `account`. */
function answerFrom(account: FakeAccount, region: Region) {
  // Class-wide mocks: every region's clients are answered.
  const apigateway = mockClient(APIGatewayClient);
  const apigatewayv2 = mockClient(ApiGatewayV2Client);
  const wafv2 = mockClient(WAFV2Client);
  const logs = mockClient(CloudWatchLogsClient);

  apigateway
    .on(GetRestApiCommand)
    .callsFake((input: GetRestApiRequest) => sdkShaped(account.restApi(input.restApiId).api));
  apigateway
    .on(GetStageCommand)
    .callsFake((input: GetStageRequest) => sdkShaped(account.restStage(input.restApiId, input.stageName)));
  apigateway
    .on(GetStagesCommand)
    .callsFake((input: GetStagesRequest) => sdkShaped({ item: account.restApi(input.restApiId).stages }));
  apigateway
    .on(GetResourcesCommand)
    .callsFake((input: GetRestApiRequest) =>
      sdkShaped({ items: account.restApi(input.restApiId).resources }),
    );
  apigateway
    .on(GetAuthorizersCommand)
    .callsFake((input: GetRestApiRequest) =>
      sdkShaped({ items: account.restApi(input.restApiId).authorizers }),
    );
  apigateway
    .on(GetRequestValidatorsCommand)
    .callsFake((input: GetRestApiRequest) =>
      sdkShaped({ items: account.restApi(input.restApiId).requestValidators }),
    );
  apigateway.on(GetDeploymentCommand).callsFake((input: GetDeploymentRequest) => {
    const deployment = account.restApi(input.restApiId).deployments[input.deploymentId ?? ''];
    if (!deployment) throw notFound('deployment');
    return sdkShaped(deployment);
  });
  apigateway.on(GetAccountCommand).resolves(sdkShaped(region.account ?? {}));

  apigatewayv2
    .on(GetApiCommand)
    .callsFake((input: GetApiRequest) => sdkShaped(account.v2Api(input.ApiId).api));
  apigatewayv2
    .on(GetV2StageCommand)
    .callsFake((input: GetV2StageRequest) => sdkShaped(account.v2Stage(input.ApiId, input.StageName)));
  apigatewayv2
    .on(GetRouteCommand)
    .callsFake((input: GetRouteRequest) => sdkShaped(account.v2Route(input.ApiId, input.RouteId)));
  apigatewayv2
    .on(GetRoutesCommand)
    .callsFake((input: GetApiRequest) => sdkShaped({ Items: account.v2Api(input.ApiId).routes }));
  apigatewayv2.on(GetAuthorizerCommand).callsFake((input: GetAuthorizerRequest) => {
    const found = account
      .v2Api(input.ApiId)
      .authorizers.find((authorizer) => authorizer.AuthorizerId === input.AuthorizerId);
    if (!found) {
      throw new V2NotFoundException({
        message: 'Invalid Authorizer identifier specified',
        ResourceType: 'Authorizer',
        $metadata: { ...metadata, httpStatusCode: 404 },
      });
    }
    return sdkShaped(found);
  });
  apigatewayv2
    .on(GetV2AuthorizersCommand)
    .callsFake((input: GetApiRequest) => sdkShaped({ Items: account.v2Api(input.ApiId).authorizers }));
  apigatewayv2
    .on(GetIntegrationsCommand)
    .callsFake((input: GetApiRequest) => sdkShaped({ Items: account.v2Api(input.ApiId).integrations }));
  apigatewayv2.on(GetDomainNameCommand).callsFake((input: GetDomainNameRequest) => {
    const found = region.domainNames.find((entry) => entry.domainName.DomainName === input.DomainName);
    if (!found) {
      throw new V2NotFoundException({
        message: 'The domain name resource specified in the request was not found.',
        ResourceType: 'DomainName',
        $metadata: { ...metadata, httpStatusCode: 404 },
      });
    }
    return sdkShaped(found.domainName);
  });
  apigatewayv2
    .on(GetDomainNamesCommand)
    .resolves(sdkShaped({ Items: region.domainNames.map((entry) => entry.domainName) }) as never);
  apigatewayv2.on(GetApiMappingsCommand).callsFake((input: GetApiMappingsRequest) =>
    sdkShaped({
      Items:
        region.domainNames.find((entry) => entry.domainName.DomainName === input.DomainName)?.apiMappings ??
        [],
    }),
  );

  wafv2.on(GetWebACLCommand).callsFake((input: GetWebACLRequest) => {
    const found = Object.values(region.webAcls).find((acl) => acl.Name === input.Name && acl.Id === input.Id);
    if (!found) {
      throw new WAFNonexistentItemException({
        message: 'AWS WAF couldn’t perform the operation because your resource doesn’t exist.',
        $metadata: { ...metadata, httpStatusCode: 400 },
      });
    }
    return sdkShaped({ WebACL: found, LockToken: '7b3c2a1d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' });
  });
  wafv2
    .on(ListResourcesForWebACLCommand)
    .callsFake((input: ListResourcesForWebACLRequest) =>
      sdkShaped({ ResourceArns: account.stagesWithWebAcl(input.WebACLArn) }),
    );
  logs
    .on(DescribeLogGroupsCommand)
    .callsFake((input: DescribeLogGroupsRequest) =>
      sdkShaped({ logGroups: account.logGroups(input.logGroupNamePrefix ?? '') }),
    );

  return [apigateway, apigatewayv2, wafv2, logs];
}

// ─── Events ─────────────────────────────────────────────────────────────────────────────

interface BenchEvent {
  readonly file: string;
  readonly bundled: boolean;
  readonly event: ParsedEvent;
}

function loadEvents(): { events: BenchEvent[]; skipped: string[] } {
  const events: BenchEvent[] = [];
  const skipped: string[] = [];
  const sources = [
    { dir: SHARED_EVENTS, bundled: false },
    { dir: DRIFT_EVENTS, bundled: true },
  ];
  for (const { dir, bundled } of sources) {
    for (const file of readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .sort()) {
      try {
        const parsed = parseEvents(JSON.parse(readFileSync(path.join(dir, file), 'utf8')), file);
        for (const event of parsed) events.push({ file, bundled, event });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        skipped.push(file);
      }
    }
  }
  return { events, skipped };
}

// ─── Running one event ──────────────────────────────────────────────────────────────────

const discard = () => {};
const log = jsonLogger('gatewatch-drift', discard);
const metrics = new EmfMetrics('gatewatch-drift', discard);

/** SDK clients per region for the whole run (as a warm Lambda keeps them); a Caller per handling. */
const clientsByRegion = new Map<string, RegionClients>();
const clientsFor = (region: string): RegionClients => {
  let clients = clientsByRegion.get(region);
  if (!clients) {
    clients = regionClients({ region, maxAttempts: 5 });
    clientsByRegion.set(region, clients);
  }
  return clients;
};

interface Handling {
  readonly ms: number;
  readonly outcome: string;
  readonly calls: Record<string, number>;
}

async function handle(event: ParsedEvent, seed: readonly BaselineEntry[]): Promise<Handling> {
  const caller = new Caller();
  const accountId = event.envelope?.account ?? event.record.recipientAccountId ?? '111122223333';
  const deps: DriftDependencies = {
    reader: new LiveReader((region) => ({ clients: clientsFor(region), caller }), accountId),
    baseline: new MemoryBaselineStore(seed),
    rules: catalog,
    sink: new LoggingSink(log),
    metrics,
    log,
    now: () => new Date(Date.parse(event.record.eventTime) + 1500),
  };
  const start = performance.now();
  const outcome = await processEvent(event, deps);
  const ms = performance.now() - start;
  return { ms, outcome: outcome.kind, calls: { ...caller.stats.calls } };
}

/** The baseline before the event: the demo estate's scan; for a recording, plus what a first handling stored. */
async function seedFor(item: BenchEvent, demoBaseline: readonly BaselineEntry[]): Promise<BaselineEntry[]> {
  if (item.bundled) return [...demoBaseline];
  const store = new MemoryBaselineStore(demoBaseline);
  const first = {
    ...item.event,
    record: { ...item.event.record, eventID: `${item.event.record.eventID}-first` },
  };
  await processEvent(first, {
    reader: new LiveReader(
      (region) => ({ clients: clientsFor(region), caller: new Caller() }),
      '111122223333',
    ),
    baseline: store,
    rules: catalog,
    sink: new LoggingSink(log),
    metrics,
    log,
    now: () => new Date(Date.parse(item.event.record.eventTime)),
  });
  return [...(await store.list())];
}

interface Measured {
  readonly median: number;
  readonly p99: number;
  readonly outcome: string;
  readonly calls: Record<string, number>;
}

async function measure(
  event: ParsedEvent,
  seed: readonly BaselineEntry[],
  stubs: { resetHistory(): void }[],
): Promise<Measured> {
  const times: number[] = [];
  let last: Handling | undefined;
  for (let run = 0; run < WARMUP + RUNS; run++) {
    last = await handle(event, seed);
    if (run >= WARMUP) times.push(last.ms);
    for (const stub of stubs) stub.resetHistory();
  }
  if (!last) throw new Error('no run');
  return {
    median: quantile(times, 0.5),
    p99: quantile(times, 0.99),
    outcome: last.outcome,
    calls: last.calls,
  };
}

// ─── The bundle ─────────────────────────────────────────────────────────────────────────

interface BundleFigures {
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly mapBytes: number;
  readonly requireMs: number;
  readonly requireWithSourceMapsMs: number;
  readonly processMs: number;
}

/** Builds functions/drift/handler.ts as NodejsFunction does (gatewatch-function.ts) and loads it in fresh processes. */
async function bundleFigures(): Promise<BundleFigures> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gatewatch-drift-bundle-'));
  try {
    const outfile = path.join(dir, 'index.js');
    await build({
      entryPoints: [path.join(ROOT, 'functions/drift/handler.ts')],
      absWorkingDir: ROOT,
      outfile,
      bundle: true,
      // NodejsFunction: --target from the runtime (NODEJS_24_X), --platform=node, and the
      // bundling options of gatewatch-function.ts; bundleAwsSDK leaves no externals.
      target: 'node24',
      platform: 'node',
      format: 'cjs',
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      mainFields: ['module', 'main'],
      logLevel: 'error',
    });
    const code = readFileSync(outfile);
    const map = readFileSync(`${outfile}.map`);
    const { NODE_OPTIONS: _inherited, ...env } = process.env;
    const script = `const t=process.hrtime.bigint();require(${JSON.stringify(outfile)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
    const load = (nodeOptions: string) => {
      const requireMs: number[] = [];
      const processMs: number[] = [];
      for (let run = 0; run < LOAD_RUNS; run++) {
        const start = performance.now();
        const out = execFileSync(process.execPath, ['-e', script], {
          env: {
            ...env,
            NODE_OPTIONS: nodeOptions,
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          },
          encoding: 'utf8',
        });
        processMs.push(performance.now() - start);
        requireMs.push(Number(out));
      }
      return { require: quantile(requireMs, 0.5), process: quantile(processMs, 0.5) };
    };
    const plain = load('');
    const withSourceMaps = load('--enable-source-maps');
    return {
      bytes: code.length,
      gzipBytes: gzipSync(code).length,
      mapBytes: map.length,
      requireMs: plain.require,
      requireWithSourceMapsMs: withSourceMaps.require,
      processMs: plain.process,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ─── Figures ────────────────────────────────────────────────────────────────────────────

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const total = (calls: Record<string, number>) => Object.values(calls).reduce((sum, n) => sum + n, 0);
const byOperation = (calls: Record<string, number>) =>
  Object.entries(calls)
    .map(([operation, n]) => (n === 1 ? operation : `${operation} ×${n}`))
    .join(', ') || '—';

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const before = readInventory(path.join(ROOT, 'examples/inventory/demo.json'));
  const after = readInventory(path.join(ROOT, 'examples/drift/state-2-after-drift.json'));
  const region = after.regions[0];
  if (!region) throw new Error('state-2-after-drift.json has no region.');
  const stubs = answerFrom(new FakeAccount(region), region);
  const scan = scanInventory(before, { rules: catalog });
  const demoBaseline = baselineFromScan(scan.estate, scan.findings, before.collectedAt);

  const { events, skipped } = loadEvents();
  const rows: string[][] = [];
  const operations: string[] = [];
  const over: string[] = [];
  const allTimes = { none: [] as number[], seeded: [] as number[] };
  for (const item of events) {
    const { record } = item.event;
    const resolved = resolveEvent(record);
    const kinds = 'ignored' in resolved ? [] : [...new Set(resolved.targets.map((target) => target.kind))];
    const stageEvent = kinds.some((kind) => kind === 'rest-stage' || kind === 'v2-stage');
    const none = await measure(item.event, [], stubs);
    const seeded = await measure(item.event, await seedFor(item, demoBaseline), stubs);
    allTimes.none.push(none.median);
    allTimes.seeded.push(seeded.median);
    const worst = Math.max(total(none.calls), total(seeded.calls));
    const above = stageEvent
      ? [
          ...(total(none.calls) > STAGE_CALL_GOAL ? ['no baseline'] : []),
          ...(total(seeded.calls) > STAGE_CALL_GOAL ? ['baseline'] : []),
        ]
      : [];
    const flag = above.length > 0 ? `⚠ ${above.join(', ')}` : stageEvent ? 'ok' : '';
    if (above.length > 0) over.push(`${item.file} (${total(none.calls)} / ${total(seeded.calls)})`);
    rows.push([
      `${item.bundled ? 'drift/' : ''}${item.file.replace(/\.json$/, '')}`,
      record.eventName,
      'ignored' in resolved ? `ignored: ${resolved.ignored}` : kinds.join(', '),
      `${total(none.calls)} / ${total(seeded.calls)}`,
      `${ms(none.median)} / ${ms(none.p99)}`,
      `${ms(seeded.median)} / ${ms(seeded.p99)}`,
      flag,
    ]);
    if (worst > 0) {
      operations.push(
        `- ${record.eventName} (${item.file}): no baseline: ${byOperation(none.calls)}; baseline: ${byOperation(seeded.calls)}`,
      );
    }
  }

  console.log(
    `## Drift handler per event (${RUNS} runs each after ${WARMUP} warm-up, Node ${process.version})\n`,
  );
  console.log(
    table(
      [
        'Event',
        'Name',
        'Targets',
        'AWS calls (none / baseline)',
        'ms median / p99, no baseline',
        'ms median / p99, baseline',
        `Stage ≤ ${STAGE_CALL_GOAL}`,
      ],
      rows,
    ),
  );
  console.log(
    `\nAll events: median of medians ${ms(quantile(allTimes.none, 0.5))} ms without a baseline, ${ms(quantile(allTimes.seeded, 0.5))} ms with one.`,
  );
  console.log(
    'Baseline: the demo estate scanned before the drift; for the recordings (ids unknown to the demo), plus what a first handling of the same event stored, so nothing changed since (a real CreateDeployment moves the stage to a new deployment: see drift/04).',
  );
  console.log(`Not CloudTrail/EventBridge (skipped): ${skipped.join(', ') || 'none'}.\n`);
  console.log("### AWS calls by operation (the Caller's stats)\n");
  console.log(operations.join('\n'));
  console.log(
    over.length === 0
      ? `\nEvery stage event stays within ${STAGE_CALL_GOAL} AWS calls.`
      : `\n⚠ Stage events above ${STAGE_CALL_GOAL} AWS calls (no baseline / baseline): ${over.join('; ')}.`,
  );

  const bundle = await bundleFigures();
  console.log('\n## Drift function bundle (esbuild as NodejsFunction: node24, cjs, minified, SDK bundled)\n');
  console.log(
    table(
      [
        'Bundle',
        'Gzipped',
        'Source map',
        `require, median of ${LOAD_RUNS}`,
        'with --enable-source-maps (as deployed)',
        'whole `node -e` process',
      ],
      [
        [
          kib(bundle.bytes),
          kib(bundle.gzipBytes),
          kib(bundle.mapBytes),
          `${ms(bundle.requireMs)} ms`,
          `${ms(bundle.requireWithSourceMapsMs)} ms`,
          `${ms(bundle.processMs)} ms`,
        ],
      ],
    ),
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
