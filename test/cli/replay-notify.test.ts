// `gatewatch replay --notify`: the bundled drift events, judged from the bundled inventories,
// published as the deployed notifier would to an SNS topic — here an in-process stand-in for an
// AWS-compatible endpoint that speaks SNS's query protocol (form body in, XML out), so the real
// SNS client, its serialisation and the endpoint override are exercised.

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { documentJsonOf } from '../../pipeline/notify/render';
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
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:gatewatch-test';

let server: Server;
let endpoint: string;
const published: URLSearchParams[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const form = new URLSearchParams(body);
      if (form.get('Action') !== 'Publish') {
        response.writeHead(400, { 'content-type': 'text/xml' }).end('<ErrorResponse/>');
        return;
      }
      published.push(form);
      response
        .writeHead(200, { 'content-type': 'text/xml' })
        .end(
          `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>00000000-0000-4000-8000-00000000000${published.length}</MessageId></PublishResult><ResponseMetadata><RequestId>f187a3c1-b0b5-5a61-9f8f-000000000001</RequestId></ResponseMetadata></PublishResponse>`,
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  delete process.env.AWS_ACCESS_KEY_ID;
  delete process.env.AWS_SECRET_ACCESS_KEY;
});
beforeEach(() => {
  published.length = 0;
});

/** The message attributes of a query-protocol Publish, by name. */
function attributes(form: URLSearchParams): Record<string, string> {
  const found: Record<string, string> = {};
  for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n++) {
    found[form.get(`MessageAttributes.entry.${n}.Name`) as string] = form.get(
      `MessageAttributes.entry.${n}.Value.StringValue`,
    ) as string;
  }
  return found;
}

it('publishes one notification per change of the bundled drift sequence, as the deployed notifier would', async () => {
  // Prepare: the state before the drift, as a scan of the demo estate saves it.
  const dir = mkdtempSync(join(tmpdir(), 'gatewatch-notify-'));
  const baseline = join(dir, 'baseline.json');
  await main(
    [
      'scan',
      '--inventory',
      join(root, 'examples/inventory/demo.json'),
      '--save-baseline',
      baseline,
      '--format',
      'json',
    ],
    capture(),
  );

  // Act
  const out = capture();
  const code = await main(
    ['replay', ...events, ...states, '--baseline', baseline, '--notify', TOPIC, '--endpoint-url', endpoint],
    out,
  );
  rmSync(dir, { recursive: true, force: true });

  // Assess
  expect(code).toBe(0);
  expect(published.map((form) => form.get('Subject'))).toEqual([
    '[HIGH] Drift: rest-stage-waf-attached · payments-api prod · 111122223333',
    '[MEDIUM] Drift: rest-stage-execution-logging · backoffice-admin prod · 111122223333',
    '[MEDIUM] Pending drift: rest-method-authorization · orders-api prod · 111122223333',
    '[HIGH] Drift: rest-method-authorization · orders-api prod · 111122223333',
    '[HIGH] Drift: v2-route-authorization · tracking-http · 111122223333',
  ]);
  for (const form of published) {
    expect(form.get('TopicArn')).toBe(TOPIC);
    expect(attributes(form)).toMatchObject({
      account: '111122223333',
      eventType: 'drift',
      status: 'NON_COMPLIANT',
    });
    expect(documentJsonOf(form.get('Message') ?? '')).toMatchObject({
      schema: 'gatewatch.notification',
      version: 1,
    });
  }
  expect(out.text()).toContain(`5 notifications published to ${TOPIC}.`);
});

it('refuses a topic that is not an SNS topic ARN', async () => {
  const code = await main(
    ['replay', events[0] as string, ...states, '--notify', 'gatewatch-test'],
    capture(),
  );

  expect(code).toBe(2);
  expect(published).toEqual([]);
});

it('announces what the remediator did when --remediate runs before it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatewatch-notify-'));
  const baseline = join(dir, 'baseline.json');
  await main(
    [
      'scan',
      '--inventory',
      join(root, 'examples/inventory/demo.json'),
      '--save-baseline',
      baseline,
      '--format',
      'json',
    ],
    capture(),
  );

  const code = await main(
    [
      'replay',
      ...events,
      ...states,
      '--baseline',
      baseline,
      '--remediate',
      '--notify',
      TOPIC,
      '--endpoint-url',
      endpoint,
    ],
    capture(),
  );
  rmSync(dir, { recursive: true, force: true });

  expect(code).toBe(0);
  const documents = published.map(
    (form) =>
      documentJsonOf(form.get('Message') ?? '') as {
        findings: { remediation: unknown; gatewatchDid: string }[];
      },
  );
  const served = documents
    .flatMap((document) => document.findings)
    .filter((finding) => finding.remediation !== null);
  expect(served.length).toBeGreaterThan(0);
  for (const finding of served) expect(finding.gatewatchDid).not.toBe('Nothing: notification only.');
});
