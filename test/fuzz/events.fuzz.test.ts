// Fuzzing the drift path's edge: EventBridge envelopes, bare CloudTrail records and CloudTrail
// log files (parseEvents), the catalog that resolves each catalogued event to its targets
// (resolveEvent, actorOf, patchOperations), and the drift pipeline over a saved inventory.
// Whatever arrives, the event is parsed or rejected with a ValidationError naming the input
// and the field; a parsed event resolves to targets or is ignored; the pipeline ends judged,
// ignored or duplicate, and its verdicts survive the trip to the next function.
import * as fc from 'fast-check';
import { InventoryReader } from '../../aws/read/from-inventory';
import { readInventory } from '../../aws/read/inventory-file';
import type { Inventory } from '../../aws/read/schema';
import { MemoryBaselineStore } from '../../aws/stores/baseline-memory';
import { actorOf } from '../../events/actor';
import { type CatalogEntry, eventCatalog } from '../../events/catalog';
import { patchOperations } from '../../events/request';
import { resolveEvent } from '../../events/resolve';
import { CLOUDTRAIL_DETAIL_TYPE, type ParsedEvent, parseEvents } from '../../events/schema';
import { eventBridgeSources } from '../../infra/event-patterns';
import type { BaselineEntry } from '../../model/stores';
import { parseVerdictMessage, verdictMessage } from '../../model/verdict-message';
import { silentLogger } from '../../observe/log';
import { MemoryMetrics } from '../../observe/metrics';
import { baselineFromScan } from '../../pipeline/drift/baseline-from-scan';
import { processEvent } from '../../pipeline/drift/detect';
import { scanInventory } from '../../pipeline/scan/scan';
import { CollectingSink } from '../../pipeline/sinks';
import { catalog } from '../../rules/index';
import { fixtures, itIfPresent, recordings } from '../support/event-sets';
import {
  anyValue,
  configureFuzzing,
  DEMO_INVENTORY,
  driftEvents,
  expectClearRejection,
  expectNoPollution,
  mutated,
  nastyKey,
  nastyString,
  nastyValue,
  recordedEvents,
  runs,
  Tally,
} from '../support/fuzz';

configureFuzzing();
const tally = new Tally();
afterAll(() => console.log(tally.summary()));

const ORIGIN = 'fuzzed event';

/** The fields of a CloudTrail record that the parser or the catalog reads. */
const RECORD_KEYS = [
  'userIdentity',
  'eventTime',
  'eventSource',
  'eventName',
  'awsRegion',
  'requestParameters',
  'responseElements',
  'errorCode',
  'eventID',
  'readOnly',
  'recipientAccountId',
  'detail',
  'detail-type',
  'Records',
  'restApiId',
  'apiId',
  'stageName',
  'resourceArn',
  'patchOperations',
];

const PARAM_KEYS = [
  'restApiId',
  'apiId',
  'stageName',
  'routeId',
  'domainName',
  'resourceArn',
  'resource-arn',
  'ResourceArn',
  'webACLArn',
  'webAclArn',
  'WebACLArn',
  'scope',
  'Scope',
  'name',
  'Name',
  'id',
  'Id',
  'logGroupName',
  'template',
  'patchOperations',
];

// ─── The real inputs, in every form parseEvents takes ───────────────────────────────────

const recorded = [...recordedEvents(), ...driftEvents()];
const records = recorded.flatMap(({ json }) => {
  const value = json as Record<string, unknown>;
  return 'detail' in value ? [value.detail] : [value];
});
const envelopeOf = (detail: unknown, index = 0) => ({
  version: '0',
  id: `0f2a7c4e-0000-4000-8000-${String(index).padStart(12, '0')}`,
  'detail-type': CLOUDTRAIL_DETAIL_TYPE,
  source: 'aws.apigateway',
  account: '111122223333',
  time: '2026-11-23T09:30:00Z',
  region: 'eu-west-1',
  resources: [],
  detail,
});
const bases: unknown[] = [
  ...recorded.map(({ json }) => json),
  ...records.map((record, index) => envelopeOf(record, index)),
  { Records: records },
];

