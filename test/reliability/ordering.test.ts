// Ordering and duplicates. EventBridge delivers at least once and in no particular order, and
// Lambda runs deliveries concurrently: events for one stage may be handled in any order, each
// read of the stage may land before or after another handler's, and the same event may arrive
// twice. Whatever the interleaving, the baseline must end at the newest state of the stage (never
// an older read written over a newer one), and a duplicate must change nothing and be acted on
// and announced once. The interleavings are drawn from seeded random sources; the stage's state
// changes while handlers run (AWS answered in-process, test/support/in-process-aws.ts).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { regionClients } from '../../aws/clients';
import { LiveReader } from '../../aws/read/live';
import type { TargetReader } from '../../aws/read/reader';
import { DynamoBaselineStore } from '../../aws/stores/baseline-dynamodb';
import { MemoryBaselineStore } from '../../aws/stores/baseline-memory';
import { parseEvents } from '../../events/schema';
import type { BaselineEntry, BaselineStore } from '../../model/stores';
import type { Verdict } from '../../model/verdict';
import { silentLogger } from '../../observe/log';
import { MemoryMetrics } from '../../observe/metrics';
import { type DriftDependencies, type DriftOutcome, processEvent } from '../../pipeline/drift/detect';
import { CollectingSink } from '../../pipeline/sinks';
import type { RestStageSnapshot } from '../../rules/core/resources';
import { catalog } from '../../rules/index';
import {
  ACCOUNT,
  cloudTrailEvent,
  demoBaseline,
  deployedHandlers,
  NOTIFICATIONS_QUEUE,
  type Random,
  REGION,
  seeded,
  sqsEvent,
  TABLE,
  VERDICTS_QUEUE,
  withEventId,
} from '../support/reliability';

const { world, handlers } = deployedHandlers();

const PAYMENTS = 'p7m2v8c4rt';
const STAGE_ARN = `arn:aws:apigateway:${REGION}::/restapis/${PAYMENTS}/stages/prod`;

/** Lets every other runnable promise and timer callback go first, `n` times over. */
const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** One change to payments-api prod: tracing and the execution log level, as UpdateStage makes them. */
interface StageState {
  readonly tracing: boolean;
  readonly logLevel: 'OFF' | 'ERROR' | 'INFO';
}

function setStage(state: StageState): void {
  const stage = world.account.restStage(PAYMENTS, 'prod');
  stage.tracingEnabled = state.tracing;
  const all = stage.methodSettings?.['*/*'];
  if (!all) throw new Error('payments-api prod has no */* method settings');
  all.loggingLevel = state.logLevel;
}

/** The UpdateStage event for change `i`, made at second `i` past 09:00. */
function updateStage(i: number): ReturnType<typeof parseEvents>[number] {
  const event = withEventId(
    cloudTrailEvent({
      eventName: 'UpdateStage',
      eventId: 'unused',
      requestParameters: { restApiId: PAYMENTS, stageName: 'prod', template: false },
    }),
    `0d0e0f00-0000-4000-8000-${String(i).padStart(12, '0')}`,
    `2026-11-23T09:00:${String(i).padStart(2, '0')}Z`,
  );
  const [parsed] = parseEvents(event, `change ${i}`);
  if (!parsed) throw new Error('no event');
  return parsed;
}

/** A clock that moves one second each time it is read: the order of reads is the order of time. */
function logicalClock() {
  let seconds = 0;
  return () => new Date(Date.UTC(2026, 10, 23, 10, 0, 0) + ++seconds * 1000);
}

/** A reader whose calls land at random moments, as calls to AWS do. */
const jittered = (reader: TargetReader, random: Random): TargetReader => ({
  async read(target, previous) {
    await ticks(random.int(8));
    const read = await reader.read(target, previous);
    await ticks(random.int(8));
    return read;
  },
});

