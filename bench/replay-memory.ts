// Benchmark: memory of `gatewatch replay` on a 50 MB CloudTrail log (gzipped, as CloudTrail
// delivers it), streamed record by record, beside the naive way: the whole file read, gunzipped,
// JSON.parse'd and validated at once (what replay did before it streamed). Each runs in its own
// process with a heap sampler preloaded (test/support/heap-peak.cjs); the figure is the peak
// `heapUsed`. A replay of a one-event file shows the CLI's own footprint.
// Run: npx tsx bench/replay-memory.ts   (prints Markdown; figures, not a test)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseEvents } from '../events/schema';
import { writeCloudTrailLog } from '../test/support/cloudtrail-log';

const ROOT = join(__dirname, '..');
const PEAK = join(ROOT, 'test', 'support', 'heap-peak.cjs');
const STATE = join(ROOT, 'examples', 'drift', 'state-2-after-drift.json');
const MB = 1024 * 1024;

if (process.argv[2] === '--naive') {
  // The naive way, in a child process of its own.
  const file = process.argv[3] as string;
  const events = parseEvents(JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')), file);
  process.stdout.write(`${events.length}\n`);
} else {
  main();
}

function measure(args: readonly string[]): { peakMiB: number; seconds: number } {
  const dir = mkdtempSync(join(tmpdir(), 'gatewatch-bench-peak-'));
  const peakFile = join(dir, 'peak');
  const started = performance.now();
  const run = spawnSync(process.execPath, ['-r', PEAK, ...args], {
    cwd: ROOT,
    env: { ...process.env, GATEWATCH_HEAP_PEAK_FILE: peakFile, AWS_EC2_METADATA_DISABLED: 'true' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}`);
  const peakMiB = Number(readFileSync(peakFile, 'utf8')) / MB;
  rmSync(dir, { recursive: true, force: true });
  return { peakMiB, seconds };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'gatewatch-bench-replay-'));
  const small = join(dir, 'small.json.gz');
  const big = join(dir, 'big.json.gz');
  await writeCloudTrailLog(small, 2_000, { gzip: true });
  const { records } = await writeCloudTrailLog(big, 50 * MB, { gzip: true });
  const cli = (file: string) => [
    'bin/gatewatch.js',
    'replay',
    file,
    '--inventory',
    STATE,
    '--format',
    'json',
  ];
  const rows = [
    ['replay, a 2 KB log (the CLI alone)', measure(cli(small))],
    ['replay, streamed (now)', measure(cli(big))],
    [
      'read whole: gunzip + JSON.parse + validate, no judging (the naive way)',
      measure(['-r', 'tsx/cjs', __filename, '--naive', big]),
    ],
  ] as const;
  console.log(
    `## replay memory: a 50 MB CloudTrail log (${records.toLocaleString('en')} records, gzipped)\n`,
  );
  console.log('| How | Peak heap used | Wall time |');
  console.log('| --- | ---: | ---: |');
  for (const [how, { peakMiB, seconds }] of rows)
    console.log(`| ${how} | ${peakMiB.toFixed(0)} MiB | ${seconds.toFixed(1)} s |`);
  rmSync(dir, { recursive: true, force: true });
}
