import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InventoryReader } from '../../../aws/read/from-inventory';
import { readInventory } from '../../../aws/read/inventory-file';
import type { ReadResult, TargetReader } from '../../../aws/read/reader';
import type { Inventory } from '../../../aws/read/schema';
import { MemoryBaselineStore } from '../../../aws/stores/baseline-memory';
import { type ParsedEvent, parseEvents } from '../../../events/schema';
import type { Verdict } from '../../../model/verdict';
import { silentLogger } from '../../../observe/log';
import { MemoryMetrics } from '../../../observe/metrics';
import { baselineFromScan } from '../../../pipeline/drift/baseline-from-scan';
import { type DriftDependencies, processEvent } from '../../../pipeline/drift/detect';
import { scanInventory } from '../../../pipeline/scan/scan';
import { CollectingSink } from '../../../pipeline/sinks';
import { catalog } from '../../../rules/index';
import { eventSets, itIfPresent } from '../../support/event-sets';

const root = join(__dirname, '..', '..', '..');
const demo = readInventory(join(root, 'examples/inventory/demo.json'));
const afterUpdateMethod = readInventory(join(root, 'examples/drift/state-1-after-update-method.json'));
const afterDrift = readInventory(join(root, 'examples/drift/state-2-after-drift.json'));
const driftEvent = (name: string): ParsedEvent => {
  const [event] = parseEvents(
    JSON.parse(readFileSync(join(root, 'examples/drift/events', name), 'utf8')),
    name,
  );
  if (!event) throw new Error(`${name} holds no event`);
  return event;
};
const withId = (event: ParsedEvent, eventID: string): ParsedEvent => ({
  ...event,
  record: { ...event.record, eventID },
});

const ALICE =
  'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Developers_0123456789abcdef/alice@tidewater.example';
const DEPLOYER = 'arn:aws:iam::111122223333:user/ci-deployer';
const NOW = new Date('2026-11-23T09:31:30Z');

/** The baseline a scan of the demo estate leaves: the state before the drift. */
function baselineOf(inventory: Inventory): MemoryBaselineStore {
  const result = scanInventory(inventory, { rules: catalog });
  return new MemoryBaselineStore(baselineFromScan(result.estate, result.findings, inventory.collectedAt));
}

function dependencies(reader: TargetReader, baseline = baselineOf(demo)) {
  const sink = new CollectingSink();
  const metrics = new MemoryMetrics();
  const deps: DriftDependencies = {
    reader,
    baseline,
    rules: catalog,
    sink,
    metrics,
    log: silentLogger,
    now: () => NOW,
  };
  return { deps, sink, metrics, baseline };
}

const news = (verdicts: readonly Verdict[]) => verdicts.filter((verdict) => verdict.change !== 'unchanged');

async function judged(event: ParsedEvent, deps: DriftDependencies): Promise<readonly Verdict[]> {
  const outcome = await processEvent(event, deps);
  if (outcome.kind !== 'judged') throw new Error(`expected a judged event, got ${outcome.kind}`);
  return outcome.verdicts;
}

