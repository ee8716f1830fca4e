// `gatewatch scan --format sarif` as a code-scanning service receives it: valid against the
// SARIF 2.1.0 schema of the OASIS standard (test/fixtures/sarif-schema-2.1.0.json), and shaped
// as GitHub's upload requires: a physical location per result, every result's rule described
// (could-not-evaluate included) with its index, one category per account and region set,
// fingerprints stable across runs, the invocation saying what could not be read.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { resourceUri } from '../../cli/report/sarif';
import { capture } from '../support/capture';
import { validateJsonSchema } from '../support/json-schema';

const ROOT = join(__dirname, '..', '..');
const DEMO = join(ROOT, 'examples', 'inventory', 'demo.json');
const SCHEMA = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'sarif-schema-2.1.0.json'), 'utf8'));

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  kind: string;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> };
    logicalLocations: { fullyQualifiedName: string }[];
  }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: string; status: string; justification: string }[];
}
interface SarifRun {
  tool: { driver: { rules: { id: string; helpUri?: string; help: { text: string; markdown: string } }[] } };
  automationDetails: { id: string };
  invocations: {
    executionSuccessful: boolean;
    exitCode: number;
    toolExecutionNotifications: {
      message: { text: string };
      associatedRule: { id: string; index: number };
    }[];
  }[];
  results: SarifResult[];
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatewatch-sarif-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function sarifOf(args: readonly string[]) {
  const out = capture();
  const code = await main(['scan', '--format', 'sarif', ...args], out);
  const text = out.text();
  return { code, text, log: JSON.parse(text) as { runs: SarifRun[] } };
}

/** The demo estate with one REST API's stages unreadable, as a denied GetStages leaves them. */
function demoWithDeniedStages(): string {
  const inventory = JSON.parse(readFileSync(DEMO, 'utf8'));
  const [region] = inventory.regions;
  const api = region.restApis.find((entry: { api: { name: string } }) => entry.api.name === 'orders-api');
  region.restApis = region.restApis.filter((entry: unknown) => entry !== api);
  region.errors = [
    {
      operation: 'GetStages',
      resource: `arn:aws:apigateway:${region.region}::/restapis/${api.api.id}`,
      code: 'AccessDeniedException',
      kind: 'denied',
      message: 'not authorized to perform: apigateway:GET',
    },
  ];
  const path = join(dir, 'denied.json');
  writeFileSync(path, JSON.stringify(inventory));
  return path;
}

describe('gatewatch scan --format sarif', () => {
  it("writes the demo estate's SARIF valid against the SARIF 2.1.0 schema", async () => {
    const { code, text, log } = await sarifOf(['--inventory', DEMO]);

    expect(code).toBe(0);
    expect(validateJsonSchema(SCHEMA, log)).toEqual([]);
    const [run] = log.runs as [SarifRun];
    expect(run.results).toHaveLength(15);
    expect(run.tool.driver.rules).toHaveLength(29);
    expect(Buffer.byteLength(text)).toBeLessThan(100_000);
  });

  it('the validator refuses what the schema forbids (a relative helpUri, a line 0, a result without a message)', async () => {
    const { log } = await sarifOf(['--inventory', DEMO]);
    const [run] = log.runs as [SarifRun];
    const broken = structuredClone(log) as { runs: SarifRun[] };
    const [brokenRun] = broken.runs as [SarifRun];
    (brokenRun.tool.driver.rules[0] as { helpUri?: string }).helpUri = 'runbooks/x.md';
    const [firstLocation] = (brokenRun.results[0] as SarifResult).locations;
    if (firstLocation) firstLocation.physicalLocation.region.startLine = 0;
    const { message: _dropped, ...withoutMessage } = brokenRun.results[1] as SarifResult;
    brokenRun.results[1] = withoutMessage as SarifResult;

    expect(run.results.length).toBeGreaterThan(1);
    expect(validateJsonSchema(SCHEMA, broken)).toEqual([
      expect.stringMatching(/rules\[0\]\.helpUri: "runbooks\/x\.md" is not a uri/),
      expect.stringMatching(/results\[0\]\.locations\[0\]\.physicalLocation\.region\.startLine: below 1/),
      expect.stringMatching(/results\[1\]: missing required property message/),
    ]);
  });

  it('gives every result a physical location, a pseudo-file per resource, and its rule by index', async () => {
    const { log } = await sarifOf(['--inventory', DEMO]);
    const [run] = log.runs as [SarifRun];

    for (const result of run.results) {
      const [where] = result.locations;
      expect(where?.physicalLocation.artifactLocation.uri).toMatch(/^aws\/\d{12}\/[a-z0-9-]+\/\S+$/);
      expect(where?.physicalLocation.region.startLine).toBe(1);
      expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
      expect(result.kind).toBe('fail');
    }
    const waf = run.results.find(
      (result) =>
        result.ruleId === 'rest-stage-waf-attached' &&
        result.locations[0]?.logicalLocations[0]?.fullyQualifiedName ===
          'arn:aws:apigateway:us-east-1::/restapis/u5w7y9b1c3/stages/prod',
    );
    expect(waf?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(
      'aws/111122223333/us-east-1/restapis/u5w7y9b1c3/stages/prod',
    );
    expect(run.automationDetails.id).toBe('gatewatch/111122223333/eu-west-1+us-east-1/');
    expect(run.invocations).toEqual([
      expect.objectContaining({ executionSuccessful: true, exitCode: 0, toolExecutionNotifications: [] }),
    ]);
  });

  it('names each resource by a stable path: stages, routes, $default, domains, the account, web ACLs', () => {
    expect(
      resourceUri('arn:aws:apigateway:eu-west-1::/apis/h1t2/stages/$default', '111122223333', 'eu-west-1'),
    ).toBe('aws/111122223333/eu-west-1/apis/h1t2/stages/$default');
    expect(resourceUri('arn:aws:apigateway:eu-west-1::/domainnames/api.example.com', '1', 'eu-west-1')).toBe(
      'aws/1/eu-west-1/domainnames/api.example.com',
    );
    expect(resourceUri('arn:aws:apigateway:eu-west-1::/', '1', 'eu-west-1')).toBe(
      'aws/1/eu-west-1/apigateway',
    );
    expect(resourceUri('arn:aws:wafv2:eu-west-1:1:regional/webacl/acl one/ab-12', '1', 'eu-west-1')).toBe(
      'aws/1/eu-west-1/wafv2/regional/webacl/acl%20one/ab-12',
    );
  });

  it('keeps fingerprints across runs and apart across accounts, and the category apart per account and region', async () => {
    const first = await sarifOf(['--inventory', DEMO]);
    const second = await sarifOf(['--inventory', DEMO]);
    const inventory = JSON.parse(readFileSync(DEMO, 'utf8'));
    for (const region of inventory.regions) region.accountId = '444455556666';
    const other = join(dir, 'other-account.json');
    writeFileSync(other, JSON.stringify(inventory));
    const third = await sarifOf(['--inventory', other]);

    const prints = (log: { runs: SarifRun[] }) =>
      log.runs[0]?.results.map((result) => result.partialFingerprints.primaryLocationLineHash);
    expect(prints(second.log)).toEqual(prints(first.log));
    expect(new Set(prints(first.log)).size).toBe(15);
    for (const print of prints(third.log) ?? []) expect(prints(first.log)).not.toContain(print);
    expect(third.log.runs[0]?.automationDetails.id).toBe('gatewatch/444455556666/eu-west-1+us-east-1/');
  });

  it('describes could-not-evaluate as a rule and reports each unread resource in the invocation', async () => {
    const { log } = await sarifOf(['--inventory', demoWithDeniedStages()]);
    const [run] = log.runs as [SarifRun];

    expect(validateJsonSchema(SCHEMA, log)).toEqual([]);
    const unread = run.results.filter((result) => result.ruleId === 'could-not-evaluate');
    expect(unread).toHaveLength(1);
    expect(run.tool.driver.rules[unread[0]?.ruleIndex ?? -1]?.id).toBe('could-not-evaluate');
    const [invocation] = run.invocations;
    expect(invocation?.executionSuccessful).toBe(false);
    expect(invocation?.toolExecutionNotifications).toEqual([
      expect.objectContaining({
        message: { text: expect.stringContaining('AccessDeniedException, access denied') },
        associatedRule: { id: 'could-not-evaluate', index: run.tool.driver.rules.length - 1 },
      }),
    ]);
  });

  it('links runbooks relative to the repository by default, and under --runbook-base-url when given', async () => {
    const relative = await sarifOf(['--inventory', DEMO]);
    const absolute = await sarifOf([
      '--inventory',
      DEMO,
      '--runbook-base-url',
      'https://git.example.com/platform/gatewatch/blob/v2',
    ]);

    const rule = (log: { runs: SarifRun[] }) =>
      log.runs[0]?.tool.driver.rules.find((candidate) => candidate.id === 'rest-stage-waf-attached');
    expect(rule(relative.log)?.helpUri).toBeUndefined();
    expect(rule(relative.log)?.help.markdown).toContain('(runbooks/rest-stage-waf-attached.md)');
    expect(rule(absolute.log)?.helpUri).toBe(
      'https://git.example.com/platform/gatewatch/blob/v2/runbooks/rest-stage-waf-attached.md',
    );
    expect(validateJsonSchema(SCHEMA, absolute.log)).toEqual([]);
    const misuse = await main(
      ['scan', '--inventory', DEMO, '--runbook-base-url', 'https://x.example/'],
      capture(),
    );
    expect(misuse).toBe(2);
  });

  it('with --all adds passing and not-applicable results, which are not failures', async () => {
    const { log } = await sarifOf(['--inventory', DEMO, '--all']);
    const [run] = log.runs as [SarifRun];

    expect(validateJsonSchema(SCHEMA, log)).toEqual([]);
    const kinds = run.results.reduce<Record<string, number>>((count, result) => {
      count[result.kind] = (count[result.kind] ?? 0) + 1;
      return count;
    }, {});
    expect(kinds).toEqual({ fail: 15, pass: 93, notApplicable: 39 });
    for (const result of run.results.filter((r) => r.kind !== 'fail')) expect(result.level).toBe('none');
  });
});
