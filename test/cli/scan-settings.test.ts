// `gatewatch scan` applies the settings the deployed functions apply: rules switched off are not
// judged, parameters are the settings', an exemption in force or the opt-out tag suppresses a
// finding (listed with the reason, counted, never failing --fail-on), expired exemptions are
// reported. `--settings FILE`, else gatewatch.config.json in the current directory.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { SETTINGS_FILE_VARIABLE } from '../../settings/schema';
import { capture } from '../support/capture';
import { withoutSettingsVariable } from '../support/settings-variable';

const DEMO = join(__dirname, '..', '..', 'examples', 'inventory', 'demo.json');
const STAGING = 'arn:aws:apigateway:eu-west-1::/restapis/k3x9p2a7qd/stages/staging';
const V1 = 'arn:aws:apigateway:eu-west-1::/restapis/e4h6j8l0n2/stages/v1';
const PROMO = 'arn:aws:apigateway:us-east-1::/restapis/u5w7y9b1c3/stages/prod';
const HIGH_RULES = 'rest-stage-waf-attached,rest-method-authorization';

interface JsonFinding {
  ruleId: string;
  resourceArn: string;
  status: string;
  severity: string;
  suppressed?: { kind: string; reason: string };
}
interface JsonReport {
  findings: JsonFinding[];
  summary: {
    suppressed: number;
    expiredExemptions: string[];
    skippedRules: { ruleId: string; why: string }[];
    settings: string | null;
    evaluated: boolean;
  };
}

withoutSettingsVariable();

let dir: string;
let cwd: string;
let stderr: jest.SpyInstance;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatewatch-scan-settings-'));
  cwd = process.cwd();
  process.chdir(dir);
  stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  process.chdir(cwd);
  stderr.mockRestore();
  rmSync(dir, { recursive: true, force: true });
});

const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

async function scan(args: readonly string[]) {
  const out = capture();
  const code = await main(['scan', ...args], out);
  return { code, text: out.text() };
}
const json = async (args: readonly string[]) => {
  const { code, text } = await scan([...args, '--format', 'json']);
  return { code, report: JSON.parse(text) as JsonReport };
};

/** The demo estate with the opt-out tag on two stages and on the API of the third. */
function taggedDemo(tag: string): string {
  const inventory = JSON.parse(readFileSync(DEMO, 'utf8'));
  for (const region of inventory.regions) {
    for (const entry of region.restApis) {
      const api = `arn:aws:apigateway:${region.region}::/restapis/${entry.api.id}`;
      for (const stage of entry.stages) {
        if ([STAGING, V1].includes(`${api}/stages/${stage.stageName}`)) {
          stage.tags = { ...stage.tags, 'gatewatch:opt-out': tag };
        }
      }
      if (PROMO.startsWith(`${api}/`)) entry.api.tags = { ...entry.api.tags, 'gatewatch:opt-out': tag };
    }
  }
  return file('tagged.json', inventory);
}

