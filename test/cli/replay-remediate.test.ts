// `gatewatch replay --remediate`: the bundled drift events, against the saved states, with the
// remediator and its guards in-process. Against saved inventories nothing can be changed, so
// every remediation is a plan; the verdicts say which calls it would make and why not others.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
const remediateAll = ['--remediate', '--settings', join(root, 'examples/settings/remediate-all.json')];

interface JsonVerdict {
  ruleId: string;
  resourceArn: string;
  eventName: string;
  remediation?: { action: string; calls: string[]; result: string };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatewatch-replay-remediate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]) {
  const out = capture();
  const code = await main(argv, out);
  return { code, text: out.text() };
}

/** The remediations of a JSON replay, one line each: event, rule, action, calls. */
const remediations = (text: string) =>
  (JSON.parse(text) as { verdicts: JsonVerdict[] }).verdicts
    .filter((verdict) => verdict.remediation)
    .map((verdict) => ({
      event: verdict.eventName,
      rule: verdict.ruleId,
      action: verdict.remediation?.action,
      calls: verdict.remediation?.calls.map((call) => call.split(' ')[0]),
    }));

describe('gatewatch replay --remediate', () => {
  it('plans the fixes of the bundled drift, from the baseline a scan saved, and changes nothing', async () => {
    // Prepare
    const baseline = join(dir, 'baseline.json');
    await run([
      'scan',
      '--inventory',
      join(root, 'examples/inventory/demo.json'),
      '--save-baseline',
      baseline,
    ]);
    // Act
    const { code, text } = await run([
      'replay',
      ...events,
      ...states,
      ...remediateAll,
      '--baseline',
      baseline,
      '--format',
      'json',
    ]);
    // Assess
    expect(code).toBe(0);
    expect(remediations(text)).toEqual([
      {
        event: 'DisassociateWebACL',
        rule: 'rest-stage-waf-attached',
        action: 'planned',
        calls: ['wafv2:AssociateWebACL'],
      },
      {
        event: 'UpdateStage',
        rule: 'rest-stage-execution-logging',
        action: 'planned',
        calls: ['apigateway:UpdateStage'],
      },
      {
        event: 'CreateDeployment',
        rule: 'rest-method-authorization',
        action: 'planned',
        calls: ['apigateway:UpdateMethod', 'apigateway:CreateDeployment'],
      },
      {
        event: 'UpdateRoute',
        rule: 'v2-route-authorization',
        action: 'planned',
        calls: ['apigatewayv2:UpdateRoute'],
      },
    ]);
    expect(text).toContain('resources are read from saved inventories, so nothing can be changed');
  });

  it('shows each plan and its result in the table, and refuses to guess without a baseline', async () => {
    const { code, text } = await run(['replay', ...events, ...states, ...remediateAll]);
    expect(code).toBe(0);
    expect(text).toContain('remediation: planned');
    expect(text).toContain(
      'apigateway:UpdateStage stage prod of API a9d3f5g7h1: /*/*/logging/loglevel → ERROR',
    );
    expect(text).toMatch(/remediation: skipped .*knows no web ACL that was attached .* it does not guess/);
    expect(text).toMatch(/1 remediation planned; nothing was changed\.\n$/);
  });

  it('plans only the fixes that cannot break clients with the default settings (dry-run)', async () => {
    const { text } = await run(['replay', ...events, ...states, '--remediate', '--format', 'json']);
    expect(remediations(text).map(({ rule, action }) => `${rule} ${action}`)).toEqual([
      'rest-stage-waf-attached skipped',
      'rest-stage-execution-logging planned',
      'rest-stage-waf-attached skipped',
      'rest-method-authorization skipped',
      'rest-method-authorization skipped',
      'v2-route-authorization skipped',
    ]);
  });

  it('rejects a settings file that does not validate, naming the field', async () => {
    const out = capture();
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ dryRun: 'no' }));
    const code = await main(['replay', ...events, ...states, '--remediate', '--settings', bad], out);
    expect(code).toBe(2);
    expect(stderr).toHaveBeenCalledWith(
      expect.stringMatching(/Settings file .*bad\.json is invalid: dryRun/),
    );
    stderr.mockRestore();
  });
});
