// Slack without Amazon Q Developer in chat applications: a small function subscribed to the
// topic turns each gatewatch message into Block Kit and posts it to an incoming webhook. The
// webhook URL is a credential (anyone holding it can post to the channel): it lives in Secrets
// Manager, is read once per execution environment, and never appears in a log line, a metric or
// an error message. Slack's 429 (with Retry-After) and 5xx answers are retried a few times;
// after that the error is thrown, so Lambda's own retries and then the dead-letter queue keep
// the message.
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';
import type { Logger } from '../../observe/log';
import { type Metrics, metricNames } from '../../observe/metrics';
import { redactError, redactText } from '../../observe/redact';
import { parseOrThrow } from '../../rules/core/validation';
import { parseNotificationDocument } from './document-schema';
import { documentJsonOf, renderBlockKit, type SlackMessage } from './render';

export interface WebhookPosterOptions {
  readonly secretArn: string;
  readonly secrets: Pick<SecretsManagerClient, 'send'>;
  readonly fetch: typeof fetch;
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: Logger;
  /** Attempts per message, the first included. @default 4 */
  readonly maxAttempts?: number;
  /** The longest wait between attempts, whatever Retry-After says. @default 20 s */
  readonly maxWaitMs?: number;
  /** Each request's time limit. @default 10 s */
  readonly requestTimeoutMs?: number;
}

export class WebhookError extends Error {
  override readonly name = 'WebhookError';
}

/** Statuses worth another attempt: rate limited, or Slack having a bad moment. */
const retryable = (status: number) => status === 429 || status >= 500;
/** Statuses that mean the URL itself is no longer good (revoked, channel archived): read the secret again. */
const staleUrl = (status: number) => status === 403 || status === 404 || status === 410;

export class SlackWebhookPoster {
  private url: string | undefined;
  /** Every URL read, to keep each out of error messages even after a re-read. */
  private readonly seen = new Set<string>();

  constructor(private readonly options: WebhookPosterOptions) {}

  /** Posts one message; throws a WebhookError (with no URL in it) when Slack would not take it. */
  async post(message: SlackMessage): Promise<{ attempts: number }> {
    const { maxAttempts = 4, maxWaitMs = 20_000 } = this.options;
    let rereadSecret = true;
    let lastProblem = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const url = await this.webhookUrl();
      let response: Response;
      try {
        response = await this.options.fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(message),
          signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000),
        });
      } catch (error) {
        lastProblem = `the request failed (${this.clean(error)})`;
        if (attempt < maxAttempts) await this.wait(backoff(attempt, maxWaitMs), attempt, lastProblem);
        continue;
      }
      if (response.ok) return { attempts: attempt };
      const body = this.clean(await response.text().catch(() => ''));
      lastProblem = `Slack answered ${response.status}${body ? ` (${body.slice(0, 200)})` : ''}`;
      if (staleUrl(response.status) && rereadSecret) {
        // The secret may have been rotated since it was read: read it again, once.
        rereadSecret = false;
        this.url = undefined;
        continue;
      }
      if (!retryable(response.status)) break;
      if (attempt < maxAttempts) {
        const wait =
          response.status === 429
            ? retryAfter(response.headers.get('retry-after'))
            : backoff(attempt, maxWaitMs);
        await this.wait(Math.min(wait, maxWaitMs), attempt, lastProblem);
      }
    }
    throw new WebhookError(`The Slack webhook did not take the message: ${lastProblem}.`);
  }

  private async wait(ms: number, attempt: number, problem: string): Promise<void> {
    this.options.log.log('warn', 'slack webhook: retrying', { attempt, waitMs: ms, problem });
    await this.options.sleep(ms);
  }

  private async webhookUrl(): Promise<string> {
    if (this.url) return this.url;
    const { SecretString } = await this.options.secrets.send(
      new GetSecretValueCommand({ SecretId: this.options.secretArn }),
    );
    const url = urlOf(SecretString, this.options.secretArn);
    this.url = url;
    this.seen.add(url);
    return url;
  }

  /** An error's or a body's words, with the webhook URL and anything credential-like taken out. */
  private clean(value: unknown): string {
    const text = value instanceof Error ? `${value.name}: ${value.message}` : String(value);
    const withoutUrl = [...this.seen].reduce((result, url) => result.split(url).join('[webhook URL]'), text);
    return redactText(withoutUrl).replace(/\s+/g, ' ').trim();
  }
}

