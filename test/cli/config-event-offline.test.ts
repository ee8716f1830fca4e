// `gatewatch config-event --offline` on the invocations in examples/config/, and every command
// of the README's "Debugging a rule locally" section run as written: no credentials, no AWS call.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { capture } from '../support/capture';

const ROOT = join(__dirname, '..', '..');
const EXAMPLES = join(ROOT, 'examples', 'config');
const STAGE = 'arn:aws:apigateway:eu-west-1::/restapis/k3x9p2a7qd/stages/staging';

let savedEnv: Record<string, string | undefined>;
let cwd: string;
let stderr: jest.SpyInstance;
beforeEach(() => {
  savedEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('AWS_')));
  for (const key of Object.keys(savedEnv)) delete process.env[key];
  // No credentials, and any AWS call would go to a closed port: offline must need neither.
  process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/aws-credentials';
  cwd = process.cwd();
  process.chdir(ROOT);
  stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  process.chdir(cwd);
  stderr.mockRestore();
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  for (const [key, value] of Object.entries(savedEnv)) if (value !== undefined) process.env[key] = value;
});

async function gatewatch(args: readonly string[]) {
  const out = capture();
  const code = await main(args, out);
  return { code, text: out.text() };
}

interface Offline {
  evaluations: { ruleId: string; complianceType: string; resourceId: string; annotation: string }[];
  notEvaluated: { ruleId: string; resourceType: string; resourceId: string; reason: string }[];
}
const offline = async (name: string, ...more: string[]) => {
  const { code, text } = await gatewatch([
    'config-event',
    join(EXAMPLES, name),
    '--offline',
    '--format',
    'json',
    ...more,
  ]);
  expect(code).toBe(0);
  return JSON.parse(text) as Offline;
};

/** The shell lines of the README section, each `npx gatewatch …`. */
function readmeCommands(): string[][] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('### Debugging a rule locally')[1]?.split('\n### ')[0] ?? '';
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim().split(/\s+/));
}

describe('gatewatch config-event --offline', () => {
  it('judges what the configuration item records, with no AWS call', async () => {
    const result = await offline('rest-stage-tracing-off.json');

    expect(result).toEqual({
      evaluations: [
        expect.objectContaining({
          ruleId: 'rest-stage-xray-tracing',
          complianceType: 'NON_COMPLIANT',
          resourceId: STAGE,
          annotation: expect.stringContaining('AWS X-Ray active tracing off'),
        }),
      ],
      notEvaluated: [],
    });
  });

  it("names what Config does not record instead of judging it: a REST stage's served methods, its web ACL", async () => {
    const result = await offline(
      'rest-stage-item.json',
      '--rules',
      'rest-method-authorization,rest-stage-waf-attached',
    );

    expect(result.evaluations).toEqual([]);
    expect(result.notEvaluated).toEqual([
      expect.objectContaining({
        ruleId: 'rest-method-authorization',
        resourceId: STAGE,
        reason: expect.stringContaining('the methods the stage serves'),
      }),
      expect.objectContaining({
        ruleId: 'rest-stage-waf-attached',
        reason: expect.stringContaining('the web ACL attached to the stage'),
      }),
    ]);
  });

  it('does not evaluate an oversized or a scheduled notification offline, and says what it would read', async () => {
    const oversized = await offline('oversized-rest-stage.json');
    const scheduled = await offline('scheduled-rest-method-authorization.json');

    expect(oversized.notEvaluated).toEqual([
      expect.objectContaining({ resourceId: STAGE, reason: expect.stringContaining("AWS Config's history") }),
    ]);
    expect(scheduled.notEvaluated).toEqual([
      expect.objectContaining({
        ruleId: 'rest-method-authorization',
        resourceType: 'AWS::::Account',
        resourceId: '111122223333',
        reason: expect.stringContaining('every resource of its kind in eu-west-1'),
      }),
    ]);
  });

  it('ships invocations shaped as Config sends them', () => {
    for (const name of [
      'rest-stage-no-web-acl.json',
      'rest-stage-tracing-off.json',
      'v2-stage-no-access-logs.json',
      'oversized-rest-stage.json',
      'scheduled-rest-method-authorization.json',
    ]) {
      const event = JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8'));
      expect(typeof event.invokingEvent).toBe('string');
      expect(typeof event.ruleParameters).toBe('string');
      expect(event.resultToken).toEqual(expect.any(String));
      expect(event.configRuleArn).toMatch(/^arn:aws:config:eu-west-1:111122223333:config-rule\//);
      const invoking = JSON.parse(event.invokingEvent);
      const item = invoking.configurationItem;
      if (item)
        expect(item.configuration.lastUpdatedDate).toMatch(
          /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/,
        );
    }
  });

  it('refuses --offline with --live or --endpoint-url', async () => {
    const file = join(EXAMPLES, 'rest-stage-tracing-off.json');
    expect((await gatewatch(['config-event', file, '--offline', '--live'])).code).toBe(2);
    expect(
      (await gatewatch(['config-event', file, '--offline', '--endpoint-url', 'http://localhost:4566'])).code,
    ).toBe(2);
  });

  it('runs every command of the README section "Debugging a rule locally" as written', async () => {
    const commands = readmeCommands();

    expect(commands.length).toBeGreaterThanOrEqual(4);
    for (const [npx, bin, ...args] of commands) {
      expect(`${npx} ${bin}`).toBe('npx gatewatch');
      const { code, text } = await gatewatch(args);
      expect({ command: args.join(' '), code }).toEqual({ command: args.join(' '), code: 0 });
      if (args.includes('json')) JSON.parse(text);
      else expect(text).toMatch(/judged offline from the file alone/);
    }
  });
});
