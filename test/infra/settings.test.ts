// Settings at synth: the document named by the `settings` context is validated, a bad one
// fails synthesis with a message naming the field, and every function bundle gets it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import flags from 'aws-cdk-lib/recommended-feature-flags.json';
import { GatewatchStack } from '../../infra/gatewatch-stack';
import { deploymentSettings, settingsDefine } from '../../infra/settings';

const dir = mkdtempSync(join(tmpdir(), 'gatewatch-settings-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
};
const app = (settings?: string) =>
  new App({
    context: { ...flags, 'aws:cdk:bundling-stacks': [], ...(settings ? { settings } : {}) },
    builtinCloudFormationValidation: false,
  });

describe('deployment settings', () => {
  it('fails synthesis naming the bad field', () => {
    const bad = file('bad.json', { dryRun: false, rules: { 'rest-stage-xray-tracing': { mode: 'fix-it' } } });
    expect(() => new GatewatchStack(app(bad), 'Gatewatch')).toThrow(
      /gatewatch settings: Settings file .*bad\.json is invalid: rules\.rest-stage-xray-tracing\.mode/,
    );
    const unknownRule = file('unknown.json', { rules: { 'rest-stage-waf': { mode: 'remediate' } } });
    expect(() => new GatewatchStack(app(unknownRule), 'Gatewatch')).toThrow(
      /rules\.rest-stage-waf: no such rule/,
    );
    expect(() => new GatewatchStack(app(join(dir, 'missing.json')), 'Gatewatch')).toThrow(/does not exist/);
  });

  it('bakes the validated document into the bundles', () => {
    const good = file('good.json', { dryRun: false, exemptions: [] });
    const scope = app(good);
    expect(deploymentSettings(scope).settings.dryRun).toBe(false);
    const define = settingsDefine(scope)['process.env.GATEWATCH_SETTINGS'] as string;
    expect(JSON.parse(JSON.parse(define))).toMatchObject({ dryRun: false, defaultMode: 'remediate' });
  });

  it('refuses an exemption with an impossible date: the stack, and `cdk synth` (infra/app.ts) with exit 1 and one line', () => {
    const impossible = file('impossible.json', {
      exemptions: [
        {
          rule: 'rest-stage-waf-attached',
          resource: 'arn:aws:apigateway:*::/restapis/a1b2c3d4e5/*',
          reason: 'Load test until Friday',
          expires: '2027-13-45',
        },
      ],
    });
    expect(() => new GatewatchStack(app(impossible), 'Gatewatch')).toThrow(
      /exemptions\.0\.expires: 2027-13-45 has no month 13/,
    );
    // As the CDK CLI runs the app: context through CDK_CONTEXT_JSON.
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
      cwd: join(__dirname, '../..'),
      encoding: 'utf8',
      env: {
        ...process.env,
        CDK_CONTEXT_JSON: JSON.stringify({ settings: impossible, 'aws:cdk:bundling-stacks': [] }),
        CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'gatewatch-synth-')),
      },
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^gatewatch settings: Settings file .*impossible\.json is invalid: exemptions\.0\.expires: 2027-13-45 has no month 13$/,
      ),
    ]);
  });
});