/** The secret holds the URL itself, or JSON with a `url` / `webhookUrl` / `webhook_url` field. */
function urlOf(secret: string | undefined, secretArn: string): string {
  let candidate = secret?.trim() ?? '';
  if (candidate.startsWith('{')) {
    try {
      const json = JSON.parse(candidate) as Record<string, unknown>;
      const found = [json.url, json.webhookUrl, json.webhook_url].find((value) => typeof value === 'string');
      candidate = typeof found === 'string' ? found.trim() : '';
    } catch {
      candidate = '';
    }
  }
  if (!/^https:\/\/[^\s/]+\/\S+$/.test(candidate)) {
    // Say what is wrong without repeating any of the secret.
    throw new WebhookError(
      `The secret ${secretArn} does not hold an https webhook URL (expected the URL, or JSON with a "url" field).`,
    );
  }
  return candidate;
}

/** Retry-After is seconds (Slack) or an HTTP date; absent or unreadable, a second. */
export function retryAfter(header: string | null, now = Date.now()): number {
  if (!header) return 1000;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : 1000;
}

const backoff = (attempt: number, max: number) => Math.min(max, 1000 * 2 ** (attempt - 1));

// ─── The function: SNS → Block Kit → webhook ─────────────────────────────────────────────

const snsEventSchema = z.looseObject({
  Records: z.array(
    z.looseObject({
      Sns: z.looseObject({
        MessageId: z.string(),
        Message: z.string(),
        Subject: z.optional(z.nullable(z.string())),
      }),
    }),
  ),
});

/** The Slack message for one SNS message gatewatch published. */
export function slackMessageOf(snsMessage: string, what: string): SlackMessage {
  return renderBlockKit(parseNotificationDocument(documentJsonOf(snsMessage), what));
}

export interface WebhookHandlerDependencies {
  readonly poster: Pick<SlackWebhookPoster, 'post'>;
  readonly metrics: Metrics;
  readonly log: Logger;
  /**
   * Runs each message's work (the function: its log lines keyed by the SNS message id, and once
   * per message id, so a redelivered message is not posted again); by default, just runs it.
   */
  readonly perMessage?: (messageId: string, work: () => Promise<void>) => Promise<void>;
}

/**
 * Posts every message of an SNS event (SNS invokes with one). A message that is not a gatewatch
 * notification, or that Slack would not take, is thrown: Lambda retries it, then dead-letters it.
 */
export async function handleWebhookEvent(
  event: unknown,
  deps: WebhookHandlerDependencies,
): Promise<{ posted: number }> {
  const { metrics, log } = deps;
  let records: z.output<typeof snsEventSchema>['Records'];
  try {
    records = parseOrThrow(snsEventSchema, event, 'The Slack webhook event (SNS)').Records;
  } catch (error) {
    metrics.add(metricNames.inputRejected, 1, 'Count', { input: 'SNS event' });
    log.log('error', 'event rejected: not an SNS event', { problem: (error as Error).message });
    throw error;
  }
  let posted = 0;
  const perMessage = deps.perMessage ?? ((_messageId, work) => work());
  for (const { Sns } of records) {
    await perMessage(Sns.MessageId, async () => {
      let message: SlackMessage;
      try {
        message = slackMessageOf(Sns.Message, `SNS message ${Sns.MessageId}`);
      } catch (error) {
        metrics.add(metricNames.inputRejected, 1, 'Count', { input: 'notification' });
        log.log('error', 'message rejected: not a gatewatch notification', {
          messageId: Sns.MessageId,
          problem: redactText((error as Error).message),
        });
        throw error;
      }
      try {
        const { attempts } = await deps.poster.post(message);
        metrics.add(metricNames.notificationsSent, 1, 'Count', { channel: 'slack-webhook' });
        log.log('info', 'slack message posted', {
          messageId: Sns.MessageId,
          subject: Sns.Subject ?? null,
          attempts,
        });
        posted += 1;
      } catch (error) {
        metrics.add(metricNames.notificationsFailed, 1, 'Count', { channel: 'slack-webhook' });
        log.log('error', 'slack message not posted', {
          messageId: Sns.MessageId,
          subject: Sns.Subject ?? null,
          problem: redactText((error as Error).message),
        });
        throw redactError(error);
      }
    });
  }
  return { posted };
}
