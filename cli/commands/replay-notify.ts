// `gatewatch replay --notify TOPIC_ARN`: the notification step in-process, publishing to a real
// SNS topic (or an AWS-compatible endpoint), so a team sees the very alerts a deployment would
// send — subject, text, JSON and attributes — before trusting it. The deployed topic accepts
// publishes only from gatewatch and the principals listed in settings.notifications.publishers.
import { SNSClient } from '@aws-sdk/client-sns';
import { silentLogger } from '../../observe/log';
import { MemoryMetrics, metricNames } from '../../observe/metrics';
import { MemoryLedger } from '../../pipeline/notify/dedup';
import { Notifier, SnsTopicChannel } from '../../pipeline/notify/notifier';
import { defaultSettings, type Settings } from '../../settings/schema';
import { UsageError } from '../args';

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_-]{1,256}$/;

export interface ReplayNotifier {
  readonly sink: Notifier;
  /** "3 notifications published to arn:…, 1 suppressed as a duplicate." */
  summary(): string;
}

export function replayNotifier(
  topicArn: string,
  endpoint: string | undefined,
  settings: Settings = defaultSettings,
): ReplayNotifier {
  const region = TOPIC_ARN.exec(topicArn)?.[1];
  if (!region) {
    throw new UsageError(
      `gatewatch replay: --notify expects an SNS topic ARN (arn:PARTITION:sns:REGION:ACCOUNT:NAME), not "${topicArn}".`,
    );
  }
  const metrics = new MemoryMetrics();
  const client = new SNSClient({ region, ...(endpoint ? { endpoint } : {}) });
  const sink = new Notifier({
    channels: [new SnsTopicChannel(client, topicArn)],
    ledger: new MemoryLedger(),
    dedupWindowMinutes: settings.notifications.dedupWindowMinutes,
    runbookBaseUrl: settings.notifications.runbookBaseUrl,
    metrics,
    log: silentLogger,
    now: () => new Date(),
  });
  return {
    sink,
    summary: () => {
      const sent = metrics.total(metricNames.notificationsSent);
      const suppressed = metrics.total(metricNames.notificationsSuppressed);
      return `${sent} ${sent === 1 ? 'notification' : 'notifications'} published to ${topicArn}${suppressed > 0 ? `, ${suppressed} suppressed as duplicates` : ''}.`;
    },
  };
}