/** A store whose writes land at random moments. */
function jitteredStore(store: BaselineStore, random: Random): BaselineStore {
  return {
    get: (arn) => store.get(arn),
    list: () => store.list(),
    handled: (eventId) => store.handled(eventId),
    claim: (eventId, eventTime) => store.claim(eventId, eventTime),
    release: (eventId, token) => store.release(eventId, token),
    put: async (entry) => {
      await ticks(random.int(8));
      await store.put(entry);
    },
    markHandled: async (eventId, eventTime) => {
      await ticks(random.int(4));
      await store.markHandled(eventId, eventTime);
    },
  };
}

/** A store that writes whatever it is given: what the baseline would be without its observedAt guard. */
class BlindStore extends MemoryBaselineStore {
  override async put(entry: BaselineEntry): Promise<void> {
    this.entries.set(entry.arn, entry);
  }
}

function driftDeps(store: BaselineStore, random: Random, sink = new CollectingSink()): DriftDependencies {
  const clients = regionClients({ region: REGION });
  return {
    reader: jittered(new LiveReader(() => clients, ACCOUNT), random),
    baseline: jitteredStore(store, random),
    rules: catalog,
    sink,
    metrics: new MemoryMetrics(),
    log: silentLogger,
    now: logicalClock(),
  };
}

/**
 * `changes` made to the stage one after the other while their events are delivered in a random
 * order, some twice, each delivery starting at a random moment after its change was made, all
 * handled concurrently. Returns the state the stage ended in and the outcomes.
 */
async function interleave(seed: number, changes: number, store: BaselineStore) {
  const random = seeded(seed);
  const deps = driftDeps(store, random);
  const states: StageState[] = Array.from({ length: changes }, () => ({
    tracing: random.chance(0.5),
    logLevel: random.pick(['OFF', 'ERROR', 'INFO'] as const),
  }));
  const made = states.map(() => {
    let done = () => {};
    const promise = new Promise<void>((resolve) => {
      done = resolve;
    });
    return { promise, done };
  });
  const changing = (async () => {
    for (const [i, state] of states.entries()) {
      await ticks(random.int(12));
      setStage(state);
      made[i]?.done();
    }
  })();
  const order = random.shuffle([...states.keys(), ...[...states.keys()].filter(() => random.chance(0.25))]);
  const outcomes: DriftOutcome[] = [];
  await Promise.all([
    changing,
    ...order.map(async (i) => {
      await made[i]?.promise;
      await ticks(random.int(20));
      outcomes.push(await processEvent(updateStage(i), deps));
    }),
  ]);
  return { final: states.at(-1) as StageState, outcomes, order, sink: deps.sink as CollectingSink };
}

const stored = (entry: BaselineEntry | undefined) => {
  const snapshot = entry?.snapshot as RestStageSnapshot | undefined;
  return { tracing: snapshot?.tracingEnabled, logLevel: snapshot?.methodSettings['*/*']?.loggingLevel };
};

const SEEDS = Array.from({ length: 40 }, (_, i) => 1000 + i);

