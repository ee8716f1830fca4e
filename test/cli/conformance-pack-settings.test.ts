// `gatewatch conformance-pack` finds the settings where the CDK app does: --settings FILE, else
// gatewatch.config.json in the current directory, else the defaults.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { conformancePackYaml } from '../../pipeline/config/conformance-pack';
import { capture } from '../support/capture';
import { withoutSettingsVariable } from '../support/settings-variable';

withoutSettingsVariable();

let dir: string;
let cwd: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatewatch-pack-'));
  cwd = process.cwd();
  process.chdir(dir);
});
afterEach(() => {
  process.chdir(cwd);
  rmSync(dir, { recursive: true, force: true });
});

async function pack(...args: string[]) {
  const out = capture();
  const code = await main(['conformance-pack', ...args], out);
  return { code, text: out.text() };
}

describe('gatewatch conformance-pack and gatewatch.config.json', () => {
  it('reads gatewatch.config.json in the current directory when --settings is not given', async () => {
    writeFileSync(
      join(dir, 'gatewatch.config.json'),
      JSON.stringify({
        rules: {
          'api-unused': { mode: 'off' },
          'rest-stage-throttling': { parameters: { maxRateLimit: 500 } },
        },
      }),
    );

    const { code, text } = await pack();

    expect(code).toBe(0);
    expect(text).not.toContain('gatewatch-api-unused');
    expect(text).toContain('maxRateLimit: "500"');
  });

  it('prefers --settings, and without either file prints the defaults', async () => {
    writeFileSync(
      join(dir, 'gatewatch.config.json'),
      JSON.stringify({ rules: { 'api-unused': { mode: 'off' } } }),
    );
    writeFileSync(join(dir, 'other.json'), '{}');

    expect((await pack('--settings', join(dir, 'other.json'))).text).toBe(conformancePackYaml());
    rmSync(join(dir, 'gatewatch.config.json'));
    expect((await pack()).text).toBe(conformancePackYaml());
  });
});
