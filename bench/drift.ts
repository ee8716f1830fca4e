// Benchmark: the drift handler, per CloudTrail event. Every recorded CloudTrail/EventBridge file
// in ../shared/events and the five bundled drift events run through the real pipeline
// (processEvent) with the real LiveReader, paced SDK v3 clients; aws-sdk-client-mock
// answers in-process from the demo estate as it is after the drift (examples/drift/state-2),
// in the SDK's shapes (test/support/in-process-aws.ts). Unknown API ids (the recordings come from other accounts) are answered
// with a copy of a demo API under that id, so every event takes its real read path.
//
// Each event runs twice over: with an empty baseline and with a pre-seeded one (a scan of the
// demo estate before the drift; for recordings, plus the state a first handling left).
// The drift function's bundle and load time are in bench/cold-start.ts, with every other function's.
// Run: npx tsx bench/drift.ts   (prints Markdown; figures, not a test)
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type RegionClients, regionAccessCache } from '../aws/clients';
import { readInventory } from '../aws/read/inventory-file';
import { LiveReader } from '../aws/read/live';
import { MemoryBaselineStore } from '../aws/stores/baseline-memory';
import { resolveEvent } from '../events/resolve';
import { type ParsedEvent, parseEvents } from '../events/schema';
import type { BaselineEntry } from '../model/stores';
import { jsonLogger } from '../observe/log';
import { EmfMetrics } from '../observe/metrics';
import { baselineFromScan } from '../pipeline/drift/baseline-from-scan';
import { type DriftDependencies, processEvent } from '../pipeline/drift/detect';
import { scanInventory } from '../pipeline/scan/scan';
import { LoggingSink } from '../pipeline/sinks';
import { ValidationError } from '../rules/core/validation';
import { catalog } from '../rules/index';
import { answerFrom, FakeAccount } from '../test/support/in-process-aws';

const ROOT = path.join(__dirname, '..');
const SHARED_EVENTS = path.join(__dirname, '../../shared/events');
const DRIFT_EVENTS = path.join(ROOT, 'examples/drift/events');
const RUNS = 200;
const WARMUP = 20;
/** The goal for an event on one stage: AWS reads, retries included. */
const STAGE_CALL_GOAL = 4;

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

/** Paced SDK clients per region for one handling: its pacing starts afresh, its calls are its own. */
function handlingAccess() {
  const made: RegionClients[] = [];
  const cache = regionAccessCache({ maxAttempts: 5 });
  const access = (region: string) => {
    const clients = cache(region);
    if (!made.includes(clients)) made.push(clients);
    return clients;
  };
  const calls = () => {
    const sum: Record<string, number> = {};
    for (const { pacer } of made) {
      for (const [operation, n] of Object.entries(pacer.stats.calls))
        sum[operation] = (sum[operation] ?? 0) + n;
    }
    return sum;
  };
  return { access, calls };
}

interface Handling {
  readonly ms: number;
  readonly outcome: string;
  readonly calls: Record<string, number>;
}

async function handle(event: ParsedEvent, seed: readonly BaselineEntry[]): Promise<Handling> {
  const { access, calls } = handlingAccess();
  // Built before the clock starts, as a warm Lambda has its clients.
  access(event.record.awsRegion);
  const accountId = event.envelope?.account ?? event.record.recipientAccountId ?? '111122223333';
  const deps: DriftDependencies = {
    reader: new LiveReader(access, accountId),
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
  return { ms, outcome: outcome.kind, calls: calls() };
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
    reader: new LiveReader(handlingAccess().access, '111122223333'),
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

// ─── Figures ────────────────────────────────────────────────────────────────────────────

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
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
  const { stubs } = answerFrom(new FakeAccount(region));
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
  console.log("### AWS calls by operation (the clients' Pacer stats)\n");
  console.log(operations.join('\n'));
  console.log(
    over.length === 0
      ? `\nEvery stage event stays within ${STAGE_CALL_GOAL} AWS calls.`
      : `\n⚠ Stage events above ${STAGE_CALL_GOAL} AWS calls (no baseline / baseline): ${over.join('; ')}.`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
