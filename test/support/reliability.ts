// What the reliability tests share: one in-process AWS account (the demo estate after the drift,
// answered by the real SDK v3 clients through aws-sdk-client-mock), the baseline table, queues
// and topic in memory, the deployed functions' own handlers loaded with the environment the
// stack gives them, the bundled and recorded events, a seeded random source, and a capture of
// everything the functions write to stdout and stderr.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultRates } from '../../aws/clients';
import { readInventory } from '../../aws/read/inventory-file';
import type { BaselineEntry } from '../../model/stores';
import type { Verdict } from '../../model/verdict';
import { parseVerdictMessage } from '../../model/verdict-message';
import { baselineFromScan } from '../../pipeline/drift/baseline-from-scan';
import { scanInventory } from '../../pipeline/scan/scan';
import { catalog } from '../../rules/index';
import { fixtures, recordings } from './event-sets';
import type { FaultHook } from './in-process-aws';
import {
  answerFrom,
  FakeAccount,
  InMemoryConfig,
  InMemoryQueues,
  InMemoryTable,
  InMemoryTopics,
} from './in-process-aws';

export const ROOT = join(__dirname, '..', '..');
export const REGION = 'eu-west-1';
export const ACCOUNT = '111122223333';
export const TABLE = 'gatewatch-baseline-reliability';
export const VERDICTS_QUEUE = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/gatewatch-verdicts`;
export const NOTIFICATIONS_QUEUE = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/gatewatch-notifications`;
export const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:gatewatch-notifications`;
/** The remediator's own role, as the stack names it: its sessions' changes are never remediated. */
export const OWN_ROLE = `arn:aws:iam::${ACCOUNT}:role/Gatewatch-RemediationHandlerRole-1A2B3C4D5E6F`;
export const CLOUDWATCH_ROLE = `arn:aws:iam::${ACCOUNT}:role/Gatewatch-ApiGatewayCloudWatchRole-7G8H9I`;
/** The Config rules the drift function asks AWS Config to re-evaluate (CONFIG_RULE_IDS). */
export const CONFIG_RULE_IDS = ['rest-stage-waf-attached', 'rest-stage-execution-logging'];

export const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8'));

/** examples/settings/remediate-all.json: every remediation on, not a dry run. */
export const remediateAllSettings = (): Record<string, unknown> =>
  readJson(join(ROOT, 'examples/settings/remediate-all.json'));

// ─── A seeded random source (mulberry32) ────────────────────────────────────────────────

export interface Random {
  /** In [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
}

export function seeded(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => items[int(items.length)] as (typeof items)[number],
    shuffle: (items) => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [out[i], out[j]] = [out[j] as (typeof out)[number], out[i] as (typeof out)[number]];
      }
      return out;
    },
  };
}

// ─── Pacing ─────────────────────────────────────────────────────────────────────────────

/**
 * Lifts the Pacer's pacing: the functions pace themselves below API Gateway's quota (tested in
 * test/aws/throttling.test.ts); here AWS answers in-process and only the outcomes
 * matter. Pacers built afterwards (the handlers build theirs lazily) do not wait.
 */
export function unpaced(): void {
  for (const rate of Object.values(defaultRates)) Object.assign(rate, { perSecond: 1e9, burst: 1e9 });
}

// ─── The account, the table, the queues ─────────────────────────────────────────────────

const demoInventory = () => readInventory(join(ROOT, 'examples/inventory/demo.json'));

let demo: readonly BaselineEntry[] | undefined;
/** The baseline a scan of the demo estate before the drift left (every resource, every rule). */
export function demoBaseline(): readonly BaselineEntry[] {
  if (!demo) {
    const inventory = demoInventory();
    const scan = scanInventory(inventory, { rules: catalog });
    demo = baselineFromScan(scan.estate, scan.findings, inventory.collectedAt).filter(
      (entry) => entry.snapshot.region === REGION,
    );
  }
  return demo;
}

/** The demo estate after the drift (examples/drift/state-2-after-drift.json), eu-west-1. */
export function driftedRegion() {
  const state = readInventory(join(ROOT, 'examples/drift/state-2-after-drift.json'));
  const region = state.regions.find((candidate) => candidate.region === REGION);
  if (!region) throw new Error(`state-2-after-drift.json has no ${REGION}`);
  return region;
}

/** Every AWS service the functions use, answered in-process; one per test file. */
export class World {
  /**
   * Unknown REST API ids are answered with a copy of backoffice-admin (its prod stage logs
   * nothing: a fix gatewatch makes), unknown HTTP API ids with one of tracking-http.
   */
  readonly account = new FakeAccount(driftedRegion(), { restApiId: 'a9d3f5g7h1', v2ApiId: 'h2t4r6k8m0' });
  readonly aws = answerFrom(this.account);
  readonly table = new InMemoryTable();
  readonly queues = new InMemoryQueues();
  readonly topics = new InMemoryTopics();
  readonly config = new InMemoryConfig();

  /** One fault hook for every service (undefined: answer everything). */
  setFault(hook: FaultHook | undefined): void {
    this.aws.setFault(hook);
    this.table.setFault(hook);
    this.queues.setFault(hook);
    this.topics.setFault(hook);
    this.config.setFault(hook);
  }

  /** Empties the table, queues and topic, and stores `baseline` as the drift function would. */
  reset(baseline: readonly BaselineEntry[] = []): void {
    this.setFault(undefined);
    this.table.items.clear();
    this.queues.sent.length = 0;
    this.topics.published.length = 0;
    this.config.delivered.length = 0;
    this.config.reevaluations.length = 0;
    this.aws.writes.length = 0;
    this.aws.calls.clear();
    this.resetHistory();
    for (const entry of baseline) {
      this.table.items.set(`${entry.arn}|state`, {
        pk: entry.arn,
        sk: 'state',
        observedAt: entry.observedAt,
        entry: JSON.stringify(entry),
      });
    }
  }

  /** aws-sdk-client-mock keeps every call's arguments; long runs forget them. */
  resetHistory(): void {
    this.aws.resetHistory();
    this.table.resetHistory();
    for (const stub of [this.queues.stub, this.topics.stub, this.config.stub]) {
      stub.resetHistory();
    }
  }

  entry(arn: string): BaselineEntry | undefined {
    const item = this.table.items.get(`${arn}|state`);
    return item ? (JSON.parse(item.entry as string) as BaselineEntry) : undefined;
  }

  /** Whether the drift function's idempotency record of the event is completed (a claim, live or left by a delivery that failed, is not). */
  handled(eventId: string): boolean {
    return this.table.completed('drift', eventId);
  }

  /** The verdicts sent to a queue, message by message. */
  verdictsOn(queueUrl: string): Verdict[][] {
    return this.queues.on(queueUrl).map((message) => parseVerdictMessage(message.body, message.messageId));
  }

  restore(): void {
    this.aws.restore();
    this.table.restore();
    for (const stub of [this.queues.stub, this.topics.stub, this.config.stub]) {
      stub.restore();
    }
  }
}

// ─── The deployed handlers, with the stack's environment ────────────────────────────────

export interface Handlers {
  readonly drift: typeof import('../../handlers/drift').handler;
  readonly remediate: typeof import('../../handlers/remediate').handler;
  readonly notify: typeof import('../../handlers/notify').handler;
}

/** Fake credentials, as Lambda would put in the environment. */
export const FAKE_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIAGATEWATCHFAKE001',
  AWS_SECRET_ACCESS_KEY: 'gatewatch/FakeSecretAccessKey/DoNotLogThis0123456789ab',
  AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEGatewatchFakeSessionToken//DoNotLog+0123456789abcdefXYZ=',
};

/** The environment the stack gives the functions, with `settings` baked in as GATEWATCH_SETTINGS. */
export function stackEnvironment(settings: Record<string, unknown>): NodeJS.ProcessEnv {
  return {
    ...FAKE_CREDENTIALS,
    AWS_REGION: REGION,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    BASELINE_TABLE: TABLE,
    VERDICTS_QUEUE_URL: VERDICTS_QUEUE,
    NOTIFICATIONS_QUEUE_URL: NOTIFICATIONS_QUEUE,
    TOPIC_ARN,
    GATEWATCH_ROLE_ARN: OWN_ROLE,
    CLOUDWATCH_ROLE_ARN: CLOUDWATCH_ROLE,
    CONFIG_RULE_IDS: CONFIG_RULE_IDS.join(','),
    GATEWATCH_SETTINGS: JSON.stringify(settings),
  };
}

/**
 * The drift, remediator and notifier handlers, loaded once the environment is set (each reads
 * it when first called, the drift handler also when loaded), in this test file's module
 * registry, so the SDK classes they use are the ones the World mocks.
 */
export function loadHandlers(settings: Record<string, unknown> = remediateAllSettings()): Handlers {
  Object.assign(process.env, stackEnvironment(settings));
  return {
    drift: require('../../handlers/drift').handler,
    remediate: require('../../handlers/remediate').handler,
    notify: require('../../handlers/notify').handler,
  };
}

// ─── Events ─────────────────────────────────────────────────────────────────────────────

export const driftEvent = (file: string) => readJson(join(ROOT, 'examples/drift/events', file));
/** A file of the fixtures of test/fixtures/events. */
export const recordedEvent = (file: string) => fixtures.load(file);

const jsonFiles = (dir: string) =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();

/**
 * The bundled drift events and the CloudTrail/EventBridge fixtures (not the Config ones), by
 * file name, with the recordings of ../shared/events too when present.
 */
export function allEvents(): { name: string; event: Record<string, unknown> }[] {
  const bundled = jsonFiles(join(ROOT, 'examples/drift/events')).map((name) => ({
    name: `drift/${name}`,
    event: driftEvent(name),
  }));
  const recorded = [fixtures, recordings]
    .filter((set) => set.present)
    .flatMap((set) =>
      set.cloudTrailFiles.map((name) => ({ name: `${set.kind}/${name}`, event: set.load(name) })),
    );
  return [...bundled, ...recorded];
}

/** The CloudTrail record of an event: the EventBridge envelope's detail, or the bare record. */
export const detailOf = (event: Record<string, unknown>) =>
  ('detail' in event ? event.detail : event) as Record<string, unknown>;

/** A copy of the event with another event id (and time); the envelope's own id follows. */
export function withEventId(event: Record<string, unknown>, eventId: string, eventTime?: string) {
  const copy = structuredClone(event);
  const detail = detailOf(copy);
  detail.eventID = eventId;
  if (eventTime) {
    detail.eventTime = eventTime;
    if ('detail' in copy) copy.time = eventTime;
  }
  if ('detail' in copy) copy.id = `eb-${eventId}`;
  return copy;
}

/** The API an event's request names (REST or HTTP/WebSocket), if any. */
export function apiIdOf(event: Record<string, unknown>): string | undefined {
  const params = (detailOf(event).requestParameters ?? {}) as Record<string, unknown>;
  const direct = params.restApiId ?? params.apiId;
  if (typeof direct === 'string') return direct;
  return /\/(?:restapis|apis)\/([^/"]+)/.exec(JSON.stringify(params))?.[1];
}

/** A copy of the event about another API: every mention of its API id replaced. */
export function withApiId(event: Record<string, unknown>, apiId: string): Record<string, unknown> {
  const old = apiIdOf(event);
  return old ? JSON.parse(JSON.stringify(event).split(old).join(apiId)) : structuredClone(event);
}

/**
 * A CloudTrail event delivered by EventBridge, made from drift/02's envelope (alice's console
 * session): another API call, with its own request parameters.
 */
export function cloudTrailEvent(call: {
  readonly eventSource?: string;
  readonly eventName: string;
  readonly requestParameters: Record<string, unknown>;
  readonly responseElements?: Record<string, unknown> | null;
  readonly eventId: string;
  readonly userAgent?: string;
}): Record<string, unknown> {
  const event = driftEvent('02-update-stage-logging-off.json');
  const eventSource = call.eventSource ?? 'apigateway.amazonaws.com';
  const detail = {
    ...detailOf(event),
    eventSource,
    eventName: call.eventName,
    eventID: call.eventId,
    requestParameters: call.requestParameters,
    responseElements: call.responseElements ?? null,
    ...(call.userAgent ? { userAgent: call.userAgent } : {}),
  };
  return {
    ...event,
    id: `eb-${call.eventId}`,
    source: `aws.${eventSource.replace('.amazonaws.com', '')}`,
    detail,
  };
}

// ─── SQS deliveries ─────────────────────────────────────────────────────────────────────

/** An SQS event as Lambda delivers a batch, for the queue at `queueUrl`. */
export function sqsEvent(
  queueUrl: string,
  messages: readonly { messageId: string; body: string; receiveCount?: number }[],
) {
  const name = queueUrl.split('/').pop();
  return {
    Records: messages.map((message) => ({
      messageId: message.messageId,
      receiptHandle: `AQEB${message.messageId.replace(/-/g, '')}`,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount ?? 1),
        SentTimestamp: '1795252330000',
        SenderId: 'AROAEXAMPLEGATEWATCH:gatewatch-drift',
        ApproximateFirstReceiveTimestamp: '1795252330100',
      },
      messageAttributes: {},
      md5OfBody: 'd41d8cd98f00b204e9800998ecf8427e',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`,
      awsRegion: REGION,
    })),
  };
}

