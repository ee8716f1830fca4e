// Benchmark: cold start of every Lambda function the stack deploys. The entries are read from
// infra/ (each `entry: 'handlers/…'` given to gatewatchFunction), and each is bundled exactly as
// infra/constructs/gatewatch-function.ts has NodejsFunction bundle it: esbuild, --platform=node,
// --target from the runtime (NODEJS_24_X), CommonJS, minified, the AWS SDK bundled, a source map
// without sources, `mainFields: module, main`, and the settings baked in (the defaults, as a new
// deployment has them). Then each bundle is loaded in 10 fresh Node processes with
// `--enable-source-maps`, as the function's NODE_OPTIONS sets it: the module-load time
// (`require` of the bundle, timed inside the process) and the whole process, median of 10.
// Run: npx tsx bench/cold-start.ts   (prints Markdown; figures, not a test)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { defaultSettings } from '../settings/schema';

const ROOT = path.join(__dirname, '..');
const LOADS = 10;

/** Every `entry: 'handlers/…'` under infra/, with the file that declares it. */
function functionEntries(): { entry: string; declaredIn: string }[] {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
    });
  const found = new Map<string, string>();
  for (const file of files(path.join(ROOT, 'infra'))) {
    for (const [, entry] of readFileSync(file, 'utf8').matchAll(/\bentry:\s*'(handlers\/[^']+\.ts)'/g)) {
      if (entry && !found.has(entry)) found.set(entry, path.relative(ROOT, file));
    }
  }
  return [...found]
    .map(([entry, declaredIn]) => ({ entry, declaredIn }))
    .sort((a, b) => a.entry.localeCompare(b.entry));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

interface Figures {
  readonly entry: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly mapBytes: number;
  readonly requireMs: number;
  readonly processMs: number;
}

async function measure(entry: string, dir: string): Promise<Figures> {
  const outfile = path.join(dir, entry.replace(/[/.]/g, '_'), 'index.js');
  await build({
    entryPoints: [path.join(ROOT, entry)],
    absWorkingDir: ROOT,
    outfile,
    bundle: true,
    target: 'node24',
    platform: 'node',
    format: 'cjs',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    mainFields: ['module', 'main'],
    define: { 'process.env.GATEWATCH_SETTINGS': JSON.stringify(JSON.stringify(defaultSettings)) },
    logLevel: 'error',
  });
  const code = readFileSync(outfile);
  const { NODE_OPTIONS: _inherited, ...env } = process.env;
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(outfile)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const requireMs: number[] = [];
  const processMs: number[] = [];
  for (let run = 0; run < LOADS; run++) {
    const started = performance.now();
    const out = execFileSync(process.execPath, ['-e', script], {
      env: {
        ...env,
        NODE_OPTIONS: '--enable-source-maps',
        AWS_REGION: 'eu-west-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      encoding: 'utf8',
    });
    processMs.push(performance.now() - started);
    requireMs.push(Number(out));
  }
  return {
    entry,
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    mapBytes: readFileSync(`${outfile}.map`).length,
    requireMs: median(requireMs),
    processMs: median(processMs),
  };
}

const kib = (bytes: number) => `${Math.round(bytes / 1024).toLocaleString('en-US')} KiB`;
const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const entries = functionEntries();
  if (entries.length === 0) throw new Error('No function entries found under infra/.');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gatewatch-cold-start-'));
  try {
    const figures: Figures[] = [];
    for (const { entry } of entries) figures.push(await measure(entry, dir));
    const bare = await baseline();
    console.log(
      `## Cold start: bundle size and module load (median of ${LOADS} fresh processes, Node ${process.version}, --enable-source-maps)\n`,
    );
    console.log(
      table(
        ['Function (entry)', 'Bundle', 'Gzipped', 'Source map', 'Module load', 'Whole `node -e` process'],
        figures.map((f) => [
          `\`${f.entry}\``,
          kib(f.bytes),
          kib(f.gzipBytes),
          kib(f.mapBytes),
          ms(f.requireMs),
          ms(f.processMs),
        ]),
      ),
    );
    console.log(
      `\nEntries from ${[...new Set(entries.map((e) => e.declaredIn))].join(', ')}. The deployment package (zip) holds the bundle and its source map. An empty \`node -e\` takes ${ms(bare)} here: the rest of the process column is loading the bundle. Lambda adds its own runtime start; the module load is what the bundle controls.`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An empty process, for reference. */
async function baseline(): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < LOADS; run++) {
    const started = performance.now();
    execFileSync(process.execPath, ['-e', '0'], { env: { ...process.env, NODE_OPTIONS: '' } });
    times.push(performance.now() - started);
  }
  return median(times);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
