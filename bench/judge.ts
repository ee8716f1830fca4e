// Benchmark: judging, alone. Every rule of the catalog over every resource of the demo estate
// (examples/inventory/demo.json: REST, HTTP and WebSocket APIs with their stages, routes,
// custom domains, web ACLs and account settings, normalised as a scan normalises them), the
// pairs repeated to about 100,000 evaluations, on one thread (judging is synchronous: one core).
// Rules run exactly as the scan, the drift path and the Config evaluator run them: `judge`, which
// parses the rule's parameters and builds the finding with its reason.
// Run: npx tsx bench/judge.ts   (prints Markdown; figures, not a test)
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readInventory } from '../aws/read/inventory-file';
import { normalise } from '../aws/read/normalise';
import { judge } from '../rules/core/judge';
import { type Snapshot, snapshotsOf } from '../rules/core/resources';
import type { AnyRule } from '../rules/core/rule';
import { catalog } from '../rules/index';

const TARGET = 100_000;
const RUNS = 5;
const WARMUP = 3;

interface Pair {
  readonly rule: AnyRule;
  readonly snapshot: Snapshot;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** Judges every pair `passes` times; returns wall and CPU milliseconds and the statuses seen. */
function pass(pairs: readonly Pair[], passes: number) {
  const statuses: Record<string, number> = {};
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let n = 0; n < passes; n++) {
    for (const { rule, snapshot } of pairs) {
      const { status } = judge(rule, snapshot);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, statuses };
}

function main(): void {
  const inventory = readInventory(path.join(__dirname, '..', 'examples', 'inventory', 'demo.json'));
  const { estate } = normalise(inventory);
  const pairs: Pair[] = catalog.flatMap((rule) =>
    snapshotsOf(rule.resource, estate).map((snapshot) => ({ rule, snapshot })),
  );
  const passes = Math.ceil(TARGET / pairs.length);
  const evaluations = passes * pairs.length;
  pass(pairs, WARMUP);

  const runs = Array.from({ length: RUNS }, () => pass(pairs, passes));
  const wall = median(runs.map((run) => run.wallMs));
  const cpu = median(runs.map((run) => run.cpuMs));
  const statuses = runs[0]?.statuses ?? {};

  // Per rule: the same pairs, rule by rule, to show where the time goes.
  const perRule = catalog.map((rule) => {
    const own = pairs.filter((pair) => pair.rule === rule);
    const repeat = Math.max(1, Math.ceil(20_000 / Math.max(1, own.length)));
    const { wallMs } = pass(own, repeat);
    return { rule, resources: own.length, microseconds: (wallMs * 1000) / (repeat * own.length) };
  });
  const slowest = [...perRule].sort((a, b) => b.microseconds - a.microseconds).slice(0, 5);

  const resources = Object.values(estate).reduce((sum, list) => sum + list.length, 0);
  console.log(
    `## Judging (one thread, Node ${process.version}, ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'})\n`,
  );
  console.log(
    table(
      [
        'Rules',
        'Resources',
        'Evaluations per pass',
        'Evaluations timed',
        'Wall (median of 5)',
        'CPU (all threads, GC included)',
        'Evaluations/s',
        'µs per evaluation',
      ],
      [
        [
          String(catalog.length),
          String(resources),
          String(pairs.length),
          int(evaluations),
          `${int(wall)} ms`,
          `${int(cpu)} ms`,
          int(evaluations / (wall / 1000)),
          ((wall * 1000) / evaluations).toFixed(1),
        ],
      ],
    ),
  );
  console.log(
    `\nFindings per pass: ${Object.entries(statuses)
      .map(([status, n]) => `${status} ${int(n / passes)}`)
      .join(', ')}. Slowest rules (µs per evaluation): ${slowest
      .map(
        ({ rule, microseconds, resources }) =>
          `${rule.id} ${microseconds.toFixed(1)} (${resources} resources)`,
      )
      .join(', ')}; median rule ${median(perRule.map((r) => r.microseconds)).toFixed(1)} µs.`,
  );
}

main();
