// `gatewatch config-event` and `gatewatch conformance-pack`, as a person runs them: the real
// CLI, SDK clients and evaluator, talking HTTP to an in-process AWS-compatible endpoint.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { conformancePackYaml } from '../../pipeline/config/conformance-pack';
import { catalog } from '../../rules/index';
import { capture } from '../support/capture';
import { describeEachSet, fixtures } from '../support/event-sets';
import { type FakeAwsEndpoint, startFakeAwsEndpoint } from '../support/fake-aws-endpoint';
import { CHANGE_DOCSAMPLE, configFacts, STAGE_1 } from '../support/pipeline/config';

let fake: FakeAwsEndpoint | undefined;
let savedEnv: Record<string, string | undefined>;
let dir: string;

beforeEach(() => {
  savedEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('AWS_')));
  for (const key of Object.keys(savedEnv)) delete process.env[key];
  process.env.AWS_ACCESS_KEY_ID = 'AKIAFAKEFAKEFAKEFAKE';
  process.env.AWS_SECRET_ACCESS_KEY = 'fake-secret-access-key';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/aws-credentials';
  dir = mkdtempSync(join(tmpdir(), 'gatewatch-config-event-'));
});

afterEach(async () => {
  await fake?.close();
  fake = undefined;
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  for (const [key, value] of Object.entries(savedEnv)) if (value !== undefined) process.env[key] = value;
  rmSync(dir, { recursive: true, force: true });
});

async function gatewatch(...args: string[]) {
  const out = capture();
  const code = await main(args, out);
  return { code, text: out.text() };
}

interface PutEvaluationsBody {
  Evaluations: { ComplianceResourceId: string; ComplianceType: string }[];
  ResultToken: string;
  TestMode?: boolean;
}
const putBodies = (endpoint: FakeAwsEndpoint) =>
  endpoint.requests
    .filter((request) => request.operation === 'PutEvaluations')
    .map((request) => request.body as PutEvaluationsBody);

describeEachSet('gatewatch config-event on a stage item', (set) => {
  const f = configFacts[set.kind];
  const LIMIT_ARN = f.stage1.arn;

  it('runs the rules of the item and prints what Config was sent, in TestMode', async () => {
    // Prepare
    fake = await startFakeAwsEndpoint({});

    // Act
    const { code, text } = await gatewatch(
      'config-event',
      set.path(STAGE_1),
      '--rules',
      'rest-stage-xray-tracing,rest-stage-throttling',
      '--endpoint-url',
      fake.url,
      '--format',
      'json',
    );

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(text)).toEqual({
      evaluations: [
        {
          configRuleName: 'gatewatch-rest-stage-xray-tracing',
          ruleId: 'rest-stage-xray-tracing',
          resourceType: 'AWS::ApiGateway::Stage',
          resourceId: LIMIT_ARN,
          complianceType: 'NON_COMPLIANT',
          annotation: expect.stringContaining('X-Ray active tracing off'),
          orderingTimestamp: f.stage1.captureTime,
        },
        expect.objectContaining({ ruleId: 'rest-stage-throttling', complianceType: 'COMPLIANT' }),
      ],
    });
    expect(putBodies(fake).map((body) => body.TestMode)).toEqual([true, true]);
    expect(fake.unhandled).toEqual([]);
  });

  it('delivers for real with the result token of the Lambda event only with --live', async () => {
    // Prepare: the item in the Lambda event Config sends
    fake = await startFakeAwsEndpoint({});
    const envelope = set.load(CHANGE_DOCSAMPLE);
    const file = join(dir, 'invocation.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...envelope,
        invokingEvent: set.text(STAGE_1),
        ruleParameters: '{"ruleId":"rest-stage-data-trace-disabled"}',
        configRuleName: 'gatewatch-rest-stage-data-trace-disabled',
      }),
    );

    // Act
    const { code, text } = await gatewatch('config-event', file, '--endpoint-url', fake.url, '--live');

    // Assess
    expect(code).toBe(0);
    expect(text).toContain('NON_COMPLIANT');
    expect(text).toContain('delivered to AWS Config');
    expect(putBodies(fake)).toEqual([
      expect.objectContaining({
        ResultToken: f.docsamples.resultToken,
        Evaluations: [expect.objectContaining({ ComplianceResourceId: LIMIT_ARN })],
      }),
    ]);
    expect(putBodies(fake)[0]?.TestMode).toBeUndefined();
  });
});

describe('gatewatch config-event', () => {
  it('refuses --live without a recorded result token', async () => {
    const { code } = await gatewatch('config-event', fixtures.path(STAGE_1), '--live');

    expect(code).toBe(2);
  });
});

describe('gatewatch conformance-pack', () => {
  it('prints the bundled example (run `npm run docs` after changing a rule)', async () => {
    const saved = readFileSync(
      join(__dirname, '..', '..', 'examples', 'conformance-pack', 'gatewatch.yaml'),
      'utf8',
    );

    const { code, text } = await gatewatch('conformance-pack');

    expect(code).toBe(0);
    expect(text).toBe(saved);
    expect(text).toBe(conformancePackYaml());
    expect(text.match(/Type: "AWS::Config::ConfigRule"/g)).toHaveLength(catalog.length);
    expect(Buffer.byteLength(text)).toBeLessThan(51_200);
  });

  it('leaves out rules the settings switch off and carries the parameters they set', async () => {
    const settings = join(dir, 'settings.json');
    writeFileSync(
      settings,
      JSON.stringify({
        rules: {
          'api-unused': { mode: 'off' },
          'rest-stage-throttling': { parameters: { maxRateLimit: 500 } },
        },
      }),
    );

    const { text } = await gatewatch('conformance-pack', '--settings', settings);

    expect(text).not.toContain('gatewatch-api-unused');
    expect(text).toContain('maxRateLimit: "500"');
  });
});
