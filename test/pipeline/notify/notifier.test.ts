// The notification step end to end with the real SNS client (aws-sdk-client-mock): what is
// published, what is suppressed as a duplicate within the window, what a resolution links to,
// what a failed publish leaves for the retry, and the metrics the dashboard and alarms read.
import { PublishCommand, SNSClient, ThrottledException } from '@aws-sdk/client-sns';
import 'aws-sdk-client-mock-jest';
import type { Verdict } from '../../../model/verdict';
import { silentLogger } from '../../../observe/log';
import { MemoryMetrics } from '../../../observe/metrics';
import { Deduplicator, ledgerKey, MemoryLedger } from '../../../pipeline/notify/dedup';
import {
  ChatbotTopicChannel,
  NotificationError,
  Notifier,
  SnsTopicChannel,
} from '../../../pipeline/notify/notifier';
import { documentJsonOf } from '../../../pipeline/notify/render';
import {
  another,
  NOW,
  type Recorded,
  recordedVerdicts,
  remediated,
} from '../../support/pipeline/notify-verdicts';
import { mockClient } from '../../support/sdk';

const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:gatewatch-notifications';
const CHAT_TOPIC = 'arn:aws:sns:eu-west-1:111122223333:gatewatch-chat';
const metadata = { httpStatusCode: 200, requestId: 'b1f7c3a2-0d4e-5f6a-8b9c-0d1e2f3a4b5c', attempts: 1 };

const sns = mockClient(SNSClient);
let recorded: Recorded;
beforeAll(async () => {
  recorded = await recordedVerdicts();
});
beforeEach(() => {
  sns.reset();
  let id = 0;
  sns.on(PublishCommand).callsFake(async () => ({
    MessageId: `9f3c1e2d-0000-4000-8000-00000000000${++id}`,
    $metadata: metadata,
  }));
});

function setup(options: { now?: Date; window?: number; chat?: boolean; ledger?: MemoryLedger } = {}) {
  const client = new SNSClient({ region: 'eu-west-1' });
  const metrics = new MemoryMetrics();
  const ledger = options.ledger ?? new MemoryLedger();
  let now = options.now ?? NOW;
  const notifier = new Notifier({
    channels: [
      new SnsTopicChannel(client, TOPIC),
      ...(options.chat ? [new ChatbotTopicChannel(client, CHAT_TOPIC)] : []),
    ],
    ledger,
    dedupWindowMinutes: options.window ?? 60,
    runbookBaseUrl: 'https://wiki.example.com/gatewatch/',
    metrics,
    log: silentLogger,
    now: () => now,
  });
  return {
    notifier,
    metrics,
    ledger,
    later: (minutes: number) => (now = new Date(now.getTime() + minutes * 60_000)),
  };
}

const published = () => sns.commandCalls(PublishCommand).map((call) => call.args[0].input);

