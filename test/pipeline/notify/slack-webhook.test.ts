// The Slack webhook function: the URL comes from Secrets Manager (read once, read again when Slack
// says it is no longer good) and never appears in a log line or an error; 429 waits as long as
// Retry-After says, 5xx backs off; after the last attempt the error is thrown so Lambda retries
// and then dead-letters the message. fetch is stubbed: no request leaves the test.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SNSEvent } from 'aws-lambda';
import 'aws-sdk-client-mock-jest';
import type { Level } from '../../../observe/log';
import { MemoryMetrics } from '../../../observe/metrics';
import { MemoryLedger } from '../../../pipeline/notify/dedup';
import type { NotificationDocument } from '../../../pipeline/notify/document-schema';
import { Notifier } from '../../../pipeline/notify/notifier';
import { renderBlockKit, renderSns } from '../../../pipeline/notify/render';
import {
  handleWebhookEvent,
  retryAfter,
  SlackWebhookPoster,
  WebhookError,
} from '../../../pipeline/notify/slack-webhook';
import { CapturingChannel, NOW, recordedVerdicts } from '../../support/pipeline/notify-verdicts';
import { mockClient } from '../../support/sdk';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:gatewatch/slack-webhook-AbCdEf';
const WEBHOOK = 'https://hooks.slack.com/services/T0EXAMPLE/B0EXAMPLE/abcdefghijklmnopqrstuvwx';
const ROTATED = 'https://hooks.slack.com/services/T0EXAMPLE/B0EXAMPLE/zyxwvutsrqponmlkjihgfedc';
const metadata = { httpStatusCode: 200, requestId: 'c2a1b3d4-0000-4000-8000-000000000001', attempts: 1 };

const secrets = mockClient(SecretsManagerClient);
const secretValue = (SecretString: string) => ({
  ARN: SECRET_ARN,
  Name: 'gatewatch/slack-webhook',
  VersionId: 'EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE',
  SecretString,
  VersionStages: ['AWSCURRENT'],
  CreatedDate: new Date('2026-11-01T10:00:00Z'),
  $metadata: metadata,
});

let document: NotificationDocument;
beforeAll(async () => {
  const recorded = await recordedVerdicts();
  const channel = new CapturingChannel();
  await new Notifier({
    channels: [channel],
    ledger: new MemoryLedger(),
    dedupWindowMinutes: 60,
    runbookBaseUrl: 'https://github.com/gatewatch/gatewatch/blob/main/',
    metrics: new MemoryMetrics(),
    log: { log: () => {} },
    now: () => NOW,
  }).handle([recorded.wafDetached]);
  document = channel.documents[0] as NotificationDocument;
});
beforeEach(() => {
  secrets.reset();
  secrets.on(GetSecretValueCommand).resolves(secretValue(WEBHOOK));
});

const slackAnswer = (
  status: number,
  body = status === 200 ? 'ok' : 'error',
  headers: Record<string, string> = {},
) => new Response(body, { status, headers: { 'content-type': 'text/plain', ...headers } });

function setup(answers: (Response | Error)[]) {
  const lines: { level: Level; message: string; fields: unknown }[] = [];
  const slept: number[] = [];
  const fetch = jest.fn(async (_url: string | URL | Request, _init?: RequestInit) => {
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  });
  const poster = new SlackWebhookPoster({
    secretArn: SECRET_ARN,
    secrets: new SecretsManagerClient({ region: 'eu-west-1' }),
    fetch: fetch as unknown as typeof globalThis.fetch,
    sleep: async (ms) => {
      slept.push(ms);
    },
    log: { log: (level, message, fields) => lines.push({ level, message, fields }) },
  });
  return { poster, fetch, slept, lines };
}

/** As SNS invokes a subscribed function. */
const snsEvent = (message: string): SNSEvent => ({
  Records: [
    {
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn:
        'arn:aws:sns:eu-west-1:111122223333:gatewatch-notifications:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55',
      Sns: {
        Type: 'Notification',
        MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
        TopicArn: 'arn:aws:sns:eu-west-1:111122223333:gatewatch-notifications',
        Subject: renderSns(document).subject,
        Message: message,
        Timestamp: '2026-11-23T09:31:31.000Z',
        SignatureVersion: '1',
        Signature: 'EXAMPLE',
        SigningCertUrl:
          'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
        UnsubscribeUrl: 'https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe',
        MessageAttributes: {},
      },
    },
  ],
});