/** What a parsed event must allow: resolving, naming the actor, reading patch operations. */
function resolveAll(events: readonly ParsedEvent[]): string {
  let outcome = 'parsed, ignored';
  for (const { record } of events) {
    const resolution = resolveEvent(record);
    if ('targets' in resolution) {
      outcome = 'parsed, resolved';
      expect(resolution.targets.length).toBeGreaterThan(0);
      expect(resolution.entry.eventName).toBe(record.eventName);
      // Every reference is made of strings taken from the request, never of objects or undefined.
      for (const target of resolution.targets) {
        expect(Object.values(target).every((value) => typeof value === 'string')).toBe(true);
      }
    } else {
      expect(resolution.ignored).not.toBe('');
    }
    expect(actorOf(record).principal).not.toBe('');
    patchOperations(record);
  }
  return outcome;
}

const checkParse = (input: unknown): string => {
  let events: ParsedEvent[];
  try {
    events = parseEvents(input, ORIGIN);
  } catch (error) {
    expectClearRejection(error, ORIGIN);
    expectNoPollution();
    return 'rejected';
  }
  expectNoPollution();
  return resolveAll(events);
};

describe('parseEvents', () => {
  it('starts from every CloudTrail fixture', () => {
    expect(recorded.map(({ name }) => name)).toEqual(
      expect.arrayContaining(fixtures.cloudTrailFiles.map((name) => `fixtures/${name}`)),
    );
  });

  itIfPresent(recordings)('starts from every public CloudTrail recording too', () => {
    expect(recorded.map(({ name }) => name)).toEqual(
      expect.arrayContaining(recordings.cloudTrailFiles.map((name) => `recordings/${name}`)),
    );
  });

  it('parses or clearly rejects every mutation of the recorded events, envelopes and log files', () => {
    fc.assert(
      fc.property(fc.oneof(...bases.map((base) => mutated(base, { keys: RECORD_KEYS }))), (input) =>
        tally.track('parseEvents (mutated recordings)', checkParse)(input),
      ),
      { numRuns: runs(3000) },
    );
  });

  it('parses or clearly rejects any value at all', () => {
    fc.assert(
      fc.property(anyValue, (input) => tally.track('parseEvents (random values)', checkParse)(input)),
      { numRuns: runs(1000) },
    );
  });
});

// ─── Every catalogued event, with arbitrary request parameters ──────────────────────────

const demo: Inventory = readInventory(DEMO_INVENTORY);
const region = demo.regions[0]?.region ?? 'eu-west-1';
const accountId = demo.regions[0]?.accountId ?? '111122223333';

/** Ids of resources that exist in the demo estate, so that resolved targets are read and judged. */
const known = (() => {
  const restApiIds = demo.regions.flatMap((r) => r.restApis.map((a) => a.api.id));
  const v2ApiIds = demo.regions.flatMap((r) => r.v2Apis.map((a) => a.api.ApiId));
  const stageNames = demo.regions.flatMap((r) => [
    ...r.restApis.flatMap((a) => a.stages.map((s) => s.stageName)),
    ...r.v2Apis.flatMap((a) => a.stages.map((s) => s.StageName)),
  ]);
  const routeIds = demo.regions.flatMap((r) =>
    r.v2Apis.flatMap((a) => a.routes.map((route) => route.RouteId)),
  );
  const domainNames = demo.regions.flatMap((r) => r.domainNames.map((d) => d.domainName.DomainName));
  const webAclArns = demo.regions.flatMap((r) => Object.keys(r.webAcls));
  const stageArns = demo.regions.flatMap((r) =>
    r.restApis.flatMap((a) =>
      a.stages.map((s) => `arn:aws:apigateway:${r.region}::/restapis/${a.api.id}/stages/${s.stageName}`),
    ),
  );
  const logGroups = demo.regions.flatMap((r) =>
    r.restApis.flatMap((a) =>
      a.stages.flatMap((s) => s.accessLogSettings?.destinationArn?.split(':log-group:')[1] ?? []),
    ),
  );
  return [
    ...new Set([
      ...restApiIds,
      ...v2ApiIds,
      ...stageNames,
      ...routeIds,
      ...domainNames,
      ...webAclArns,
      ...stageArns,
      ...logGroups,
      'REGIONAL',
      'CLOUDFRONT',
    ]),
  ];
})();

const apiGatewayArn = fc
  .tuple(
    fc.constantFrom(region, 'us-east-1', ''),
    fc.constantFrom('restapis', 'apis', 'domainnames', 'usageplans'),
    fc.oneof(fc.constantFrom(...known), nastyString),
    fc.option(
      fc.tuple(fc.constantFrom('stages', 'routes', ''), fc.oneof(fc.constantFrom(...known), nastyString)),
    ),
  )
  .map(
    ([r, kind, id, sub]) =>
      `arn:aws:apigateway:${r}::/${kind}/${id}${sub === null ? '' : `/${sub[0]}/${sub[1]}`}`,
  );

const paramValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...known) },
  { weight: 2, arbitrary: apiGatewayArn },
  { weight: 3, arbitrary: nastyValue },
);

const paramDictionary = (depth: number): fc.Arbitrary<Record<string, unknown>> =>
  fc.dictionary(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...PARAM_KEYS) },
      {
        weight: 1,
        arbitrary: fc.constantFrom('createStageInput', 'createDeploymentInput', 'tagResourceInput'),
      },
      { weight: 1, arbitrary: nastyKey() },
    ),
    depth > 0 ? fc.oneof({ weight: 4, arbitrary: paramValue }, paramDictionary(depth - 1)) : paramValue,
    { maxKeys: 6, noNullPrototype: true },
  );

const knownValue = (keep: (value: string) => boolean) => {
  const values = known.filter(keep);
  return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...values) }, nastyValue);
};
const isArn = (value: string) => value.startsWith('arn:');
const patchOperation = fc.record(
  { op: fc.constantFrom('replace', 'remove', 'add'), path: nastyString, value: nastyValue },
  { requiredKeys: [], noNullPrototype: true },
);

/** Parameters shaped like the entry's own calls (v1 wrappers, v2 flat bodies, ARNs), values mostly real. */
const plausibleParameters = (entry: CatalogEntry): fc.Arbitrary<Record<string, unknown>> => {
  const id = knownValue((value) => !isArn(value));
  const arn = fc.oneof(apiGatewayArn, knownValue(isArn));
  const common = {
    stageName: id,
    domainName: id,
    resourceArn: arn,
    webACLArn: arn,
    scope: fc.constantFrom('REGIONAL', 'CLOUDFRONT'),
    name: id,
    id,
    logGroupName: id,
    patchOperations: fc.array(patchOperation, { maxLength: 3 }),
  };
  const shape =
    entry.api === 'v1'
      ? {
          ...common,
          restApiId: id,
          template: fc.boolean(),
          createStageInput: fc.record({ stageName: id }, { noNullPrototype: true }),
          createDeploymentInput: fc.record({ stageName: id }, { noNullPrototype: true }),
        }
      : entry.api === 'v2'
        ? { ...common, apiId: id, routeId: id }
        : common;
  return fc.record(shape, { requiredKeys: [], noNullPrototype: true });
};

/** Shaped like the entry's calls, arbitrary, absent, null, or not an object at all. */
const requestParameters = (entry: CatalogEntry) =>
  fc.oneof(
    { weight: 5, arbitrary: plausibleParameters(entry) },
    { weight: 3, arbitrary: paramDictionary(2) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, null) },
    { weight: 1, arbitrary: nastyValue },
  );

const userAgent = fc.oneof(
  fc.constantFrom(
    'aws-cli/2.15.0 md/command#apigateway.update-stage',
    'aws-sdk-js/3.600.0 api/apigatewayv2#3.600.0',
    'aws-sdk-js/3.600.0 api/api-gateway#3.600.0',
    'console.amazonaws.com',
    'cloudformation.amazonaws.com',
  ),
  nastyString,
);

const userIdentity = fc.oneof(
  fc.constantFrom(
    ...records.flatMap((record) => (record as { userIdentity?: unknown }).userIdentity ?? []),
    { type: 'AWSService', invokedBy: 'cloudformation.amazonaws.com' },
    { type: '' },
  ),
  fc.record(
    {
      type: nastyString,
      arn: nastyString,
      principalId: nastyString,
      accountId: nastyString,
      invokedBy: nastyString,
      sessionContext: fc.record({ sessionIssuer: fc.record({ arn: nastyString }, { requiredKeys: [] }) }),
    },
    { requiredKeys: ['type'], noNullPrototype: true },
  ),
);

