// The remediator function as SQS invokes it, with the real SQS client: each verdict message is
// remediated (here: notify mode, so nothing is read or changed) and sent on, annotated, to the
// notifications queue; a message that does not parse is reported back alone, to be retried and
// then dead-lettered. Each message is handled once (Powertools idempotency records in the
// in-memory baseline table): a redelivery of one handled is not remediated or sent on again.
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import 'aws-sdk-client-mock-jest';
import { messageBodies, QueueSink } from '../../aws/verdict-queue';
import { handler } from '../../handlers/remediate';
import { parseVerdictMessage, verdictMessage } from '../../model/verdict-message';
import { InMemoryTable } from '../support/in-process-aws';
import { verdictOn } from '../support/pipeline/remediation';
import { mockClient } from '../support/sdk';
import { restStage } from '../support/snapshots';

const sqs = mockClient(SQSClient);
const NOTIFICATIONS = 'https://sqs.eu-west-1.amazonaws.com/123456789012/Gatewatch-Notifications';
const $metadata = { httpStatusCode: 200, requestId: 'a1b2', attempts: 1, totalRetryDelay: 0 };

const verdict = verdictOn('rest-stage-xray-tracing', restStage({ tracingEnabled: false }));
const sqsEvent = (...bodies: string[]) => ({
  Records: bodies.map((body, index) => ({
    messageId: `m${index + 1}`,
    receiptHandle: `AQEB${index}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1795943710000',
      SenderId: 'AROAEXAMPLE:Gatewatch-DriftHandler',
      ApproximateFirstReceiveTimestamp: '1795943710100',
    },
    messageAttributes: {},
    md5OfBody: 'd41d8cd98f00b204e9800998ecf8427e',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:Gatewatch-Verdicts',
    awsRegion: 'eu-west-1',
  })),
});

describe('remediator handler', () => {
  // Read at the first invocation: set before it. Its log lines are not this test's business.
  beforeAll(() => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    process.env.BASELINE_TABLE = 'gatewatch-baseline';
    process.env.NOTIFICATIONS_QUEUE_URL = NOTIFICATIONS;
    process.env.GATEWATCH_SETTINGS = JSON.stringify({ defaultMode: 'notify' });
  });
  afterAll(() => {
    jest.restoreAllMocks();
    delete process.env.BASELINE_TABLE;
    delete process.env.NOTIFICATIONS_QUEUE_URL;
    delete process.env.GATEWATCH_SETTINGS;
  });
  let table: InMemoryTable;
  beforeEach(() => {
    table = new InMemoryTable();
    sqs.reset();
    sqs.on(SendMessageCommand).resolves({ MessageId: 'n1', MD5OfMessageBody: 'x', $metadata });
  });
  afterEach(() => table.restore());

  it('sends each verdict on to the notifications queue with what remediation did', async () => {
    // Act
    const response = await handler(sqsEvent(verdictMessage([verdict])));
    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
    const [call] = sqs.commandCalls(SendMessageCommand);
    expect(call?.args[0].input.QueueUrl).toBe(NOTIFICATIONS);
    const [sent] = parseVerdictMessage(call?.args[0].input.MessageBody as string, 'the message');
    expect(sent?.remediation).toEqual({
      action: 'skipped',
      calls: [],
      result: 'Remediation of rest-stage-xray-tracing is not switched on (defaultMode is notify).',
    });
    expect(table.completed('remediate', 'm1')).toBe(true);
  });

  it('does not remediate or send on again a redelivery of a message it handled', async () => {
    await handler(sqsEvent(verdictMessage([verdict])));
    const response = await handler(sqsEvent(verdictMessage([verdict])));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
  });

  it('reports a message that does not parse alone, so SQS retries it and then dead-letters it', async () => {
    const response = await handler(sqsEvent('{"version":2}', verdictMessage([verdict])));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
    // The message that failed leaves no record behind, so SQS's retry runs it again (and then
    // dead-letters it); the other is remembered as handled.
    expect(table.record('remediate', 'm1')).toBeUndefined();
    expect(table.completed('remediate', 'm2')).toBe(true);
    const retried = await handler(sqsEvent('{"version":2}'));
    expect(retried).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
  });
});

describe('QueueSink', () => {
  beforeEach(() => {
    sqs.reset();
    sqs.on(SendMessageCommand).resolves({ MessageId: 'v1', $metadata });
  });

  it('sends the verdicts of one event as one verdict message, prepared first', async () => {
    const sink = new QueueSink(new SQSClient({ region: 'eu-west-1' }), NOTIFICATIONS, async (verdicts) =>
      verdicts.map((v) => ({ ...v, reason: `${v.reason} (prepared)` })),
    );
    await sink.handle([verdict, verdict]);
    const bodies = sqs
      .commandCalls(SendMessageCommand)
      .map((call) => call.args[0].input.MessageBody as string);
    expect(bodies).toHaveLength(1);
    expect(parseVerdictMessage(bodies[0] as string, 'the message').map((v) => v.reason)).toEqual([
      `${verdict.reason} (prepared)`,
      `${verdict.reason} (prepared)`,
    ]);
  });

  it('sends nothing for no news, and splits what one message cannot hold', async () => {
    await new QueueSink(new SQSClient({ region: 'eu-west-1' }), NOTIFICATIONS).handle([]);
    expect(sqs).not.toHaveReceivedAnyCommand();
    const one = Buffer.byteLength(verdictMessage([verdict]));
    expect(messageBodies([verdict, verdict, verdict], one + 10)).toHaveLength(3);
    expect(() => messageBodies([verdict], one - 1)).toThrow(/more than an SQS message holds/);
  });
});
