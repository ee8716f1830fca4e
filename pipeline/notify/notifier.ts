// The notification step, wherever it runs (the notifier function, `gatewatch replay --notify`,
// tests): verdicts → deduplicated → grouped per API and stage → one document per group →
// published to every channel (the SNS topic, and the Chatbot topic when there is one). The
// ledger is written only after a message went out, so a failed publish is retried, not lost.
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Verdict, VerdictSink } from '../../model/verdict';
import type { Logger } from '../../observe/log';
import { type Metrics, metricNames } from '../../observe/metrics';
import { redactText } from '../../observe/redact';
import { Deduplicator, ledgerKey, type NotificationLedger } from './dedup';
import { buildDocument, MAX_FINDINGS_PER_MESSAGE } from './document';
import type { NotificationDocument } from './document-schema';
import { leftNonCompliant } from './event-type';
import { type Group, groupNotices, type Notice, notice } from './group';
import { renderChatbot, renderSns } from './render';

/** Where a document goes. */
export interface Channel {
  /** The metric dimension: `sns`, `chatbot`. */
  readonly name: string;
  /** Publishes and returns the message id. */
  send(document: NotificationDocument): Promise<string>;
}

/** The topic every verdict goes to: people (e-mail), programs (JSON), the Slack webhook function. */
export class SnsTopicChannel implements Channel {
  readonly name = 'sns';

  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async send(document: NotificationDocument): Promise<string> {
    const message = renderSns(document);
    const output = await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: message.subject,
        Message: message.message,
        MessageAttributes: message.attributes,
      }),
    );
    return output.MessageId ?? '';
  }
}

/**
 * The topic Amazon Q Developer in chat applications (AWS Chatbot) reads: it renders only its own
 * custom notification format, and drops anything else without a word.
 */
export class ChatbotTopicChannel implements Channel {
  readonly name = 'chatbot';

  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async send(document: NotificationDocument): Promise<string> {
    const output = await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Message: JSON.stringify(renderChatbot(document)),
        MessageAttributes: renderSns(document).attributes,
      }),
    );
    return output.MessageId ?? '';
  }
}

export interface NotifierDependencies {
  readonly channels: readonly Channel[];
  readonly ledger: NotificationLedger;
  /** settings.notifications.dedupWindowMinutes; 0 announces every verdict. */
  readonly dedupWindowMinutes: number;
  /** settings.notifications.runbookBaseUrl */
  readonly runbookBaseUrl: string;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly now: () => Date;
}

export interface Delivery {
  /** Messages published, with the documents they carried. */
  readonly sent: readonly {
    readonly document: NotificationDocument;
    readonly messageIds: readonly string[];
  }[];
  readonly suppressed: number;
  /** The sources (e.g. SQS message ids) of verdicts whose message could not be published. */
  readonly failedSources: ReadonlySet<string>;
  readonly failures: readonly Error[];
}

/** SNS takes 256 KiB per message, attributes included; room is left for them and the subject. */
export const MAX_SNS_MESSAGE_BYTES = 250_000;

export class NotificationError extends Error {
  override readonly name = 'NotificationError';
}

export class Notifier implements VerdictSink {
  constructor(private readonly deps: NotifierDependencies) {}

  /** The VerdictSink: announces the news among `verdicts`; throws when a message could not be published. */
  async handle(verdicts: readonly Verdict[]): Promise<void> {
    const delivery = await this.deliver(verdicts.map((verdict) => ({ verdict })));
    if (delivery.failures.length > 0) {
      throw new NotificationError(
        `${delivery.failures.length} notification(s) could not be published: ${delivery.failures.map((error) => error.message).join('; ')}`,
        // The first failure's SDK error, so a caller can tell missing credentials from a network failure.
        { cause: delivery.failures[0] },
      );
    }
  }