/** A record of one catalogued event: its source and name are right; the rest is arbitrary. */
const recordFor = (entry: CatalogEntry) =>
  fc
    .record(
      {
        eventVersion: fc.constant('1.09'),
        userIdentity,
        eventTime: fc.constantFrom(
          '2026-11-23T09:30:00Z',
          '2026-11-23T09:30:00.123+02:00',
          '0000-01-01T00:00:00Z',
          '9999-12-31T23:59:59.999999999Z',
        ),
        eventSource: fc.constant(entry.eventSource),
        eventName: fc.constant(entry.eventName),
        awsRegion: fc.oneof({ weight: 4, arbitrary: fc.constant(region) }, nastyString),
        sourceIPAddress: fc.oneof(fc.constant('203.0.113.7'), nastyString),
        userAgent,
        requestParameters: requestParameters(entry),
        responseElements: fc.oneof(fc.constant(null), paramDictionary(1), nastyValue),
        errorCode: fc.oneof({ weight: 5, arbitrary: fc.constant('') }, fc.constant('AccessDenied')),
        eventID: fc.oneof(fc.uuid(), nastyString),
        readOnly: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, fc.constant(true)),
        eventType: fc.constant('AwsApiCall'),
        recipientAccountId: fc.oneof(fc.constant(accountId), nastyString),
      },
      {
        requiredKeys: ['userIdentity', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'eventID'],
        noNullPrototype: true,
      },
    )
    // requestParameters: undefined is "absent", as in a record that has none.
    .map((record) => JSON.parse(JSON.stringify(record)) as Record<string, unknown>);

/** The record as EventBridge delivers it, bare, or in a CloudTrail log file. */
const delivered = (entry: CatalogEntry) =>
  fc
    .tuple(recordFor(entry), fc.constantFrom('envelope', 'bare', 'log file'))
    .map(([record, form]) =>
      form === 'bare'
        ? record
        : form === 'log file'
          ? { Records: [record] }
          : { ...envelopeOf(record), source: eventBridgeSources[entry.eventSource] },
    );

describe('resolveEvent, for every catalogued event', () => {
  it.each(
    eventCatalog.map((entry) => [`${entry.eventSource} ${entry.eventName} (${entry.api})`, entry] as const),
  )('%s resolves to targets or is ignored, whatever its request parameters', (_name, entry) => {
    fc.assert(
      fc.property(delivered(entry), (input) =>
        tally.track('resolveEvent (every catalogued event)', checkParse)(input),
      ),
      { numRuns: runs(35) },
    );
  });
});

// ─── The drift pipeline, over the demo estate ───────────────────────────────────────────

const NOW = new Date('2026-11-23T09:31:30Z');
const reader = new InventoryReader(demo);
const scanned = scanInventory(demo, { rules: catalog });
const baselineEntries: BaselineEntry[] = baselineFromScan(scanned.estate, scanned.findings, demo.collectedAt);

async function checkPipeline(input: unknown): Promise<string> {
  let events: ParsedEvent[];
  try {
    events = parseEvents(input, ORIGIN);
  } catch (error) {
    expectClearRejection(error, ORIGIN);
    return 'rejected';
  }
  const baseline = new MemoryBaselineStore(baselineEntries);
  const outcomes: string[] = [];
  for (const event of events) {
    const deps = {
      reader,
      baseline,
      rules: catalog,
      sink: new CollectingSink(),
      metrics: new MemoryMetrics(),
      log: silentLogger,
      now: () => NOW,
    };
    const outcome = await processEvent(event, deps);
    expect(['judged', 'ignored', 'duplicate']).toContain(outcome.kind);
    if (outcome.kind === 'judged') {
      for (const verdict of outcome.verdicts) {
        expect(Number.isFinite(verdict.latencyMs) && verdict.latencyMs >= 0).toBe(true);
        expect(verdict.reason).not.toBe('');
      }
      // The verdicts travel to the next function as JSON: they must parse there.
      expect(parseVerdictMessage(verdictMessage(outcome.verdicts), 'verdict message')).toHaveLength(
        outcome.verdicts.length,
      );
      // A redelivered event is handled once.
      expect((await processEvent(event, deps)).kind).toBe('duplicate');
    }
    outcomes.push(outcome.kind);
  }
  expectNoPollution();
  return outcomes.includes('judged') ? 'judged' : (outcomes[0] ?? 'no events');
}

describe('processEvent over a saved inventory', () => {
  it('ends every generated catalogued event judged, ignored or duplicate', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...eventCatalog).chain(delivered), (input) =>
        tally.trackAsync('processEvent (catalogued events)', checkPipeline)(input),
      ),
      { numRuns: runs(400) },
    );
  });

  it('ends every mutated drift event judged, ignored or duplicate', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(...driftEvents().map(({ json }) => mutated(json, { keys: RECORD_KEYS }))),
        (input) => tally.trackAsync('processEvent (mutated drift events)', checkPipeline)(input),
      ),
      { numRuns: runs(250) },
    );
  });
});
