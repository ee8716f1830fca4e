// The Slack webhook function's entry point: SNS invokes it with each message of the gatewatch
// topic. Environment: SLACK_WEBHOOK_SECRET_ARN, the Secrets Manager secret holding the URL.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context, SNSEvent } from 'aws-lambda';
import { LambdaLogger } from '../observe/log';
import { EmfMetrics, serviceNames } from '../observe/metrics';
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

export async function handler(event: SNSEvent, context?: Context): Promise<{ posted: number }> {
  log.addContext(context);
  try {
    return await handleWebhookEvent(event, { poster: defaultPoster(), metrics, log });
  } finally {
    metrics.publish();
  }
}
