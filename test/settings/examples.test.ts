// The settings documents the repository ships are valid, and mean what their names say:
// default.json is what a new deployment runs with (dry-run), remediate-all.json switches every
// remediation on with no exemptions. Functions read the settings the CDK app baked in.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalog } from '../../rules/index';
import { settingsFrom } from '../../settings/load';
import { defaultSettings, modeOf, parseSettings, readSettings } from '../../settings/schema';

const examples = join(__dirname, '../../examples/settings');

describe('examples/settings', () => {
  it('default.json is valid, is the defaults, and is dry-run', () => {
    const settings = readSettings(join(examples, 'default.json'));
    expect(settings).toEqual(defaultSettings);
    expect(settings.dryRun).toBe(true);
    expect(settings.exemptions).toEqual([]);
  });

  it('remediate-all.json is valid and switches every remediation on, with no exemptions', () => {
    const settings = readSettings(join(examples, 'remediate-all.json'));
    expect(settings.dryRun).toBe(false);
    expect(settings.exemptions).toEqual([]);
    const withRemediation = catalog.filter((rule) => rule.remediation).map((rule) => rule.id);
    expect(withRemediation.filter((id) => modeOf(settings, id) !== 'remediate')).toEqual([]);
    // Named one by one: fixes that can break clients are not switched on by defaultMode alone.
    expect(Object.keys(settings.rules).sort()).toEqual([...withRemediation].sort());
  });
});

describe('the settings a function runs with', () => {
  it('are the defaults when none were bundled', () => {
    expect(settingsFrom(undefined)).toEqual(defaultSettings);
  });

  it('are the bundled document, validated', () => {
    const text = readFileSync(join(examples, 'remediate-all.json'), 'utf8');
    expect(settingsFrom(text)).toEqual(parseSettings(JSON.parse(text)));
    expect(() => settingsFrom('{"dryRun":"no"}')).toThrow(/dryRun/);
    expect(() => settingsFrom('{')).toThrow(/not JSON/);
  });
});