describe('publishing', () => {
  it('publishes one message to the topic with the subject, the text and JSON, and the attributes', async () => {
    const { notifier, metrics } = setup();

    await notifier.handle([recorded.wafDetached]);

    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC,
      Subject: '[HIGH] Drift: rest-stage-waf-attached · payments-api prod · 111122223333',
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: 'HIGH' },
        ruleId: { DataType: 'String.Array', StringValue: '["rest-stage-waf-attached"]' },
        status: { DataType: 'String', StringValue: 'NON_COMPLIANT' },
        account: { DataType: 'String', StringValue: '111122223333' },
        eventType: { DataType: 'String', StringValue: 'drift' },
      },
    });
    const message = published()[0]?.Message ?? '';
    expect(message).toContain('https://wiki.example.com/gatewatch/runbooks/rest-stage-waf-attached.md');
    expect(documentJsonOf(message)).toMatchObject({
      version: 1,
      findings: [{ ruleId: 'rest-stage-waf-attached' }],
    });
    expect(metrics.total('NotificationsSent')).toBe(1);
    expect(metrics.points).toContainEqual(
      expect.objectContaining({ name: 'DriftNotRemediated', dimensions: { severity: 'HIGH' } }),
    );
  });

  it("also publishes Chatbot's custom notification to the chat topic when there is one", async () => {
    const { notifier, metrics } = setup({ chat: true });

    await notifier.handle([recorded.loggingOff]);

    const chat = published().find((input) => input.TopicArn === CHAT_TOPIC);
    expect(JSON.parse(chat?.Message ?? '{}')).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: {
        textType: 'client-markdown',
        title: expect.stringContaining('rest-stage-execution-logging'),
      },
    });
    expect(chat?.MessageAttributes?.severity).toEqual({ DataType: 'String', StringValue: 'MEDIUM' });
    expect(
      metrics.points.filter((point) => point.name === 'NotificationsSent').map((point) => point.dimensions),
    ).toEqual([{ channel: 'sns' }, { channel: 'chatbot' }]);
  });

  it('does not count a remediated drift as drift left unremediated', async () => {
    const { notifier, metrics } = setup();

    await notifier.handle([remediated(recorded.wafDetached, 'applied', 'Applied: 1 call made.')]);

    expect(metrics.total('DriftNotRemediated')).toBe(0);
  });

  it('announces nothing for verdicts that are not news', async () => {
    const { notifier } = setup();

    await notifier.handle([another(recorded.loggingOff, { change: 'unchanged' })]);

    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });
});

describe('deduplication', () => {
  it('announces the same rule, resource and state once within the window', async () => {
    const { notifier, metrics, later } = setup();
    await notifier.handle([recorded.loggingOff]);
    later(10);

    await notifier.handle([another(recorded.loggingOff, { eventId: 'the-same-change-seen-again' })]);

    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(metrics.points).toContainEqual(
      expect.objectContaining({
        name: 'NotificationsSuppressed',
        value: 1,
        dimensions: { reason: 'duplicate' },
      }),
    );
  });

  it('announces it again once the window has passed', async () => {
    const { notifier, later } = setup({ window: 30 });
    await notifier.handle([recorded.loggingOff]);
    later(31);

    await notifier.handle([another(recorded.loggingOff, { eventId: 'still-off-half-an-hour-later' })]);

    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
  });

  it('makes one message of an event delivered twice in the same batch', async () => {
    const { notifier } = setup();

    await notifier.handle([recorded.loggingOff, recorded.loggingOff]);

    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(documentJsonOf(published()[0]?.Message ?? '')).toMatchObject({ findings: [expect.anything()] });
  });

  it('announces new facts in the same state: a second method opened on a stage already reported', async () => {
    const { notifier } = setup();
    await notifier.handle([recorded.methodsOpen]);
    const third = another(recorded.methodsOpen, {
      eventId: 'another-method-opened',
      after: {
        source: 'deployment',
        open: ['GET /orders', 'GET /orders/{orderId}', 'DELETE /orders/{orderId}'],
        apiKeyOnly: [],
      },
    });

    await notifier.handle([third]);

    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
  });

  it('never hides the latest state: drift, resolved, drift again within the window make three messages', async () => {
    const { notifier, later } = setup();
    await notifier.handle([recorded.loggingOff]);
    later(5);
    await notifier.handle([recorded.loggingBackOn]);
    later(5);

    await notifier.handle([another(recorded.loggingOff, { eventId: 'turned-off-again' })]);

    expect(published().map((input) => input.MessageAttributes?.eventType?.StringValue)).toEqual([
      'drift',
      'resolved',
      'drift',
    ]);
  });

  it('announces every verdict when the window is 0', async () => {
    const { notifier } = setup({ window: 0 });
    await notifier.handle([recorded.loggingOff]);

    await notifier.handle([another(recorded.loggingOff, { eventId: 'again' })]);

    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
  });

  it('links a resolution to the drift announcement it resolves', async () => {
    const { notifier, later } = setup();
    await notifier.handle([recorded.loggingOff]);
    later(9);

    await notifier.handle([recorded.loggingBackOn]);

    expect(documentJsonOf(published()[1]?.Message ?? '')).toMatchObject({
      eventType: 'resolved',
      findings: [
        {
          resolves: {
            eventId: '3b8e4f10-6d2c-4a7e-b5f9-000000000002',
            eventTime: '2026-11-23T09:14:40Z',
            notifiedAt: '2026-11-23T09:31:30.000Z',
          },
        },
      ],
    });
  });

  it('decides in order within a batch (the Deduplicator alone)', () => {
    const dedup = new Deduplicator(new Map(), 60 * 60_000, NOW);

    const first = dedup.decide(recorded.loggingOff, 'drift');
    const again = dedup.decide(recorded.loggingOff, 'drift');
    const resolved = dedup.decide(recorded.loggingBackOn, 'resolved');

    expect([first.announce, again.announce, resolved.announce]).toEqual([true, false, true]);
    expect(resolved).toMatchObject({ resolves: { eventId: recorded.loggingOff.eventId } });
  });
});

