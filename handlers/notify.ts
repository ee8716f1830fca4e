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
import { IdempotentUnits, idempotencyPersistence } from '../aws/stores/idempotency';
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
let messages: IdempotentUnits | undefined;
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
  const dynamo = new DynamoDBClient({});
  messages = new IdempotentUnits(idempotencyPersistence(dynamo, table, 'notify'), 'notify');
  const channels: Channel[] = [new SnsTopicChannel(sns, topicArn)];
  if (process.env.CHAT_TOPIC_ARN) channels.push(new ChatbotTopicChannel(sns, process.env.CHAT_TOPIC_ARN));
  const { notifications } = loadSettings();
  notifier = new Notifier({
    channels,
    ledger: new DynamoLedger(dynamo, table),
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
  /**
   * Once per message (Powertools idempotency records): a message is claimed once it parses and
   * completed once its group is published, so a redelivery of a message published is not
   * published again. The ledger's window is wider: the same news, whatever message carries it,
   * is announced once within it.
   */
  readonly messages?: Pick<IdempotentUnits, 'claim' | 'complete' | 'release'>;
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
  const claimed: string[] = [];
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
            const verdicts = parseVerdictMessage(record.body, `Notification message ${record.messageId}`);
            const claim = deps.messages ? await deps.messages.claim(record.messageId) : 'claimed';
            if (claim === 'completed') {
              deps.log.log('info', 'message already published', { messageId: record.messageId });
              return;
            }
            // Another delivery of it is being published: SQS delivers this one again later.
            if (claim === 'in-progress') throw new Error(`message ${record.messageId} is being published`);
            claimed.push(record.messageId);
            for (const verdict of verdicts) items.push({ verdict, source: record.messageId });
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
  const delivery = await deps.notifier.deliver(items).catch(async (error: unknown) => {
    // The claims given back, so SQS's retry publishes at once. The delivery's error is the one
    // thrown: a claim the table does not give back expires (its hold), and is retried then.
    await settleClaims(deps, claimed, new Set(claimed)).catch(() => undefined);
    throw redactError(error);
  });
  const failed = new Set([
    ...parsed.batchItemFailures.map((failure) => failure.itemIdentifier),
    ...delivery.failedSources,
  ]);
  await settleClaims(deps, claimed, failed).catch((error: unknown) => {
    throw redactError(error);
  });
  deps.log.log('info', 'batch handled', {
    messages: (event as SQSEvent).Records.length,
    verdicts: items.length,
    sent: delivery.sent.length,
    suppressed: delivery.suppressed,
    failed: failed.size,
  });
  return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
}

/** Completes the claims of the messages published, and gives back those of the messages that failed (SQS retries them). */
async function settleClaims(
  deps: NotifyHandlerDependencies,
  claimed: readonly string[],
  failed: ReadonlySet<string>,
): Promise<void> {
  if (!deps.messages) return;
  for (const messageId of claimed) {
    if (failed.has(messageId)) await deps.messages.release(messageId);
    else await deps.messages.complete(messageId);
  }
}

export async function handler(event: SQSEvent, context?: Context): Promise<SQSBatchResponse> {
  log.addContext(context);
  try {
    const notifier = defaultNotifier();
    return await handleNotifications(
      event,
      { notifier, metrics, log, ...(messages ? { messages } : {}) },
      context,
    );
  } finally {
    metrics.publish();
  }
}
