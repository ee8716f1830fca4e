// The Slack webhook function's entry point: SNS invokes it with each message of the gatewatch
// topic. Environment: SLACK_WEBHOOK_SECRET_ARN, the Secrets Manager secret holding the URL;
// BASELINE_TABLE, where a message posted is remembered (Powertools idempotency, per SNS message
// id: SNS delivers at least once, and Lambda retries an asynchronous invocation that failed).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context, SNSEvent } from 'aws-lambda';
import { idempotencyPersistence, type OnceBy, onceBy } from '../aws/stores/idempotency';
import { LambdaLogger } from '../observe/log';
import { EmfMetrics, serviceNames } from '../observe/metrics';
import { redactError } from '../observe/redact';
import { handleWebhookEvent, SlackWebhookPoster } from '../pipeline/notify/slack-webhook';

const log = new LambdaLogger(serviceNames.slackWebhook);
const metrics = new EmfMetrics(serviceNames.slackWebhook);

let poster: SlackWebhookPoster | undefined;
function defaultPoster(): SlackWebhookPoster {
  const secretArn = process.env.SLACK_WEBHOOK_SECRET_ARN;
  if (!secretArn)
    throw new Error('SLACK_WEBHOOK_SECRET_ARN is not set: the function has no webhook to post to.');
  poster ??= new SlackWebhookPoster({
    secretArn,
    secrets: new SecretsManagerClient({ maxAttempts: 5 }),
    fetch: (input, init) => fetch(input, init),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    log,
  });
  return poster;
}

let once: OnceBy | undefined;
function posted(): OnceBy {
  const table = process.env.BASELINE_TABLE;
  if (!table) throw new Error('BASELINE_TABLE is not set: the function cannot remember what it posted.');
  once ??= onceBy(idempotencyPersistence(new DynamoDBClient({}), table, 'slack-webhook'), 'slack-webhook');
  return once;
}

export async function handler(event: SNSEvent, context?: Context): Promise<{ posted: number }> {
  log.addContext(context);
  try {
    const postOnce = posted();
    return await handleWebhookEvent(event, {
      poster: defaultPoster(),
      metrics,
      log,
      perMessage: (messageId, work) =>
        log.handling('messageId', messageId, () =>
          postOnce(messageId, work, context).catch((error: unknown) => {
            // Lambda logs what is thrown: the table's error may echo a request.
            throw redactError(error);
          }),
        ),
    });
  } finally {
    metrics.publish();
  }
}
