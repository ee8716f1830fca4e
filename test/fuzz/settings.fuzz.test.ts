// Fuzzing the settings document (parseSettings, readSettings): whatever a person writes in
// gatewatch.config.json, it is accepted and usable, or rejected with a ValidationError naming
// the file and the field. Accepted settings must judge the demo estate without a rule failing
// on the parameters the settings let through.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { readInventory } from '../../aws/read/inventory-file';
import { scanInventory } from '../../pipeline/scan/scan';
import { parseParameters } from '../../rules/core/judge';
import { catalog } from '../../rules/index';
import {
  activeRules,
  modeOf,
  parametersOf,
  parseSettings,
  readSettings,
  type Settings,
} from '../../settings/schema';
import {
  anyValue,
  configureFuzzing,
  DEMO_INVENTORY,
  expectClearRejection,
  expectNoPollution,
  jsonFiles,
  mutated,
  mutatedText,
  nastyValue,
  ROOT,
  runs,
  Tally,
} from '../support/fuzz';

configureFuzzing();
const tally = new Tally();
afterAll(() => console.log(tally.summary()));

const WHAT = 'Fuzzed settings';

/** Every field set: each rule with its default parameters, an exemption, every notification target. */
const complete = {
  version: 1,
  dryRun: false,
  defaultMode: 'notify',
  rules: Object.fromEntries(
    catalog.map((rule) => [
      rule.id,
      { mode: rule.remediation ? 'remediate' : 'notify', parameters: parseParameters(rule, {}) },
    ]),
  ),
  exemptions: [
    {
      rule: 'rest-stage-waf-attached',
      resource: 'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/*',
      reason: 'Internal test API behind a VPN.',
      expires: '2027-01-31',
    },
    { rule: '*', resource: '*', reason: 'Sandbox account.', expires: '2027-01-31T00:00:00Z' },
  ],
  optOutTagKey: 'gatewatch:opt-out',
  remediation: {
    maxPerWindow: 3,
    windowMinutes: 60,
    trustedPrincipals: ['arn:aws:iam::111122223333:role/ci-*'],
  },
  notifications: {
    emails: ['oncall@example.com'],
    slack: { workspaceId: 'T0123', channelId: 'C0456' },
    slackWebhookSecretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:gatewatch-slack',
    dedupWindowMinutes: 60,
  },
};

const bases: unknown[] = [
  complete,
  {},
  ...jsonFiles(join(ROOT, 'examples', 'settings')).map(({ json }) => json),
];

const SETTINGS_KEYS = [
  'version',
  'dryRun',
  'defaultMode',
  'rules',
  'mode',
  'parameters',
  'exemptions',
  'rule',
  'resource',
  'reason',
  'expires',
  'optOutTagKey',
  'remediation',
  'notifications',
  'emails',
  'slack',
  ...catalog.map((rule) => rule.id),
];

const demo = readInventory(DEMO_INVENTORY);
/** Rule and resource pairs that cannot be evaluated with the defaults (demo read errors). */
const erroredByDefault = new Set(
  scanInventory(demo, { rules: catalog })
    .findings.filter((finding) => finding.status === 'ERROR')
    .map((finding) => `${finding.ruleId} ${finding.resourceArn}`),
);

/** Accepted settings are usable: every accessor works, and no rule fails on the parameters. */
function use(settings: Settings): void {
  for (const rule of catalog) modeOf(settings, rule.id);
  const rules = activeRules(settings);
  const { findings } = scanInventory(demo, { rules, parameters: parametersOf(settings) });
  const failed = findings.filter(
    (finding) =>
      finding.status === 'ERROR' && !erroredByDefault.has(`${finding.ruleId} ${finding.resourceArn}`),
  );
  expect(failed.map((finding) => finding.reason)).toEqual([]);
}

const checkSettings = (input: unknown): string => {
  let settings: Settings;
  try {
    settings = parseSettings(input, WHAT);
  } catch (error) {
    expectClearRejection(error, WHAT);
    expectNoPollution();
    return 'rejected';
  }
  expectNoPollution();
  use(settings);
  return 'accepted';
};

/** A rule's parameters, shaped like its defaults with values changed. */
const ruleParameters = fc
  .constantFrom(...catalog)
  .chain((rule) =>
    mutated(parseParameters(rule, {}), { keys: Object.keys(parseParameters(rule, {}) as object) }).map(
      (parameters) => ({ rules: { [rule.id]: { mode: 'notify', parameters } } }),
    ),
  );

describe('parseSettings', () => {
  it('accepts or clearly rejects every mutation of a complete settings document', () => {
    fc.assert(
      fc.property(fc.oneof(...bases.map((base) => mutated(base, { keys: SETTINGS_KEYS }))), (input) =>
        tally.track('parseSettings (mutated documents)', checkSettings)(input),
      ),
      { numRuns: runs(800) },
    );
  });

  it("accepts or clearly rejects arbitrary values for each rule's parameters", () => {
    fc.assert(
      fc.property(ruleParameters, (input) =>
        tally.track('parseSettings (rule parameters)', checkSettings)(input),
      ),
      { numRuns: runs(400) },
    );
  });

  it('accepts or clearly rejects any value at all', () => {
    fc.assert(
      fc.property(fc.oneof(anyValue, fc.dictionary(fc.constantFrom(...SETTINGS_KEYS), nastyValue)), (input) =>
        tally.track('parseSettings (random values)', checkSettings)(input),
      ),
      { numRuns: runs(400) },
    );
  });
});

describe('readSettings', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatewatch-fuzz-settings-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads or clearly rejects every damaged settings file', () => {
    const text = JSON.stringify(complete, null, 2);
    fc.assert(
      fc.property(mutatedText(text), (content) =>
        tally.track('readSettings (damaged files)', (body: string) => {
          const path = join(dir, 'gatewatch.config.json');
          writeFileSync(path, body);
          try {
            use(readSettings(path));
            return 'accepted';
          } catch (error) {
            expectClearRejection(error, path);
            return 'rejected';
          }
        })(content),
      ),
      { numRuns: runs(150) },
    );
  });
});