describe('posting', () => {
  it('turns the SNS message into Block Kit and posts it to the URL from the secret', async () => {
    const { poster, fetch } = setup([slackAnswer(200)]);
    const metrics = new MemoryMetrics();

    const result = await handleWebhookEvent(snsEvent(renderSns(document).message), {
      poster,
      metrics,
      log: { log: () => {} },
    });

    expect(result).toEqual({ posted: 1 });
    expect(fetch).toHaveBeenCalledWith(WEBHOOK, expect.objectContaining({ method: 'POST' }));
    expect(JSON.parse(fetch.mock.calls[0]?.[1]?.body as string)).toEqual(renderBlockKit(document));
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: SECRET_ARN });
    expect(metrics.points).toContainEqual(
      expect.objectContaining({ name: 'NotificationsSent', dimensions: { channel: 'slack-webhook' } }),
    );
  });

  it('reads the secret once per execution environment', async () => {
    const { poster } = setup([slackAnswer(200), slackAnswer(200)]);

    await poster.post(renderBlockKit(document));
    await poster.post(renderBlockKit(document));

    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  it('accepts a secret that holds JSON with a url field', async () => {
    secrets.on(GetSecretValueCommand).resolves(secretValue(JSON.stringify({ url: WEBHOOK })));
    const { poster, fetch } = setup([slackAnswer(200)]);

    await poster.post(renderBlockKit(document));

    expect(fetch.mock.calls[0]?.[0]).toBe(WEBHOOK);
  });

  it('refuses a secret that is not an https URL, without repeating the secret', async () => {
    secrets.on(GetSecretValueCommand).resolves(secretValue('http://hooks.example.com/not-tls-s3cr3t'));
    const { poster } = setup([]);

    const error = await poster.post(renderBlockKit(document)).catch((thrown: Error) => thrown);

    expect(error).toBeInstanceOf(WebhookError);
    expect((error as Error).message).toContain(SECRET_ARN);
    expect((error as Error).message).not.toContain('s3cr3t');
  });
});

describe('retries', () => {
  it('waits as long as Retry-After says on 429, then posts', async () => {
    const { poster, slept } = setup([
      slackAnswer(429, 'rate_limited', { 'retry-after': '7' }),
      slackAnswer(200),
    ]);

    const { attempts } = await poster.post(renderBlockKit(document));

    expect(attempts).toBe(2);
    expect(slept).toEqual([7000]);
  });

  it('backs off on 5xx and on network errors', async () => {
    const { poster, slept } = setup([
      slackAnswer(503, 'service_unavailable'),
      new TypeError('fetch failed'),
      slackAnswer(500),
      slackAnswer(200),
    ]);

    await poster.post(renderBlockKit(document));

    expect(slept).toEqual([1000, 2000, 4000]);
  });

  it('gives up after the last attempt with an error that names no URL, and logs no URL', async () => {
    const { poster, fetch, lines } = setup([
      slackAnswer(503),
      new TypeError(`fetch failed for ${WEBHOOK}`),
      slackAnswer(503),
      slackAnswer(503, `upstream ${WEBHOOK} down`),
    ]);

    const error = await poster.post(renderBlockKit(document)).catch((thrown: Error) => thrown);

    expect(fetch).toHaveBeenCalledTimes(4);
    expect(error).toBeInstanceOf(WebhookError);
    expect((error as Error).message).toMatch(/Slack answered 503/);
    expect((error as Error).message).not.toContain('hooks.slack.com');
    expect(JSON.stringify(lines)).not.toContain('hooks.slack.com');
    expect(JSON.stringify(lines)).toContain('[webhook URL]');
  });

  it('does not retry what Slack will never take (400 invalid_payload)', async () => {
    const { poster, fetch } = setup([slackAnswer(400, 'invalid_payload')]);

    await expect(poster.post(renderBlockKit(document))).rejects.toThrow(
      /Slack answered 400 \(invalid_payload\)/,
    );
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('reads the secret again when Slack says the URL is no longer good (rotated)', async () => {
    const { poster, fetch } = setup([slackAnswer(404, 'no_service'), slackAnswer(200)]);
    secrets.on(GetSecretValueCommand).resolvesOnce(secretValue(WEBHOOK)).resolves(secretValue(ROTATED));

    await poster.post(renderBlockKit(document));

    expect(fetch.mock.calls.map((call) => call[0])).toEqual([WEBHOOK, ROTATED]);
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('throws from the handler, so Lambda retries and then dead-letters the message', async () => {
    const { poster } = setup([slackAnswer(500), slackAnswer(500), slackAnswer(500), slackAnswer(500)]);
    const metrics = new MemoryMetrics();

    await expect(
      handleWebhookEvent(snsEvent(renderSns(document).message), { poster, metrics, log: { log: () => {} } }),
    ).rejects.toThrow(WebhookError);
    expect(metrics.points).toContainEqual(
      expect.objectContaining({ name: 'NotificationsFailed', dimensions: { channel: 'slack-webhook' } }),
    );
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfter('30')).toBe(30_000);
    expect(retryAfter('Mon, 23 Nov 2026 09:31:40 GMT', Date.parse('2026-11-23T09:31:30Z'))).toBe(10_000);
    expect(retryAfter(null)).toBe(1000);
  });
});

it('rejects a message on the topic that is not a gatewatch notification', async () => {
  const { poster, fetch } = setup([]);
  const metrics = new MemoryMetrics();

  await expect(
    handleWebhookEvent(snsEvent('hello from a test publish'), { poster, metrics, log: { log: () => {} } }),
  ).rejects.toThrow(/no gatewatch notification document/);
  expect(fetch).not.toHaveBeenCalled();
  expect(metrics.total('InputRejected')).toBe(1);
});