describe('the drift pipeline on the bundled drift sequence', () => {
  it('reports a web ACL detached from a REST stage, with who did it and the web ACL it had', async () => {
    // Prepare
    const { deps, sink } = dependencies(new InventoryReader(afterUpdateMethod));

    // Act
    const verdicts = await judged(driftEvent('01-disassociate-web-acl.json'), deps);

    // Assess
    expect(news(verdicts)).toEqual([
      expect.objectContaining({
        ruleId: 'rest-stage-waf-attached',
        resourceArn: 'arn:aws:apigateway:eu-west-1::/restapis/p7m2v8c4rt/stages/prod',
        status: 'NON_COMPLIANT',
        change: 'new',
        eventName: 'DisassociateWebACL',
        actor: ALICE,
        sourceIp: '198.51.100.24',
        before: expect.stringMatching(/^arn:aws:wafv2:eu-west-1:111122223333:regional\/webacl\//),
        after: null,
      }),
    ]);
    expect(sink.verdicts).toEqual(news(verdicts));
  });

  it('reports execution logging turned off by UpdateStage, before → after', async () => {
    const { deps } = dependencies(new InventoryReader(afterUpdateMethod));

    const verdicts = await judged(driftEvent('02-update-stage-logging-off.json'), deps);

    expect(news(verdicts)).toEqual([
      expect.objectContaining({
        ruleId: 'rest-stage-execution-logging',
        resourceArn: 'arn:aws:apigateway:eu-west-1::/restapis/a9d3f5g7h1/stages/prod',
        change: 'new',
        actor: ALICE,
        before: { stageLevel: 'INFO', weakOverrides: [] },
        after: { stageLevel: 'OFF', weakOverrides: [] },
      }),
    ]);
  });

  it('reports an UpdateMethod as pending, and the served method as open only after CreateDeployment', async () => {
    // Prepare: the working copy changes first, the deployment follows a minute later.
    const baseline = baselineOf(demo);
    const first = dependencies(new InventoryReader(afterUpdateMethod), baseline);
    const second = dependencies(new InventoryReader(afterDrift), baseline);

    // Act
    const afterMethod = news(
      await judged(driftEvent('03-update-method-authorization-none.json'), first.deps),
    );
    const afterDeployment = news(await judged(driftEvent('04-create-deployment-prod.json'), second.deps));

    // Assess
    expect(afterMethod).toEqual([
      expect.objectContaining({
        ruleId: 'rest-method-authorization',
        pending: true,
        severity: 'MEDIUM',
        change: 'new',
      }),
    ]);
    expect(afterMethod[0]?.reason).toContain('at its next deployment');
    const served = afterDeployment.find((verdict) => !verdict.pending);
    expect(served).toMatchObject({
      ruleId: 'rest-method-authorization',
      resourceArn: 'arn:aws:apigateway:eu-west-1::/restapis/k3x9p2a7qd/stages/prod',
      status: 'NON_COMPLIANT',
      severity: 'HIGH',
      change: 'new',
      eventName: 'CreateDeployment',
      actor: DEPLOYER,
      before: { source: 'deployment', open: [], apiKeyOnly: [] },
      after: { source: 'deployment', open: ['GET /orders', 'GET /orders/{orderId}'], apiKeyOnly: [] },
    });
  });

  it('reports an HTTP API route updated to authorization NONE', async () => {
    const { deps } = dependencies(new InventoryReader(afterDrift));

    const verdicts = await judged(driftEvent('05-update-route-authorization-none.json'), deps);

    expect(news(verdicts)).toEqual([
      expect.objectContaining({
        ruleId: 'v2-route-authorization',
        resourceArn: 'arn:aws:apigateway:eu-west-1::/apis/h2t4r6k8m0/routes/tr2eta',
        change: 'new',
        actor: DEPLOYER,
        userAgent: expect.stringContaining('Terraform'),
        before: expect.objectContaining({ authorizationType: 'JWT' }),
        after: expect.objectContaining({ authorizationType: 'NONE' }),
      }),
    ]);
  });
});

describe('only changes are news', () => {
  it('does not announce a stage again that was already non-compliant for the same rule', async () => {
    const { deps } = dependencies(new InventoryReader(afterUpdateMethod));
    const event = driftEvent('02-update-stage-logging-off.json');
    await judged(event, deps);

    const again = await judged(withId(event, 'another-event-on-the-same-stage'), deps);

    expect(news(again)).toEqual([]);
    expect(again.find((verdict) => verdict.ruleId === 'rest-stage-execution-logging')?.change).toBe(
      'unchanged',
    );
  });

  it('says "resolved" when the resource is compliant again', async () => {
    // Prepare: logging was turned off and noticed; then it is turned back on (the demo state).
    const baseline = baselineOf(demo);
    await judged(
      driftEvent('02-update-stage-logging-off.json'),
      dependencies(new InventoryReader(afterUpdateMethod), baseline).deps,
    );
    const { deps, metrics } = dependencies(new InventoryReader(demo), baseline);

    // Act
    const verdicts = await judged(
      withId(driftEvent('02-update-stage-logging-off.json'), 'logging-back-on'),
      deps,
    );

    // Assess
    expect(news(verdicts)).toEqual([
      expect.objectContaining({
        ruleId: 'rest-stage-execution-logging',
        status: 'COMPLIANT',
        change: 'resolved',
        before: { stageLevel: 'OFF', weakOverrides: [] },
        after: { stageLevel: 'INFO', weakOverrides: [] },
      }),
    ]);
    expect(metrics.total('DriftResolved')).toBe(1);
  });

  it('handles an event delivered twice once', async () => {
    const { deps, sink } = dependencies(new InventoryReader(afterUpdateMethod));
    const event = driftEvent('01-disassociate-web-acl.json');
    await processEvent(event, deps);

    const second = await processEvent(event, deps);

    expect(second).toEqual({ kind: 'duplicate' });
    expect(sink.verdicts).toHaveLength(1);
  });
});

describe('events that change nothing gatewatch judges', () => {
  for (const set of eventSets)
    itIfPresent(set)(
      `ignores a web ACL detached from a load balancer, and counts it [${set.kind}]`,
      async () => {
        // Prepare: the event is an ALB, not an API.
        const alb = set.load('wafv2-DisassociateWebACL-1.json');
        const reader: TargetReader = { read: jest.fn() };
        const { deps, metrics } = dependencies(reader);

        // Act
        const outcome = await processEvent(parseEvents(alb, 'alb')[0] as ParsedEvent, deps);

        // Assess
        expect(outcome.kind).toBe('ignored');
        expect(reader.read).not.toHaveBeenCalled();
        expect(metrics.total('EventsIgnored')).toBe(1);
      },
    );

  it('ignores a failed call: it changed nothing', async () => {
    const event = driftEvent('02-update-stage-logging-off.json');
    const failed = {
      ...event,
      record: { ...event.record, errorCode: 'AccessDenied', errorMessage: 'not allowed' },
    };
    const { deps } = dependencies({ read: jest.fn() });

    const outcome = await processEvent(failed, deps);

    expect(outcome).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('failed call') });
  });
});

