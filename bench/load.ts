// Benchmark: 10,000 recorded-shape CloudTrail events through the deployed drift handler
// (handlers/drift.ts), AWS answered in-process (test/support/in-process-aws.ts: the
// real SDK v3 clients, the DocumentClient over an in-memory baseline table, SQS in memory), the
// Pacer's pacing lifted. Prints throughput and the heap after a full garbage collection at
// 1,000, 5,000 and 10,000 events, and exits non-zero when the heap grows by more than 16 MiB
// between 5,000 and 10,000 events. The same run, at 2,000 events, is test/reliability/load.test.ts.
// Run: npx tsx bench/load.ts   (prints Markdown; figures, not a test)
import os from 'node:os';
import { driftBurst } from '../test/support/drift-burst';

const EVENTS = 10_000;
const CHECKPOINTS = [1_000, 5_000, 10_000];
const MAX_GROWTH_MIB = 16;

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const run = await driftBurst(EVENTS, CHECKPOINTS);
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.log(
    `## Drift handler under load (${EVENTS.toLocaleString('en-US')} events, one process, Node ${process.version}, ${cpu})\n`,
  );
  console.log(
    table(
      [
        'Events',
        'Elapsed',
        'Events/s (since previous row)',
        'Heap used after GC',
        'RSS',
        'Resources in the baseline',
        'Handled-event markers written',
      ],
      run.checkpoints.map((point) => [
        point.events.toLocaleString('en-US'),
        `${point.seconds.toFixed(1)} s`,
        Math.round(point.eventsPerSecond).toLocaleString('en-US'),
        `${point.heapUsedMiB.toFixed(1)} MiB`,
        `${point.rssMiB.toFixed(0)} MiB`,
        point.tableItems.toLocaleString('en-US'),
        point.handledMarkers.toLocaleString('en-US'),
      ]),
    ),
  );
  const at = (events: number) => run.checkpoints.find((point) => point.events === events);
  const mid = at(5_000);
  const end = at(10_000);
  if (!mid || !end) throw new Error('missing checkpoints');
  const growth = end.heapUsedMiB - mid.heapUsedMiB;
  const calls = Object.values(run.calls).reduce((sum, n) => sum + n, 0);
  console.log(
    `\n${run.sources} source events (the bundled drift events and the recordings) delivered in turn with fresh event ids; ` +
      `outcomes: ${Object.entries(run.outcomes)
        .map(([kind, n]) => `${kind} ${n.toLocaleString('en-US')}`)
        .join(
          ', ',
        )}; ${calls.toLocaleString('en-US')} AWS calls answered (${(calls / EVENTS).toFixed(2)} per event). ` +
      `Heap before the burst ${run.heapBeforeMiB.toFixed(1)} MiB; growth from 5,000 to 10,000 events ${growth.toFixed(2)} MiB ` +
      `(${((growth * 1024 * 1024) / 5_000).toFixed(0)} bytes per event, limit ${MAX_GROWTH_MIB} MiB). ` +
      'The handled-event markers live in DynamoDB, not in the function: the in-process table drops them as it goes.',
  );
  if (growth > MAX_GROWTH_MIB) {
    console.error(`The heap grew by ${growth.toFixed(1)} MiB between 5,000 and 10,000 events.`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