describe('gatewatch scan with the settings', () => {
  it('does not fail --fail-on HIGH on stages tagged gatewatch:opt-out=all, and lists their findings as suppressed', async () => {
    const inventory = taggedDemo('all');

    const { code, report } = await json([
      '--inventory',
      inventory,
      '--rules',
      HIGH_RULES,
      '--fail-on',
      'HIGH',
    ]);
    const table = await scan(['--inventory', inventory, '--rules', HIGH_RULES]);

    expect(code).toBe(0);
    const high = report.findings.filter((finding) => finding.severity === 'HIGH');
    expect(high).toHaveLength(6);
    for (const finding of high) {
      expect(finding.suppressed).toEqual({
        kind: 'opt-out',
        reason: expect.stringMatching(/is tagged gatewatch:opt-out=all: gatewatch does not change it for/),
      });
    }
    expect(high.find((f) => f.resourceArn === PROMO)?.suppressed?.reason).toMatch(
      /^Its API promo-campaign-2023/,
    );
    expect(report.summary.suppressed).toBe(6);
    expect(table.text).toContain('6 suppressed (exempt or opted out)');
    expect(table.text).toContain('(suppressed: opt-out)');
  });

  it('suppresses only the rules the opt-out tag names', async () => {
    const inventory = taggedDemo('rest-stage-waf-attached');

    const { code, report } = await json([
      '--inventory',
      inventory,
      '--rules',
      HIGH_RULES,
      '--fail-on',
      'HIGH',
    ]);

    expect(code).toBe(1);
    const suppressed = report.findings
      .filter((finding) => finding.suppressed)
      .map((finding) => finding.ruleId);
    expect(suppressed).toEqual([
      'rest-stage-waf-attached',
      'rest-stage-waf-attached',
      'rest-stage-waf-attached',
    ]);
  });

  it('applies exemptions in force, reports the expired ones, and judges with the settings parameters', async () => {
    const settings = file('settings.json', {
      exemptions: [
        {
          rule: 'rest-stage-waf-attached',
          resource: 'arn:aws:apigateway:*::/restapis/u5w7y9b1c3/*',
          reason: 'Campaign ends this month (CHG-1234)',
          expires: '2099-12-31',
        },
        { rule: '*', resource: STAGING, reason: 'Old load test', expires: '2020-01-31' },
      ],
      rules: {
        'rest-api-endpoint-type': { parameters: { allowedEndpointTypes: ['REGIONAL', 'PRIVATE', 'EDGE'] } },
      },
    });

    const { report } = await json(['--inventory', DEMO, '--settings', settings]);

    const waf = report.findings.filter((finding) => finding.ruleId === 'rest-stage-waf-attached');
    expect(waf.find((finding) => finding.resourceArn === PROMO)?.suppressed).toEqual({
      kind: 'exemption',
      reason: `${PROMO} is exempt from rest-stage-waf-attached until 2099-12-31 (Campaign ends this month (CHG-1234)).`,
    });
    expect(waf.find((finding) => finding.resourceArn === STAGING)?.suppressed).toBeUndefined();
    expect(report.summary.expiredExemptions).toEqual([
      `The exemption of ${STAGING} from * ("Old load test") expired on 2020-01-31 and no longer applies.`,
    ]);
    expect(report.findings.map((finding) => finding.ruleId)).not.toContain('rest-api-endpoint-type');
    expect(report.summary.settings).toBe(settings);
  });

  it('does not judge rules switched off, and says so among the skipped rules', async () => {
    const settings = file('off.json', { rules: { 'rest-stage-waf-attached': { mode: 'off' } } });

    const { report } = await json(['--inventory', DEMO, '--settings', settings]);
    const table = await scan(['--inventory', DEMO, '--settings', settings]);

    expect(report.findings.map((finding) => finding.ruleId)).not.toContain('rest-stage-waf-attached');
    expect(report.summary.skippedRules).toContainEqual({
      ruleId: 'rest-stage-waf-attached',
      why: 'switched off in the settings (mode off)',
    });
    expect(table.text).toContain('Skipped rest-stage-waf-attached: switched off in the settings (mode off).');
  });

  it('reads gatewatch.config.json in the current directory, as cdk synth does', async () => {
    file('gatewatch.config.json', { rules: { 'rest-method-authorization': { mode: 'off' } } });

    const { report } = await json(['--inventory', DEMO]);

    expect(report.summary.settings).toBe('gatewatch.config.json');
    expect(report.findings.map((finding) => finding.ruleId)).not.toContain('rest-method-authorization');
  });

  it('takes GATEWATCH_SETTINGS_FILE before gatewatch.config.json when --settings is not given', async () => {
    file('gatewatch.config.json', { rules: { 'rest-method-authorization': { mode: 'off' } } });
    const named = file('ci.json', { rules: { 'rest-stage-waf-attached': { mode: 'off' } } });
    process.env[SETTINGS_FILE_VARIABLE] = named;

    const { report } = await json(['--inventory', DEMO]);

    expect(report.summary.settings).toBe(named);
    const rules = report.findings.map((finding) => finding.ruleId);
    expect(rules).not.toContain('rest-stage-waf-attached');
    expect(rules).toContain('rest-method-authorization');
  });

  it('refuses settings that do not validate, naming the field, and a settings file that is not there', async () => {
    const bad = file('bad.json', { rules: { 'rest-stage-waf-attached': { mode: 'sometimes' } } });

    expect((await scan(['--inventory', DEMO, '--settings', bad])).code).toBe(2);
    expect(String(stderr.mock.calls.at(-1)?.[0])).toMatch(/rules\.rest-stage-waf-attached\.mode/);
    expect((await scan(['--inventory', DEMO, '--settings', join(dir, 'missing.json')])).code).toBe(2);
    expect(String(stderr.mock.calls.at(-1)?.[0])).toMatch(/does not exist/);
  });

  it('says in the table summary that api-unused was skipped and why', async () => {
    const inventory = JSON.parse(readFileSync(DEMO, 'utf8'));
    for (const region of inventory.regions) region.metricsDays = 0;

    const { text } = await scan(['--inventory', file('no-metrics.json', inventory)]);

    expect(text).toContain(
      'Skipped api-unused: no invocation metrics were collected (--metrics-days 0 skips CloudWatch',
    );
  });

  it('with --all lists compliant and not-applicable evaluations in the table too', async () => {
    const plain = await scan(['--inventory', DEMO, '--rules', 'rest-stage-xray-tracing']);
    const all = await scan(['--inventory', DEMO, '--rules', 'rest-stage-xray-tracing', '--all']);

    expect(plain.text).not.toContain('PASS');
    expect(all.text).toMatch(/PASS {5}rest-stage-xray-tracing/);
  });
});
