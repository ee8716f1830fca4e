// A burst of drift events through the deployed drift handler (handlers/drift.ts), with
// AWS answered in-process and the Pacer's pacing lifted: what one execution environment does
// with the CPU and memory it has, not what API Gateway's quota allows (the handler is paced at
// 8 requests/s against the account's 10 in AWS). Shared by test/reliability/load.test.ts and
// bench/load.ts; no jest here.
//
// The events are the bundled drift events and the recorded CloudTrail/EventBridge events, each
// delivered again and again with a fresh event id (a redelivery would be a duplicate), so the
// set of resources stays that of the demo estate, as it would in one account. Each event leaves
// a "handled" marker in the baseline table; they live in DynamoDB (expiring after a week), not
// in the function, so the in-process table drops them every 250 events and they are counted.
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { allEvents, demoBaseline, loadHandlers, unpaced, World, withEventId } from './reliability';

export interface Checkpoint {
  readonly events: number;
  /** Wall time since the first event, in seconds. */
  readonly seconds: number;
  /** Events per second over the stretch since the previous checkpoint. */
  readonly eventsPerSecond: number;
  /** V8 heap in use after a full garbage collection, in MiB. */
  readonly heapUsedMiB: number;
  readonly rssMiB: number;
  /** Resources in the in-process baseline table. */
  readonly tableItems: number;
  /** Handled-event markers written so far (dropped from the in-process table, see above). */
  readonly handledMarkers: number;
}

export interface BurstResult {
  readonly checkpoints: readonly Checkpoint[];
  /** The heap before the first event (modules loaded, one event handled), in MiB. */
  readonly heapBeforeMiB: number;
  readonly outcomes: Readonly<Record<string, number>>;
  /** AWS calls answered, by service and operation. */
  readonly calls: Readonly<Record<string, number>>;
  readonly sources: number;
  /** Log lines and metric data points the handler wrote (counted, not printed). */
  readonly linesWritten: number;
}

/** A full garbage collection, available whatever flags Node was started with. */
export function collectGarbage(): void {
  setFlagsFromString('--expose_gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

const mib = (bytes: number) => bytes / 1024 / 1024;

/** Handles `count` events, measuring at each of `checkpoints` (event counts, ascending). */
export async function driftBurst(count: number, checkpoints: readonly number[]): Promise<BurstResult> {
  unpaced();
  const world = new World();
  const handlers = loadHandlers();
  world.reset(demoBaseline());
  const sources = allEvents();
  const outcomes: Record<string, number> = {};
  // The handler logs a line per event and writes EMF metrics to stdout: counted, not printed.
  const log = console.log;
  const write = process.stdout.write;
  let lines = 0;
  console.log = () => {
    lines += 1;
  };
  process.stdout.write = (() => {
    lines += 1;
    return true;
  }) as typeof process.stdout.write;
  const points: Checkpoint[] = [];
  let markers = 0;
  try {
    // One event first, so module loading and the first clients are not counted as growth.
    await handlers.drift(withEventId(sources[0]?.event ?? {}, 'warm-up-0000'));
    world.resetHistory();
    collectGarbage();
    const heapBefore = mib(process.memoryUsage().heapUsed);
    const started = performance.now();
    let last = { at: started, events: 0 };
    for (let i = 1; i <= count; i++) {
      const source = sources[i % sources.length] as (typeof sources)[number];
      const event = withEventId(source.event, `10ad0000-0000-4000-8000-${String(i).padStart(12, '0')}`);
      try {
        const result = await handlers.drift(event);
        const kind = result.judged === 1 ? 'judged' : 'ignored';
        outcomes[kind] = (outcomes[kind] ?? 0) + 1;
      } catch (error) {
        outcomes[(error as Error).name] = (outcomes[(error as Error).name] ?? 0) + 1;
      }
      if (i % 250 === 0 || checkpoints.includes(i)) {
        // The function's own memory only: the fake side forgets the calls and messages it saw.
        world.resetHistory();
        world.queues.sent.length = 0;
        for (const key of world.table.items.keys()) {
          if (!key.startsWith('idempotency#drift|')) continue;
          world.table.items.delete(key);
          markers += 1;
        }
      }
      if (checkpoints.includes(i)) {
        const now = performance.now();
        world.resetHistory();
        collectGarbage();
        const memory = process.memoryUsage();
        points.push({
          events: i,
          seconds: (now - started) / 1000,
          eventsPerSecond: (i - last.events) / ((now - last.at) / 1000),
          heapUsedMiB: mib(memory.heapUsed),
          rssMiB: mib(memory.rss),
          tableItems: world.table.items.size,
          handledMarkers: markers,
        });
        last = { at: performance.now(), events: i };
      }
    }
    return {
      checkpoints: points,
      heapBeforeMiB: heapBefore,
      outcomes,
      calls: Object.fromEntries(world.aws.calls),
      sources: sources.length,
      linesWritten: lines,
    };
  } finally {
    console.log = log;
    process.stdout.write = write;
    world.restore();
  }
}
