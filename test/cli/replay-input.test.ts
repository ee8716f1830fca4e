// What `gatewatch replay` reads: CloudTrail log files as CloudTrail delivers them (.json.gz),
// plain .json, folders in the S3 layout, standard input; streamed, so memory stays flat.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { main } from '../../cli/main';
import { capture } from '../support/capture';
import { gatewatch, ROOT } from '../support/cli-process';
import { writeCloudTrailLog } from '../support/cloudtrail-log';

jest.setTimeout(120_000);

const DRIFT = join(ROOT, 'examples', 'drift');
const STATES = [
  '--inventory',
  join(DRIFT, 'state-1-after-update-method.json'),
  '--inventory',
  join(DRIFT, 'state-2-after-drift.json'),
];
/** The bundled drift events as one CloudTrail log file: {"Records": [...]}. */
const records = readdirSync(join(DRIFT, 'events'))
  .sort()
  .map(
    (name) => (JSON.parse(readFileSync(join(DRIFT, 'events', name), 'utf8')) as { detail: unknown }).detail,
  );
const logFile = JSON.stringify({ Records: records });

interface Report {
  verdicts: { ruleId: string; eventName: string; change: string; latencyMs?: number; handlerMs?: number }[];
  ignored: number;
  duplicates: number;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatewatch-replay-input-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function replay(...args: string[]) {
  const out = capture();
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await main(['replay', ...args], out);
    return { code, text: out.text(), stderr: stderr.mock.calls.map(([chunk]) => String(chunk)).join('') };
  } finally {
    stderr.mockRestore();
  }
}

const summary = (report: Report) => report.verdicts.map((v) => `${v.eventName} ${v.ruleId} ${v.change}`);

describe('gatewatch replay input', () => {
  it('reads a gzipped CloudTrail log file as it reads the same file plain', async () => {
    // Prepare
    writeFileSync(join(dir, 'log.json'), logFile);
    writeFileSync(join(dir, 'log.json.gz'), gzipSync(logFile));

    // Act
    const plain = await replay(join(dir, 'log.json'), ...STATES, '--format', 'json');
    const gzipped = await replay(join(dir, 'log.json.gz'), ...STATES, '--format', 'json');

    // Assess
    expect(gzipped.code).toBe(0);
    expect(plain.code).toBe(0);
    const report = JSON.parse(gzipped.text) as Report;
    expect(report.verdicts.length).toBeGreaterThan(0);
    expect(summary(report)).toEqual(summary(JSON.parse(plain.text) as Report));
  });

  it('reads a folder recursively in the S3 layout, in date order, skipping digest files', async () => {
    // Prepare: the events split over two days; a digest file beside them is not an event file.
    const day = (d: string) =>
      join(dir, 'AWSLogs', '111122223333', 'CloudTrail', 'eu-west-1', '2026', '11', d);
    mkdirSync(day('23'), { recursive: true });
    mkdirSync(day('24'), { recursive: true });
    const digest = join(dir, 'AWSLogs', '111122223333', 'CloudTrail-Digest', 'eu-west-1', '2026', '11', '23');
    mkdirSync(digest, { recursive: true });
    writeFileSync(
      join(day('24'), '111122223333_CloudTrail_eu-west-1_20261124T0000Z_b.json.gz'),
      gzipSync(JSON.stringify({ Records: records.slice(2) })),
    );
    writeFileSync(
      join(day('23'), '111122223333_CloudTrail_eu-west-1_20261123T0900Z_a.json.gz'),
      gzipSync(JSON.stringify({ Records: records.slice(0, 2) })),
    );
    writeFileSync(
      join(digest, '111122223333_CloudTrail-Digest_eu-west-1_trail_eu-west-1_20261123T090000Z.json.gz'),
      gzipSync('{"awsAccountId":"111122223333"}'),
    );
    writeFileSync(join(day('23'), 'notes.txt'), 'not a log file');
    writeFileSync(join(dir, 'whole.json'), logFile);

    // Act
    const folder = await replay(join(dir, 'AWSLogs'), ...STATES, '--format', 'json');
    const whole = await replay(join(dir, 'whole.json'), ...STATES, '--format', 'json');

    // Assess
    expect(folder.code).toBe(0);
    expect(summary(JSON.parse(folder.text) as Report)).toEqual(summary(JSON.parse(whole.text) as Report));
  });

  it('reads standard input (-), gzipped or not', async () => {
    const plain = await gatewatch(['replay', '-', ...STATES, '--format', 'json'], { input: logFile });
    const gzipped = await gatewatch(['replay', '-', ...STATES, '--format', 'json'], {
      input: gzipSync(logFile),
    });

    expect(plain.code).toBe(0);
    expect(gzipped.code).toBe(0);
    expect(summary(JSON.parse(gzipped.stdout) as Report)).toEqual(
      summary(JSON.parse(plain.stdout) as Report),
    );
    expect((JSON.parse(plain.stdout) as Report).verdicts.length).toBeGreaterThan(0);
  });

  it('refuses binary input in one line, without echoing its bytes', async () => {
    // Prepare: the start of a PNG file, and a gzip file cut short.
    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe, 0x49, 0x48,
    ]);
    writeFileSync(join(dir, 'image.json'), png);
    writeFileSync(join(dir, 'cut.json.gz'), gzipSync(logFile).subarray(0, 200));

    // Act
    const binary = await replay(join(dir, 'image.json'), ...STATES);
    const cut = await replay(join(dir, 'cut.json.gz'), ...STATES);

    // Assess
    expect(binary.code).toBe(2);
    expect(binary.stderr).toBe(
      `gatewatch replay: ${join(dir, 'image.json')} is neither JSON text nor gzip; give CloudTrail log files (.json or .json.gz) or events.\n`,
    );
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(
      /^gatewatch replay: .*cut\.json\.gz is a damaged or truncated gzip file \(Z_BUF_ERROR\)\.\n$/,
    );
  });

  it('reports handlerMs, the time the handler took, not the age of the recording as latencyMs', async () => {
    writeFileSync(join(dir, 'log.json'), logFile);

    const { text } = await replay(join(dir, 'log.json'), ...STATES, '--format', 'json');

    const report = JSON.parse(text) as Report;
    expect(report.verdicts.length).toBeGreaterThan(0);
    for (const verdict of report.verdicts) {
      expect(verdict.latencyMs).toBeUndefined();
      expect(verdict.handlerMs).toEqual(expect.any(Number));
      expect(verdict.handlerMs).toBeLessThan(60_000);
    }
  });

  it('replays a 50 MB gzipped log with a heap bounded at 64 MiB (flat memory, streamed)', async () => {
    // Prepare
    const log = join(dir, 'big.json.gz');
    const { records: count, judged } = await writeCloudTrailLog(log, 50 * 1024 * 1024, { gzip: true });
    const peakFile = join(dir, 'peak');

    // Act: node aborts (exit 134) when the old generation outgrows --max-old-space-size.
    const run = await gatewatch(
      ['replay', log, '--inventory', join(DRIFT, 'state-2-after-drift.json'), '--format', 'json'],
      {
        nodeFlags: ['--max-old-space-size=64', '-r', join(ROOT, 'test/support/heap-peak.cjs')],
        env: { GATEWATCH_HEAP_PEAK_FILE: peakFile },
      },
    );

    // Assess
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(run.stdout) as Report;
    expect(report.ignored + report.duplicates).toBe(count - judged);
    expect(Number(readFileSync(peakFile, 'utf8'))).toBeLessThan(64 * 1024 * 1024);
  });
});
