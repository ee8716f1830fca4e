// No webhook URL, token or credential leaves gatewatch: not in a log line, a metric, an SQS
// message, an SNS message, a Slack payload or an error it throws. The deployed handlers run
// with fake credentials in their environment, the Slack webhook URL in a (mocked) Secrets
// Manager secret, CloudTrail events whose userIdentity carries access key ids, a stage variable
// holding a password, and failing calls whose error messages echo the URL and the credentials
// (as an IncompleteSignature error echoes the request's Credential, or a proxy error its URL).
// Everything they write or send is captured and searched for every secret.
import type { SNSEvent } from 'aws-lambda';
import { faultKinds, type ServiceName, sdkFault } from '../support/aws-faults';
import { answerSecret } from '../support/in-process-aws';
import {
  ACCOUNT,
  allEvents,
  captureOutput,
  demoBaseline,
  detailOf,
  FAKE_CREDENTIALS,
  loadHandlers,
  NOTIFICATIONS_QUEUE,
  REGION,
  seeded,
  sqsEvent,
  TOPIC_ARN,
  unpaced,
  VERDICTS_QUEUE,
  World,
  withApiId,
  withEventId,
} from '../support/reliability';

const WEBHOOK = 'https://hooks.slack.com/services/T0GATEWAT/B0GATEWAT/xoxWebhookSecret0123456789';
const ROTATED = 'https://hooks.slack.com/services/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5';
const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:gatewatch/slack-webhook-AbCdEf`;
const STAGE_PASSWORD = 'Pa55w0rd!-in-a-stage-variable';
const STAGE_TOKEN = 'xoxb-123456789012-0987654321-GatewatchStageVar';

unpaced();
process.env.SLACK_WEBHOOK_SECRET_ARN = SECRET_ARN;
const world = new World();
const handlers = loadHandlers();
const slack: typeof import('../../handlers/slack-webhook') = require('../../handlers/slack-webhook');
let secretValue = WEBHOOK;
const secrets = answerSecret(SECRET_ARN, () => secretValue);
afterAll(() => {
  world.restore();
  secrets.restore();
});

/** The access key ids in every event's userIdentity. */
const eventKeys = [
  ...new Set(
    allEvents()
      .map(({ event }) => (detailOf(event).userIdentity as { accessKeyId?: string } | undefined)?.accessKeyId)
      .filter((key): key is string => typeof key === 'string' && key !== ''),
  ),
];

/** Every string that must not appear anywhere, with what it is. */
const SECRETS: Record<string, string> = {
  [FAKE_CREDENTIALS.AWS_ACCESS_KEY_ID]: 'the access key id in the environment',
  [FAKE_CREDENTIALS.AWS_SECRET_ACCESS_KEY]: 'the secret access key in the environment',
  [FAKE_CREDENTIALS.AWS_SESSION_TOKEN]: 'the session token in the environment',
  [WEBHOOK]: 'the Slack webhook URL',
  xoxWebhookSecret0123456789: "the webhook URL's secret part",
  [ROTATED]: 'the rotated Slack webhook URL',
  rotatedWebhookSecret98765: "the rotated URL's secret part",
  [STAGE_PASSWORD]: 'a password in a stage variable',
  [STAGE_TOKEN]: 'a Slack token in a stage variable',
  ...Object.fromEntries(eventKeys.map((key) => [key, "an access key id from an event's userIdentity"])),
};

/** An AWS error echoing what a request carried, as IncompleteSignature and proxy errors do. */
const ECHO = `Authorization=AWS4-HMAC-SHA256 Credential=${FAKE_CREDENTIALS.AWS_ACCESS_KEY_ID}/20261123/${REGION}/apigateway/aws4_request (${eventKeys[0]}) while posting to ${WEBHOOK}`;

interface Sighting {
  readonly secret: string;
  readonly where: string;
  readonly excerpt: string;
}

function sightings(where: string, text: string): Sighting[] {
  return Object.entries(SECRETS).flatMap(([secret, what]) => {
    const at = text.indexOf(secret);
    return at < 0
      ? []
      : [{ secret: what, where, excerpt: text.slice(Math.max(0, at - 80), at + secret.length + 20) }];
  });
}

describe('secrets', () => {
  it('appear in no log line, metric, message, Slack payload or error of any function', async () => {
    // Prepare: a stage whose variables hold credentials; the demo baseline; fetch stubbed.
    const output = captureOutput();
    world.reset(demoBaseline());
    const payments = world.account.restStage('p7m2v8c4rt', 'prod');
    payments.variables = { ...payments.variables, dbPassword: STAGE_PASSWORD, slackToken: STAGE_TOKEN };
    const errors: string[] = [];
    const posts: string[] = [];
    const slackAnswers = [
      () => Promise.reject(new TypeError(`fetch failed: getaddrinfo EAI_AGAIN for ${WEBHOOK}`)),
      () => Promise.resolve(new Response(`upstream proxy refused ${WEBHOOK}`, { status: 502 })),
      () => Promise.resolve(new Response('no_service', { status: 404 })),
      () => Promise.resolve(new Response('ok', { status: 200 })),
    ];
    let answer = 0;
    const fetch = jest.spyOn(global, 'fetch').mockImplementation(async (url, init) => {
      posts.push(`${String(url)} ${String(init?.body ?? '')}`);
      const next = slackAnswers[Math.min(answer, slackAnswers.length - 1)] as () => Promise<Response>;
      answer += 1;
      return next();
    });
    jest.useFakeTimers({
      doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'hrtime', 'performance'],
    });
    const random = seeded(404);
    const failing = (service: ServiceName, operation: string) =>
      random.chance(0.15) ? sdkFault(random.pick(faultKinds), service, operation, ECHO) : undefined;
    const settle = async <T>(promise: Promise<T>): Promise<T | undefined> => {
      let done = false;
      const result = promise.then(
        (value) => {
          done = true;
          return value;
        },
        (error: Error) => {
          done = true;
          errors.push(`${error.name}: ${error.message}\n${error.stack ?? ''}`);
          return undefined;
        },
      );
      while (!done) await jest.advanceTimersByTimeAsync(5_000);
      return result;
    };

    // Act: every event through the drift function, some calls failing and echoing secrets…
    world.setFault((call) => failing(call.service, call.operation));
    for (const [i, { event }] of allEvents().entries()) {
      const id = `5ec7e700-0000-4000-8000-${String(i).padStart(12, '0')}`;
      await settle(handlers.drift(withEventId(i % 2 ? withApiId(event, `s${i}ecretapi`) : event, id)));
      await settle(handlers.drift(withEventId(event, `${id}-again`)));
    }
    // …the remediator and the notifier on what came out (writes failing and echoing too)…
    await settle(handlers.remediate(sqsEvent(VERDICTS_QUEUE, world.queues.on(VERDICTS_QUEUE))));
    await settle(
      handlers.notify(sqsEvent(NOTIFICATIONS_QUEUE, world.queues.on(NOTIFICATIONS_QUEUE)) as never),
    );
    world.setFault(undefined);
    await settle(
      handlers.notify(sqsEvent(NOTIFICATIONS_QUEUE, world.queues.on(NOTIFICATIONS_QUEUE)) as never),
    );
    // …and the Slack webhook function on what was published: a failed request, a 502, a rotated
    // URL (404, the secret read again), then success; then a message Slack never takes.
    const published = world.topics.published;
    const snsEvent = (index: number): SNSEvent => ({
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: `${TOPIC_ARN}:0f1e2d3c-0000-4000-8000-000000000001`,
          Sns: {
            Type: 'Notification',
            MessageId: `0a1b2c3d-0000-4000-8000-00000000000${index}`,
            TopicArn: TOPIC_ARN,
            Subject: published[index]?.Subject ?? '',
            Message: published[index]?.Message ?? '',
            Timestamp: '2026-11-23T09:15:00.000Z',
            SignatureVersion: '1',
            Signature: 'EXAMPLE',
            SigningCertUrl: 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-EXAMPLE.pem',
            UnsubscribeUrl: 'https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe',
            MessageAttributes: {},
          },
        },
      ],
    });
    await settle(slack.handler(snsEvent(0)));
    secretValue = ROTATED;
    answer = 0;
    slackAnswers.splice(3, 1, () =>
      Promise.resolve(new Response(`invalid_token for ${ROTATED}`, { status: 500 })),
    );
    await settle(slack.handler(snsEvent(1)));
    jest.useRealTimers();
    fetch.mockRestore();
    output.restore();

    // Assess: the run did what it should, and nothing anywhere holds a secret.
    expect(published.length).toBeGreaterThan(1);
    expect(posts.length).toBeGreaterThanOrEqual(8);
    expect(errors.some((error) => error.startsWith('WebhookError'))).toBe(true);
    const found = [
      ...sightings('stdout, stderr and console', output.text()),
      ...errors.flatMap((error) => sightings('a thrown error', error)),
      ...world.queues.sent.flatMap((message) =>
        sightings(`an SQS message to ${message.queueUrl}`, message.body),
      ),
      ...published.flatMap((message) => sightings('an SNS message', JSON.stringify(message))),
      // The webhook URL is where Slack payloads go; it must not be in what they say.
      ...posts.flatMap((post) => sightings('a Slack payload', post.slice(post.indexOf(' ') + 1))),
    ];
    expect(found).toEqual([]);
  });

  it('the check finds a secret where there is one', () => {
    // The search above would see a leak: a log line with the webhook URL, as a careless log would write it.
    expect(sightings('a log line', JSON.stringify({ message: 'posting', url: WEBHOOK }))).toEqual([
      expect.objectContaining({ secret: 'the Slack webhook URL' }),
      expect.objectContaining({ secret: "the webhook URL's secret part" }),
    ]);
  });
});