describe('failures', () => {
  it('records nothing when the publish fails, so the retry announces it', async () => {
    // Prepare: SNS throttles the first attempt (after the SDK's own retries).
    const { notifier, ledger } = setup();
    sns
      .on(PublishCommand)
      .rejectsOnce(
        new ThrottledException({ message: 'Rate exceeded', $metadata: { ...metadata, httpStatusCode: 400 } }),
      );

    // Act / Assess
    await expect(notifier.handle([recorded.wafDetached])).rejects.toThrow(NotificationError);
    expect(ledger.entries.has(ledgerKey(recorded.wafDetached))).toBe(false);

    sns.on(PublishCommand).resolves({ MessageId: 'retried', $metadata: metadata });
    await notifier.handle([recorded.wafDetached]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
    expect(ledger.entries.has(ledgerKey(recorded.wafDetached))).toBe(true);
  });

  it('reports which verdicts failed, by their source, and publishes the others', async () => {
    const { notifier, metrics } = setup();
    sns.on(PublishCommand).callsFake(async (input: { Subject?: string }) => {
      if (input.Subject?.includes('payments-api')) {
        throw new ThrottledException({
          message: 'Rate exceeded',
          $metadata: { ...metadata, httpStatusCode: 400 },
        });
      }
      return { MessageId: 'published', $metadata: metadata };
    });

    const delivery = await notifier.deliver([
      { verdict: recorded.wafDetached, source: 'message-1' },
      { verdict: recorded.loggingOff, source: 'message-2' },
    ]);

    expect([...delivery.failedSources]).toEqual(['message-1']);
    expect(delivery.sent.map((sent) => sent.document.scope.name)).toEqual(['backoffice-admin prod']);
    expect(delivery.failures[0]?.message).toContain('Rate exceeded');
    expect(metrics.points).toContainEqual(
      expect.objectContaining({ name: 'NotificationsFailed', dimensions: { channel: 'sns' } }),
    );
  });

  it('publishes within SNS limits however many findings one message carries', async () => {
    const { notifier } = setup();
    const many: Verdict[] = Array.from({ length: 400 }, (_, index) =>
      another(recorded.routeOpen, {
        resourceArn: `arn:aws:apigateway:eu-west-1::/apis/h2t4r6k8m0/routes/r${index}`,
        resource: `route GET /r${index} of HTTP API tracking-http (h2t4r6k8m0)`,
        eventId: `bulk-${index}`,
        userAgent: 'x'.repeat(2000),
      }),
    );

    await notifier.handle(many);

    const [input] = published();
    expect(Buffer.byteLength(input?.Message ?? '')).toBeLessThan(256 * 1024);
    const document = documentJsonOf(input?.Message ?? '') as { findings: unknown[]; omitted: number };
    expect(document.findings.length + document.omitted).toBe(400);
    expect(document.omitted).toBeGreaterThan(0);
  });
});