  async deliver(
    items: readonly { readonly verdict: Verdict; readonly source?: string }[],
  ): Promise<Delivery> {
    const { deps } = this;
    const now = deps.now();
    const news = items
      .filter(({ verdict }) => verdict.change !== 'unchanged' || verdict.remediation !== undefined)
      .sort((a, b) => a.verdict.eventTime.localeCompare(b.verdict.eventTime));

    const stored = await deps.ledger.get(news.map(({ verdict }) => ledgerKey(verdict)));
    const dedup = new Deduplicator(stored, deps.dedupWindowMinutes * 60_000, now);
    const notices: Notice[] = [];
    let suppressed = 0;
    for (const { verdict, source } of news) {
      const candidate = notice(verdict, null, source);
      const decision = dedup.decide(verdict, candidate.eventType);
      if (!decision.announce) {
        suppressed += 1;
        deps.metrics.add(metricNames.notificationsSuppressed, 1, 'Count', { reason: decision.reason });
        deps.log.log('info', 'notification suppressed', {
          reason: decision.reason,
          ruleId: verdict.ruleId,
          resourceArn: verdict.resourceArn,
          eventType: candidate.eventType,
          eventId: verdict.eventId,
        });
        continue;
      }
      notices.push({ ...candidate, resolves: decision.resolves });
    }

    const sent: { document: NotificationDocument; messageIds: string[] }[] = [];
    const failures: Error[] = [];
    const failedSources = new Set<string>();
    for (const group of groupNotices(notices)) {
      const document = this.documentFor(group);
      let channelName = deps.channels[0]?.name ?? 'sns';
      try {
        const messageIds: string[] = [];
        for (const channel of deps.channels) {
          channelName = channel.name;
          messageIds.push(await channel.send(document));
          deps.metrics.add(metricNames.notificationsSent, 1, 'Count', { channel: channel.name });
        }
        sent.push({ document, messageIds });
        for (const item of group.notices) {
          await deps.ledger.put(ledgerKey(item.verdict), dedup.entry(item.verdict, item.eventType));
          if (leftNonCompliant(item.verdict)) {
            deps.metrics.add(metricNames.driftNotRemediated, 1, 'Count', { severity: item.verdict.severity });
          }
        }
        deps.log.log('info', 'notification sent', {
          subject: document.subject,
          eventType: document.eventType,
          severity: document.severity,
          findings: document.findings.length,
          omitted: document.omitted,
          eventIds: [...new Set(group.notices.map((item) => item.verdict.eventId))],
          messageIds,
        });
        for (const item of group.notices.slice(document.findings.length)) {
          deps.log.log('warn', 'finding left out of a notification (message size)', {
            subject: document.subject,
            ruleId: item.verdict.ruleId,
            resourceArn: item.verdict.resourceArn,
            reason: item.verdict.reason,
            eventId: item.verdict.eventId,
          });
        }
      } catch (error) {
        const failure = new Error(
          `"${document.subject}": ${redactText((error as Error).message ?? String(error))}`,
          { cause: error },
        );
        failures.push(failure);
        for (const item of group.notices) if (item.source !== undefined) failedSources.add(item.source);
        deps.metrics.add(metricNames.notificationsFailed, 1, 'Count', { channel: channelName });
        deps.log.log('error', 'notification failed', {
          subject: document.subject,
          error: (error as Error).name,
          problem: failure.message,
        });
      }
    }
    return { sent, suppressed, failedSources, failures };
  }

  /** The group's document, with fewer findings in full when the whole would not fit in one SNS message. */
  private documentFor(group: Group): NotificationDocument {
    const options = { runbookBaseUrl: this.deps.runbookBaseUrl };
    let maxFindings = MAX_FINDINGS_PER_MESSAGE;
    let document = buildDocument(group, { ...options, maxFindings });
    while (maxFindings > 1 && Buffer.byteLength(renderSns(document).message) > MAX_SNS_MESSAGE_BYTES) {
      maxFindings = Math.max(1, Math.floor(maxFindings / 2));
      document = buildDocument(group, { ...options, maxFindings });
    }
    return document;
  }
}
