// The notifier function's adapter: an SQS batch of verdict messages becomes notifications; a
// message that does not parse, or whose notification could not be published, is reported as a
// batch item failure so SQS delivers it again (and dead-letters it after the queue's limit).
import { PublishCommand, SNSClient, ThrottledException } from '@aws-sdk/client-sns';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import 'aws-sdk-client-mock-jest';
import { handleNotifications } from '../../handlers/notify';
import { verdictMessage } from '../../model/verdict-message';
import { silentLogger } from '../../observe/log';
import { MemoryMetrics } from '../../observe/metrics';
import { MemoryLedger } from '../../pipeline/notify/dedup';
import { Notifier, SnsTopicChannel } from '../../pipeline/notify/notifier';
import { NOW, type Recorded, recordedVerdicts } from '../support/pipeline/notify-verdicts';
import { mockClient } from '../support/sdk';

const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:gatewatch-notifications';
const metadata = { httpStatusCode: 200, requestId: 'b1f7c3a2-0d4e-5f6a-8b9c-0d1e2f3a4b5c', attempts: 1 };
const sns = mockClient(SNSClient);

let recorded: Recorded;
beforeAll(async () => {
  recorded = await recordedVerdicts();
});
beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: '9f3c1e2d-0000-4000-8000-000000000001', $metadata: metadata });
});

/** As Lambda's SQS event source delivers a message. */
const record = (messageId: string, body: string): SQSRecord => ({
  messageId,
  receiptHandle: `AQEB${messageId}`,
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '1795771890000',
    SenderId: 'AROAEXAMPLEREMEDIATOR:gatewatch-remediate',
    ApproximateFirstReceiveTimestamp: '1795771890100',
  },
  messageAttributes: {},
  md5OfBody: '0cc175b9c0f1b6a831c399e269772661',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:gatewatch-notifications',
  awsRegion: 'eu-west-1',
});

function dependencies() {
  const metrics = new MemoryMetrics();
  const notifier = new Notifier({
    channels: [new SnsTopicChannel(new SNSClient({ region: 'eu-west-1' }), TOPIC)],
    ledger: new MemoryLedger(),
    dedupWindowMinutes: 60,
    runbookBaseUrl: 'https://github.com/gatewatch/gatewatch/blob/main/',
    metrics,
    log: silentLogger,
    now: () => NOW,
  });
  return { notifier, metrics, log: silentLogger };
}

it('groups the verdicts of a whole batch: two messages about one stage make one notification', async () => {
  const tracingOff = { ...recorded.loggingOff, ruleId: 'rest-stage-xray-tracing', severity: 'LOW' as const };
  const event: SQSEvent = {
    Records: [
      record('m-1', verdictMessage([recorded.loggingOff])),
      record('m-2', verdictMessage([tracingOff])),
    ],
  };

  const response = await handleNotifications(event, dependencies());

  expect(response).toEqual({ batchItemFailures: [] });
  expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  expect(sns).toHaveReceivedCommandWith(PublishCommand, {
    MessageAttributes: expect.objectContaining({
      ruleId: {
        DataType: 'String.Array',
        StringValue: '["rest-stage-execution-logging","rest-stage-xray-tracing"]',
      },
    }),
  });
});

it('reports a message that does not parse, and still notifies the rest of the batch', async () => {
  const deps = dependencies();
  const event: SQSEvent = {
    Records: [
      record('m-good', verdictMessage([recorded.wafDetached])),
      record('m-bad', '{"version":1,"verdicts":[{"ruleId":"x"}]}'),
      record('m-not-json', 'not json'),
    ],
  };

  const response = await handleNotifications(event, deps);

  expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-bad' }, { itemIdentifier: 'm-not-json' }]);
  expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  expect(deps.metrics.points.filter((point) => point.name === 'InputRejected')).toHaveLength(2);
});

it('reports the messages whose notification could not be published', async () => {
  sns.on(PublishCommand).callsFake(async (input: { Subject?: string }) => {
    if (input.Subject?.includes('payments-api')) {
      throw new ThrottledException({
        message: 'Rate exceeded',
        $metadata: { ...metadata, httpStatusCode: 400 },
      });
    }
    return { MessageId: 'published', $metadata: metadata };
  });
  const event: SQSEvent = {
    Records: [
      record('m-1', verdictMessage([recorded.wafDetached])),
      record('m-2', verdictMessage([recorded.loggingOff])),
    ],
  };

  const response = await handleNotifications(event, dependencies());

  expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
});

it('refuses an event that is not from SQS', async () => {
  await expect(handleNotifications({ detail: {} }, dependencies())).rejects.toThrow(
    /The notifier event \(SQS\) is invalid: Records/,
  );
});
