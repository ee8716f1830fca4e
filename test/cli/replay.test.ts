import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { capture } from '../support/capture';

const root = join(__dirname, '..', '..');
const drift = join(root, 'examples', 'drift');
const events = readdirSync(join(drift, 'events'))
  .sort()
  .map((name) => join(drift, 'events', name));
const states = [
  '--inventory',
  join(drift, 'state-1-after-update-method.json'),
  '--inventory',
  join(drift, 'state-2-after-drift.json'),
];

interface JsonVerdict {
  ruleId: string;
  resourceArn: string;
  status: string;
  change: string;
  eventName: string;
  actor: string;
  before: unknown;
  after: unknown;
  pending?: boolean;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatewatch-replay-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]) {
  const out = capture();
  const code = await main(argv, out);
  return { code, text: out.text() };
}

describe('gatewatch replay', () => {
  it('replays the bundled drift against a baseline saved by scan: one verdict per drift, with actor and before → after', async () => {
    // Prepare
    const baseline = join(dir, 'baseline.json');
    await run([
      'scan',
      '--inventory',
      join(root, 'examples/inventory/demo.json'),
      '--save-baseline',
      baseline,
      '--format',
      'json',
    ]);

    // Act
    const { code, text } = await run([
      'replay',
      ...events,
      ...states,
      '--baseline',
      baseline,
      '--format',
      'json',
    ]);

    // Assess
    expect(code).toBe(0);
    const { verdicts, ignored } = JSON.parse(text) as { verdicts: JsonVerdict[]; ignored: number };
    expect(ignored).toBe(0);
    const summary = verdicts.map((v) => [v.eventName, v.ruleId, v.status, v.change, v.pending ?? false]);
    expect(summary).toEqual([
      ['DisassociateWebACL', 'rest-stage-waf-attached', 'NON_COMPLIANT', 'new', false],
      ['UpdateStage', 'rest-stage-execution-logging', 'NON_COMPLIANT', 'new', false],
      ['UpdateMethod', 'rest-method-authorization', 'NON_COMPLIANT', 'new', true],
      ['CreateDeployment', 'rest-method-authorization', 'NON_COMPLIANT', 'new', false],
      ['UpdateRoute', 'v2-route-authorization', 'NON_COMPLIANT', 'new', false],
    ]);
    for (const verdict of verdicts) {
      expect(verdict.actor).toMatch(/^arn:aws:(sts|iam)::111122223333:/);
      expect(verdict.before).not.toEqual(verdict.after);
    }
  });

  it('updates the baseline in place, so replaying the same events again announces nothing', async () => {
    const baseline = join(dir, 'baseline.json');
    await run([
      'scan',
      '--inventory',
      join(root, 'examples/inventory/demo.json'),
      '--save-baseline',
      baseline,
      '--format',
      'json',
    ]);
    await run(['replay', ...events, ...states, '--baseline', baseline]);

    const { text } = await run(['replay', ...events, ...states, '--baseline', baseline, '--format', 'json']);

    expect(JSON.parse(text)).toMatchObject({ verdicts: [], duplicates: events.length });
  });

  it('prints each event with who made it and what changed, and says it was a dry run', async () => {
    const { text } = await run(['replay', ...events, ...states]);

    expect(text).toContain(
      'DisassociateWebACL (wafv2.amazonaws.com) by arn:aws:sts::111122223333:assumed-role/',
    );
    expect(text).toContain('before: ');
    expect(text).toMatch(/dry-run, nothing was changed\.\n$/);
  });

  it('exits 2 with the file and field named when an event file does not parse', async () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);

    const { code } = await run(['replay', join(root, 'examples/inventory/demo.json'), ...states]);

    expect(code).toBe(2);
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining('demo.json'));
    stderr.mockRestore();
  });
});