describe('faults and deletions', () => {
  it('lets a failing read propagate and does not mark the event handled, so a retry judges it', async () => {
    // Prepare
    const failing: TargetReader = { read: jest.fn().mockRejectedValueOnce(new Error('Rate exceeded')) };
    const { deps, baseline } = dependencies(failing);
    const event = driftEvent('02-update-stage-logging-off.json');

    // Act / Assess
    await expect(processEvent(event, deps)).rejects.toThrow('Rate exceeded');
    expect(await baseline.handled(event.record.eventID)).toBe(false);
  });

  it('resolves the findings of a stage that was deleted', async () => {
    // Prepare: orders-api staging has open findings in the demo; the reader says it is gone.
    const staging = 'arn:aws:apigateway:eu-west-1::/restapis/k3x9p2a7qd/stages/staging';
    const gone: TargetReader = {
      read: async (): Promise<ReadResult> => ({
        snapshots: [],
        pending: [],
        workingCopyCompared: [],
        gone: [staging],
        problems: [],
      }),
    };
    const { deps, baseline } = dependencies(gone);
    const event = driftEvent('02-update-stage-logging-off.json');
    const deleteStage = {
      ...event,
      record: {
        ...event.record,
        eventName: 'DeleteStage',
        eventID: 'delete-staging',
        requestParameters: { restApiId: 'k3x9p2a7qd', stageName: 'staging', template: false },
      },
    };

    // Act
    const verdicts = await judged(deleteStage, deps);

    // Assess
    expect(verdicts.map((verdict) => [verdict.ruleId, verdict.status, verdict.change]).sort()).toEqual([
      ['rest-method-authorization', 'NOT_APPLICABLE', 'resolved'],
      ['rest-stage-waf-attached', 'NOT_APPLICABLE', 'resolved'],
      ['stage-no-secrets-in-variables', 'NOT_APPLICABLE', 'resolved'],
    ]);
    expect((await baseline.get(staging))?.deleted).toBe(true);
  });

  it('never lets an older read replace a newer one in the baseline', async () => {
    const store = baselineOf(demo);
    const arn = 'arn:aws:apigateway:eu-west-1::/restapis/a9d3f5g7h1/stages/prod';
    const current = await store.get(arn);
    if (!current) throw new Error('the demo baseline lacks backoffice-admin prod');
    await store.put({ ...current, observedAt: '2026-11-23T10:00:00.000Z', rules: {} });

    await store.put({ ...current, observedAt: '2026-11-23T09:00:00.000Z' });

    expect((await store.get(arn))?.observedAt).toBe('2026-11-23T10:00:00.000Z');
  });

  it('measures detection latency from the event time', async () => {
    const { deps, metrics } = dependencies(new InventoryReader(afterUpdateMethod));

    const verdicts = await judged(driftEvent('01-disassociate-web-acl.json'), deps);

    // 09:12:04 → 09:31:30
    expect(verdicts[0]?.latencyMs).toBe(1_166_000);
    expect(metrics.points).toContainEqual(
      expect.objectContaining({ name: 'DetectionLatency', value: 1_166_000, unit: 'Milliseconds' }),
    );
    expect(metrics.points).toContainEqual(
      expect.objectContaining({
        name: 'DriftDetected',
        dimensions: { ruleId: 'rest-stage-waf-attached', severity: 'HIGH' },
      }),
    );
  });
});