describe('events for one stage, delivered out of order and handled concurrently', () => {
  const original = structuredClone(world.account.restStage(PAYMENTS, 'prod'));
  afterEach(() => {
    Object.assign(world.account.restStage(PAYMENTS, 'prod'), structuredClone(original));
  });

  it('leave the baseline at the newest state of the stage, and its verdicts agree with it (40 seeds)', async () => {
    const stale: number[] = [];
    for (const seed of SEEDS) {
      // Prepare: the baseline table as the drift function keeps it.
      world.reset(demoBaseline());
      const store = new DynamoBaselineStore(new DynamoDBClient({ region: REGION }), TABLE);

      // Act
      const { final, outcomes, order } = await interleave(seed, 6, store);

      // Assess
      const entry = await store.get(STAGE_ARN);
      if (JSON.stringify(stored(entry)) !== JSON.stringify(final)) stale.push(seed);
      expect(outcomes).toHaveLength(order.length);
      expect(entry?.rules['rest-stage-xray-tracing']?.status).toBe(
        stored(entry).tracing ? 'COMPLIANT' : 'NON_COMPLIANT',
      );
      expect(entry?.rules['rest-stage-execution-logging']?.status).toBe(
        stored(entry).logLevel === 'OFF' ? 'NON_COMPLIANT' : 'COMPLIANT',
      );
    }
    expect(stale).toEqual([]);
  });

  it('would not: a store that lets an older read overwrite a newer one ends stale for some of the same seeds', async () => {
    // The check above has teeth: the same interleavings against a store without the guard.
    const stale: number[] = [];
    for (const seed of SEEDS) {
      world.reset();
      setStage({ tracing: true, logLevel: 'ERROR' });
      const store = new BlindStore(demoBaseline());
      const { final } = await interleave(seed, 6, store);
      if (JSON.stringify(stored(await store.get(STAGE_ARN))) !== JSON.stringify(final)) stale.push(seed);
    }
    expect(stale.length).toBeGreaterThan(0);
  });

  it('one at a time, newest first: the older events find nothing new', async () => {
    // Prepare: three changes made before any of their events arrives (EventBridge was slow).
    world.reset();
    const store = new MemoryBaselineStore(demoBaseline());
    const sink = new CollectingSink();
    const deps = driftDeps(store, seeded(7), sink);
    for (const state of [
      { tracing: true, logLevel: 'INFO' },
      { tracing: true, logLevel: 'ERROR' },
      { tracing: false, logLevel: 'OFF' },
    ] as const) {
      setStage(state);
    }

    // Act: the newest event first, then the older ones.
    const outcomes = [];
    for (const i of [2, 1, 0]) outcomes.push(await processEvent(updateStage(i), deps));

    // Assess
    expect(stored(await store.get(STAGE_ARN))).toEqual({ tracing: false, logLevel: 'OFF' });
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['judged', 'judged', 'judged']);
    const news = sink.verdicts.filter((verdict) => verdict.resourceArn === STAGE_ARN);
    expect(new Set(news.map((verdict) => verdict.eventId))).toEqual(new Set([updateStage(2).record.eventID]));
    expect(news.map((verdict) => verdict.ruleId)).toEqual(
      expect.arrayContaining(['rest-stage-execution-logging', 'rest-stage-xray-tracing']),
    );
  });
});

describe('a duplicate delivery', () => {
  it('changes nothing when it comes after the first was handled', async () => {
    // Prepare
    world.reset(demoBaseline());
    setStage({ tracing: false, logLevel: 'OFF' });
    const store = new MemoryBaselineStore(demoBaseline());
    const sink = new CollectingSink();
    const deps = driftDeps(store, seeded(11), sink);
    const event = updateStage(0);
    await processEvent(event, deps);
    const after = JSON.stringify(await store.list());
    const verdicts = sink.verdicts.length;

    // Act
    const again = [await processEvent(event, deps), await processEvent(event, deps)];

    // Assess
    expect(again).toEqual([{ kind: 'duplicate' }, { kind: 'duplicate' }]);
    expect(JSON.stringify(await store.list())).toBe(after);
    expect(sink.verdicts).toHaveLength(verdicts);
  });

  it('racing the first through every function: one change made, and one message per state', async () => {
    // Prepare: logging turned off on backoffice-admin prod, the event delivered three times at
    // once, so every delivery passes the "already handled?" check before any is recorded.
    world.reset(demoBaseline());
    const event = cloudTrailEvent({
      eventName: 'UpdateStage',
      eventId: '0d0e0f00-0000-4000-8000-00000000dup1',
      requestParameters: { restApiId: 'a9d3f5g7h1', stageName: 'prod', template: false },
    });

    // Act
    const results = await Promise.all([handlers.drift(event), handlers.drift(event), handlers.drift(event)]);
    const sent = world.queues.on(VERDICTS_QUEUE);
    const remediated = await handlers.remediate(sqsEvent(VERDICTS_QUEUE, sent));
    const notified = await handlers.notify(
      sqsEvent(NOTIFICATIONS_QUEUE, world.queues.on(NOTIFICATIONS_QUEUE)) as never,
    );

    // Assess
    expect(results.every((result) => result.judged + result.ignored === 1)).toBe(true);
    expect(remediated.batchItemFailures).toEqual([]);
    expect(notified.batchItemFailures).toEqual([]);
    expect(world.aws.writes.map((call) => call.name)).toEqual(['apigateway:UpdateStage']);
    const messages = world.topics.published.map((message) => message.Subject);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^\[MEDIUM\] Remediated: rest-stage-execution-logging/);
  });
});

