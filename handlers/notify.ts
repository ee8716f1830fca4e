// The notifier function: the notifications queue delivers a batch of messages (each a
// verdictMessage from the remediator) gathered over a short batching window, so a burst from
// one deployment arrives together and is grouped. This adapter parses each message and hands
// every verdict to the Notifier. A message whose notification could not be published, or that
// does not parse, is reported as a batch item failure: SQS delivers it again, and after the
// queue's maximum receives moves it to the dead-letter queue — never dropped, never blocking
// the rest of the batch.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { handleSqsBatch } from '../events/sqs';
import type { Verdict } from '../model/verdict';
import { parseVerdictMessage } from '../model/verdict-message';
import { LambdaLogger, type Logger } from '../observe/log';
import { EmfMetrics, type Metrics, metricNames, serviceNames } from '../observe/metrics';
import { redactError } from '../observe/redact';
import { DynamoLedger } from '../pipeline/notify/dedup';
import { type Channel, ChatbotTopicChannel, Notifier, SnsTopicChannel } from '../pipeline/notify/notifier';
import { ValidationError } from '../rules/core/validation';
import { loadSettings } from '../settings/load';

const log = new LambdaLogger(serviceNames.notify);
const metrics = new EmfMetrics(serviceNames.notify);

let notifier: Notifier | undefined;
function defaultNotifier(): Notifier {
  if (notifier) return notifier;
  const topicArn = process.env.TOPIC_ARN;
  const table = process.env.BASELINE_TABLE;
  if (!topicArn || !table) {
    throw new Error(
      'TOPIC_ARN and BASELINE_TABLE must be set: the notifier has nowhere to publish or remember.',
    );
  }
  const sns = new SNSClient({ maxAttempts: 5 });
  const channels: Channel[] = [new SnsTopicChannel(sns, topicArn)];
  if (process.env.CHAT_TOPIC_ARN) channels.push(new ChatbotTopicChannel(sns, process.env.CHAT_TOPIC_ARN));
  const { notifications } = loadSettings();
  notifier = new Notifier({
    channels,
    ledger: new DynamoLedger(new DynamoDBClient({}), table),
    dedupWindowMinutes: notifications.dedupWindowMinutes,
    runbookBaseUrl: notifications.runbookBaseUrl,
    metrics,
    log,
    now: () => new Date(),
  });
  return notifier;
}

export interface NotifyHandlerDependencies {
  readonly notifier: Pick<Notifier, 'deliver'>;
  readonly metrics: Metrics;
  readonly log: Logger;
}

/** The adapter, with its dependencies given (tests). */
export async function handleNotifications(
  event: unknown,
  deps: NotifyHandlerDependencies,
  context?: Context,
): Promise<SQSBatchResponse> {
  // Each message is parsed on its own (one that does not parse fails alone); the verdicts of all
  // are delivered together, so a burst is grouped.
  const items: { verdict: Verdict; source: string }[] = [];
  let started = false;
  let parsed: SQSBatchResponse;
  try {
    parsed = await handleSqsBatch(
      event,
      context,
      () => {
        started = true;
        return async (record) => {
          try {
            for (const verdict of parseVerdictMessage(
              record.body,
              `Notification message ${record.messageId}`,
            )) {
              items.push({ verdict, source: record.messageId });
            }
          } catch (error) {
            if (error instanceof ValidationError || error instanceof SyntaxError) {
              deps.metrics.add(metricNames.inputRejected, 1, 'Count', { input: 'verdict message' });
              deps.log.log('error', 'message rejected: it does not parse', {
                messageId: record.messageId,
                problem: error.message,
              });
            }
            throw error;
          }
        };
      },
      'The notifier event (SQS)',
    );
  } catch (error) {
    if (started) throw error;
    deps.metrics.add(metricNames.inputRejected, 1, 'Count', { input: 'SQS event' });
    deps.log.log('error', 'event rejected: not an SQS event', { problem: (error as Error).message });
    throw error;
  }

  // Lambda logs what is thrown (the ledger failing, say): an AWS error may echo a request.
  const delivery = await deps.notifier.deliver(items).catch((error: unknown) => {
    throw redactError(error);
  });
  const failed = new Set([
    ...parsed.batchItemFailures.map((failure) => failure.itemIdentifier),
    ...delivery.failedSources,
  ]);
  deps.log.log('info', 'batch handled', {
    messages: (event as SQSEvent).Records.length,
    verdicts: items.length,
    sent: delivery.sent.length,
    suppressed: delivery.suppressed,
    failed: failed.size,
  });
  return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
}

export async function handler(event: SQSEvent, context?: Context): Promise<SQSBatchResponse> {
  log.addContext(context);
  try {
    return await handleNotifications(event, { notifier: defaultNotifier(), metrics, log }, context);
  } finally {
    metrics.publish();
  }
}
