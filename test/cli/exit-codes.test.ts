// The CLI's one error path, seen from outside: the real command as a child process, with no AWS
// credentials (or credentials and an endpoint that refuses connections). Each problem a person can
// fix is exit 2 and ONE line on stderr saying what to do; a closed stdout is exit 0 and silence.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, closedPort, FAKE_CREDENTIALS, gatewatch, ROOT, type Run } from '../support/cli-process';

jest.setTimeout(120_000);

const DEMO = join(ROOT, 'examples/inventory/demo.json');
const EVENT = join(ROOT, 'examples/drift/events/01-disassociate-web-acl.json');
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:gatewatch-test';

let dir: string;
let endpoint: string;
let itemChange: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatewatch-exit-'));
  endpoint = `http://127.0.0.1:${await closedPort()}`;
  // A configuration item notification for a REST API stage, shaped as AWS Config sends it.
  itemChange = join(dir, 'item-change.json');
  writeFileSync(
    itemChange,
    JSON.stringify({
      messageType: 'ConfigurationItemChangeNotification',
      notificationCreationTime: '2026-11-20T08:00:00.000Z',
      configurationItem: {
        configurationItemCaptureTime: '2026-11-20T07:59:00.000Z',
        configurationItemStatus: 'OK',
        resourceType: 'AWS::ApiGateway::Stage',
        resourceId: 'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod',
        resourceName: 'prod',
        awsRegion: 'eu-west-1',
        awsAccountId: '111122223333',
        configuration: { stageName: 'prod', restApiId: 'a1b2c3d4e5', tracingEnabled: false },
      },
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Exit 2 and exactly one line on stderr, no stack trace, nothing of Node's parser. */
function expectOneLine(run: Run, pattern: RegExp): void {
  expect({ code: run.code, stderr: run.stderr.trimEnd() }).toEqual({
    code: 2,
    stderr: expect.stringMatching(pattern),
  });
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at |ERR_PARSE_ARGS|EPIPE/);
}

describe('a closed standard output', () => {
  it('gatewatch demo whose reader has gone: exit 0, nothing on stderr', async () => {
    const run = await gatewatch(['demo'], { closeStdout: true });

    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('scan --format json | head -1: exit 0, no EPIPE', async () => {
    const run = await new Promise<Run>((resolve) => {
      const shell = spawn(
        'bash',
        [
          '-c',
          `node bin/gatewatch.js scan --inventory ${DEMO} --format json --all | head -1; echo "exit=\${PIPESTATUS[0]}" >&2`,
        ],
        { cwd: ROOT, env: cleanEnv() },
      );
      let stdout = '';
      let stderr = '';
      shell.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      shell.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      shell.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });

    expect(run.stdout).toBe('{\n');
    expect(run.stderr).toBe('exit=0\n');
  });
});

describe('credentials, network, region and files', () => {
  it('replay reading live AWS without credentials: exit 2, one line saying how to give credentials', async () => {
    const run = await gatewatch(['replay', EVENT], { env: { AWS_REGION: 'eu-west-1' } });

    expectOneLine(run, /^gatewatch replay: no AWS credentials found\. Set AWS_PROFILE/);
  });

  it('replay --notify without credentials: exit 2, the same line', async () => {
    const run = await gatewatch(
      [
        'replay',
        EVENT,
        '--inventory',
        join(ROOT, 'examples/drift/state-2-after-drift.json'),
        '--notify',
        TOPIC,
      ],
      { env: { AWS_REGION: 'eu-west-1' } },
    );

    expectOneLine(run, /^gatewatch replay: no AWS credentials found/);
  });

  it('config-event without credentials: exit 2, the same line', async () => {
    const run = await gatewatch(['config-event', itemChange, '--rules', 'rest-stage-xray-tracing']);

    expectOneLine(run, /^gatewatch config-event: no AWS credentials found/);
  });

  it('scan and replay against an endpoint that refuses connections: a network problem, not credentials', async () => {
    const env = { ...FAKE_CREDENTIALS, AWS_REGION: 'eu-west-1', AWS_MAX_ATTEMPTS: '1' };

    const scan = await gatewatch(['scan', '--region', 'eu-west-1', '--endpoint-url', endpoint], { env });
    const replay = await gatewatch(['replay', EVENT, '--endpoint-url', endpoint], { env });

    expectOneLine(
      scan,
      /^gatewatch scan: cannot reach AWS at 127\.0\.0\.1:\d+ \(ECONNREFUSED\): check the network/,
    );
    expectOneLine(replay, /^gatewatch replay: cannot reach AWS at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect(`${scan.stderr}${replay.stderr}`).not.toContain('credentials');
    expect(replay.stdout).not.toContain('could-not-evaluate');
  });

  it('config-event --region mars-1: refused before any call', async () => {
    const run = await gatewatch(['config-event', itemChange, '--region', 'mars-1']);

    expectOneLine(
      run,
      /^gatewatch config-event: --region: "mars-1" is not an AWS region; known regions: .*eu-west-1/,
    );
  });

  it('conformance-pack --output to a folder, or into a missing folder: exit 2, what is wrong with the path', async () => {
    const folder = await gatewatch(['conformance-pack', '--output', dir]);
    const missing = await gatewatch([
      'conformance-pack',
      '--output',
      join(dir, 'no-such-folder', 'pack.yaml'),
    ]);

    expectOneLine(folder, /^gatewatch conformance-pack: cannot write .*: it is a folder; name a file\.$/);
    expectOneLine(
      missing,
      /^gatewatch conformance-pack: cannot write .*pack\.yaml: its folder does not exist\.$/,
    );
  });
});

describe('usage', () => {
  it('an unknown flag: one line, a suggestion, balanced quotes', async () => {
    const run = await gatewatch(['scan', '--regoin', 'eu-west-1']);

    expectOneLine(
      run,
      /^gatewatch scan: unknown option --regoin \(did you mean --region\?\); `gatewatch scan --help` lists the options\.$/,
    );
  });

  it('--max-rate -1: one line naming the flag and what it takes', async () => {
    const run = await gatewatch(['scan', '--inventory', DEMO, '--max-rate', '-1']);

    expectOneLine(run, /^gatewatch scan: --max-rate: expected a number above 0 and at most 10, got "-1"\.$/);
  });

  it('--rules "" is refused; an unknown rule id is refused naming the valid ones', async () => {
    const empty = await gatewatch(['scan', '--inventory', DEMO, '--rules', '']);
    const unknown = await gatewatch(['scan', '--inventory', DEMO, '--rules', 'rest-stage-waf']);

    expectOneLine(empty, /^gatewatch scan: --rules: expected rule ids, got an empty value\.$/);
    expectOneLine(unknown, /unknown rule "rest-stage-waf"; known rules: rest-stage-waf-attached, /);
  });

  it('a flag that cannot repeat is refused when repeated; --rules accumulates', async () => {
    const twice = await gatewatch(['scan', '--inventory', DEMO, '--inventory', DEMO]);
    const rules = await gatewatch([
      'scan',
      '--inventory',
      DEMO,
      '--format',
      'json',
      '--all',
      '--rules',
      'rest-stage-waf-attached',
      '--rules',
      'rest-stage-xray-tracing,v2-route-authorization',
    ]);

    expectOneLine(twice, /^gatewatch scan: --inventory is given twice .*; give it once\.$/);
    expect(rules.code).toBe(0);
    const judged = new Set(
      (JSON.parse(rules.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId),
    );
    expect([...judged].sort()).toEqual([
      'rest-stage-waf-attached',
      'rest-stage-xray-tracing',
      'v2-route-authorization',
    ]);
  });
});