describe('one event, each change once', () => {
  it('an event naming an API and its stages announces each finding once', async () => {
    // Prepare: payments-api's endpoint type changed to edge-optimized.
    world.reset(demoBaseline());
    const api = world.account.restApi(PAYMENTS).api as { endpointConfiguration?: { types?: string[] } };
    const before = structuredClone(api.endpointConfiguration);
    api.endpointConfiguration = { types: ['EDGE'] };

    // Act
    await handlers.drift(
      cloudTrailEvent({
        eventName: 'UpdateRestApi',
        eventId: '0d0e0f00-0000-4000-8000-0000000000a1',
        requestParameters: { restApiId: PAYMENTS, template: false },
      }),
    );
    api.endpointConfiguration = before;

    // Assess
    const news = world.verdictsOn(VERDICTS_QUEUE).flat();
    const keys = news.map((verdict: Verdict) => `${verdict.ruleId} ${verdict.resourceArn}`);
    expect(keys).toEqual([...new Set(keys)]);
    expect(keys).toContain(`rest-api-endpoint-type arn:aws:apigateway:${REGION}::/restapis/${PAYMENTS}`);
  });

  it('a deleted REST API closes the findings of its stages, once each', async () => {
    // Prepare: shipping-quotes-v1 had three findings on its stage v1; now the API is gone.
    world.reset(demoBaseline());
    world.setFault((call) =>
      call.service === 'apigateway' && JSON.stringify(call.input).includes('e4h6j8l0n2')
        ? Object.assign(new Error('Invalid API identifier specified'), {
            name: 'NotFoundException',
            $fault: 'client',
            $metadata: { httpStatusCode: 404, attempts: 1 },
          })
        : undefined,
    );

    // Act
    await handlers.drift(
      cloudTrailEvent({
        eventName: 'DeleteRestApi',
        eventId: '0d0e0f00-0000-4000-8000-0000000000d1',
        requestParameters: { restApiId: 'e4h6j8l0n2', template: false },
      }),
    );
    world.setFault(undefined);

    // Assess
    const stage = `arn:aws:apigateway:${REGION}::/restapis/e4h6j8l0n2/stages/v1`;
    const news = world.verdictsOn(VERDICTS_QUEUE).flat();
    expect(world.entry(stage)?.deleted).toBe(true);
    expect(
      news
        .filter((verdict) => verdict.resourceArn === stage)
        .map((verdict) => [verdict.ruleId, verdict.status, verdict.change]),
    ).toEqual([
      ['rest-stage-waf-attached', 'NOT_APPLICABLE', 'resolved'],
      ['rest-method-authorization', 'NOT_APPLICABLE', 'resolved'],
      ['rest-stage-execution-logging', 'NOT_APPLICABLE', 'resolved'],
    ]);
    const keys = news.map((verdict) => `${verdict.ruleId} ${verdict.resourceArn}`);
    expect(keys).toEqual([...new Set(keys)]);
  });

  it('an API seen for the first time is not reported as one gatewatch could not evaluate', async () => {
    // Prepare: partner-webhooks unknown to the baseline; events never read invocation counts.
    world.reset(demoBaseline().filter((entry) => !entry.arn.includes('/apis/w3b5h7k9p1')));

    // Act
    await handlers.drift(
      cloudTrailEvent({
        eventName: 'UpdateApi',
        eventId: '0d0e0f00-0000-4000-8000-0000000000e1',
        requestParameters: { apiId: 'w3b5h7k9p1' },
      }),
    );

    // Assess
    const news = world.verdictsOn(VERDICTS_QUEUE).flat();
    expect(news.filter((verdict) => verdict.status === 'ERROR')).toEqual([]);
    expect(world.entry(`arn:aws:apigateway:${REGION}::/apis/w3b5h7k9p1`)?.rules).not.toHaveProperty(
      'api-unused',
    );
  });
});