// ─── What the functions write ───────────────────────────────────────────────────────────

export interface Captured {
  /** Every chunk written to stdout or stderr, or logged through console, in order. */
  readonly chunks: string[];
  /** The JSON log lines (EMF metric lines left out). */
  logs(): Record<string, unknown>[];
  /** EMF data points of a metric. */
  metric(name: string): Record<string, unknown>[];
  text(): string;
  clear(): void;
  restore(): void;
}

/** Captures console.* and process.stdout/stderr writes until restored. */
export function captureOutput(): Captured {
  const chunks: string[] = [];
  const keep = (...args: unknown[]) => {
    chunks.push(args.map((arg) => (typeof arg === 'string' ? arg : String(arg))).join(' '));
  };
  const spies = [
    jest.spyOn(console, 'log').mockImplementation(keep),
    jest.spyOn(console, 'info').mockImplementation(keep),
    jest.spyOn(console, 'warn').mockImplementation(keep),
    jest.spyOn(console, 'error').mockImplementation(keep),
    jest.spyOn(console, 'debug').mockImplementation(keep),
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    }),
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    }),
  ];
  const lines = () =>
    chunks
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.trim().startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    chunks,
    logs: () => lines().filter((line) => !('_aws' in line)),
    metric: (name) => lines().filter((line) => '_aws' in line && name in line),
    text: () => chunks.join('\n'),
    clear: () => {
      chunks.length = 0;
    },
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

/**
 * The deployed handlers against the in-process AWS, unpaced, for a test file: what each test
 * prints is captured (`captured()`) and the world is restored after the file.
 */
export function deployedHandlers(settings?: Record<string, unknown>): {
  world: World;
  handlers: Handlers;
  captured: () => Captured;
} {
  unpaced();
  const world = new World();
  const handlers = loadHandlers(settings);
  let output: Captured | undefined;
  beforeEach(() => {
    output = captureOutput();
  });
  afterEach(() => output?.restore());
  afterAll(() => world.restore());
  return { world, handlers, captured: () => output as Captured };
}
