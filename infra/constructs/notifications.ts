// Notifications: the remediator hands every verdict to the notifications queue; the notifier
// function takes them in batches gathered over a few seconds (so a burst from one deployment
// is one message), removes what was already announced, groups per API and stage and publishes
// to one KMS-encrypted SNS topic that only gatewatch may publish to. From the topic: e-mail,
// the Slack webhook function (when a webhook secret is configured), and any subscriber with a
// filter policy. Amazon Q Developer in chat applications (AWS Chatbot) reads a second topic in
// its own message format, created only when a Slack workspace and channel are configured.
import { CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { serviceNames } from '../../observe/metrics';
import type { Settings } from '../../settings/schema';
import { deploymentSettings } from '../settings';
import { DeadLetterQueue } from './dead-letter-queue';
import { gatewatchFunction } from './gatewatch-function';
import { grantIdempotency } from './idempotency';
import { type QueueAccess, restrictQueue } from './queue-access';
import { SendOnlyQueueDestination } from './queue-destination';

/** How long the notifier may take on one batch; the queue hides a message six times as long. */
const NOTIFIER_TIMEOUT = Duration.minutes(1);
/** Slack's retries (Retry-After, backoff) fit well inside this. */
const WEBHOOK_TIMEOUT = Duration.minutes(2);
/** How long the queue gathers messages before the notifier runs: a deployment's burst arrives together. */
export const NOTIFICATION_BATCHING_WINDOW = Duration.seconds(5);

export interface NotificationsProps {
  readonly baselineTable: dynamodb.ITable;
}

export class Notifications extends Construct {
  /** Encrypts the topics (and the operations topic, see alarms.ts). */
  readonly key: kms.Key;
  /** Every verdict: e-mail, programs (the JSON document), the webhook function, filtered subscribers. */
  readonly topic: sns.Topic;
  /** The remediator sends verdict messages here. */
  readonly queue: sqs.Queue;
  /** Who may send to and receive from the queue: the notifier receives; add the remediator as sender. */
  readonly queueAccess: QueueAccess;
  readonly deadLetterQueue: sqs.Queue;
  readonly notifier: NodejsFunction;
  readonly notifierRole: iam.Role;
  /** Chatbot's topic and Slack channel configuration, when settings.notifications.slack is set. */
  readonly chat?: { readonly topic: sns.Topic; readonly channel: chatbot.SlackChannelConfiguration };
  /** The Slack webhook function and where its failures go, when settings.notifications.slackWebhookSecretArn is set. */
  readonly webhook?: { readonly function: NodejsFunction; readonly deadLetterQueue: sqs.Queue };

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    const { notifications } = deploymentSettings(this).settings;

    this.key = new kms.Key(this, 'Key', {
      description: 'gatewatch: encrypts the notification topics',
      enableKeyRotation: true,
    });
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'gatewatch',
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const email of notifications.emails) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
    new CfnOutput(this, 'TopicArn', {
      value: this.topic.topicArn,
      description:
        'gatewatch notifications: subscribe here (with a filter policy on severity, ruleId, status, account, eventType)',
    });

    // ─── The notifier ──────────────────────────────────────────────────────────────────
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', {
      purpose: 'verdict messages the notifier could not announce after three attempts',
    }).queue;
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(NOTIFIER_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 3 },
    });
    const chatTopic = notifications.slack
      ? this.restrictedTopic('ChatTopic', 'gatewatch (Slack)')
      : undefined;
    const notifier = gatewatchFunction(this, 'Notifier', {
      entry: 'handlers/notify.ts',
      service: serviceNames.notify,
      description: 'gatewatch notifications: deduplicates and groups verdicts and publishes them to SNS',
      timeout: NOTIFIER_TIMEOUT,
      memorySize: 256,
      environment: {
        TOPIC_ARN: this.topic.topicArn,
        BASELINE_TABLE: props.baselineTable.tableName,
        ...(chatTopic ? { CHAT_TOPIC_ARN: chatTopic.topicArn } : {}),
      },
    });
    this.notifier = notifier.function;
    this.notifierRole = notifier.role;
    // The ledger of what was announced: read and written item by item, nothing else; and the
    // notifier's own idempotency records (one per message published).
    props.baselineTable.grant(this.notifierRole, 'dynamodb:GetItem', 'dynamodb:PutItem');
    grantIdempotency(this.notifier, this.notifierRole, props.baselineTable, 'notify');
    this.topic.grantPublish(this.notifierRole);
    this.notifier.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 50,
        maxBatchingWindow: NOTIFICATION_BATCHING_WINDOW,
        reportBatchItemFailures: true,
      }),
    );
    acknowledgeKeyGrant(this.notifierRole, 'publishes to the encrypted notification topics');
    // Only the remediator sends (GatewatchStack adds it), only the notifier takes (queue-access.ts).
    this.queueAccess = restrictQueue(this.queue, { consumers: [this.notifierRole] });
    restrictQueue(this.deadLetterQueue);

    // Only gatewatch (and the principals the settings name) may publish.
    const publishers = [this.notifierRole.roleArn, ...notifications.publishers];
    restrictPublishing(this.topic, publishers);

    // ─── Amazon Q Developer in chat applications (AWS Chatbot) ─────────────────────────
    if (chatTopic && notifications.slack) {
      chatTopic.grantPublish(this.notifierRole);
      restrictPublishing(chatTopic, [this.notifierRole.roleArn]);
      this.chat = { topic: chatTopic, channel: this.slackChannel(chatTopic, notifications.slack) };
    }

    // ─── The Slack webhook function ────────────────────────────────────────────────────
    if (notifications.slackWebhookSecretArn) {
      this.webhook = this.webhookFunction(notifications.slackWebhookSecretArn, props.baselineTable);
    }
  }

  /** A topic encrypted with the notifications key, reachable over TLS only. */
  private restrictedTopic(id: string, displayName: string): sns.Topic {
    return new sns.Topic(this, id, { displayName, masterKey: this.key, enforceSSL: true });
  }

  private slackChannel(
    topic: sns.Topic,
    slack: NonNullable<Settings['notifications']['slack']>,
  ): chatbot.SlackChannelConfiguration {
    // Notifications only: the guardrail denies every action, so nobody runs AWS commands from the
    // channel through this configuration (without one, Chatbot's default guardrail is AdministratorAccess).
    const guardrail = new iam.ManagedPolicy(this, 'ChatGuardrail', {
      description: 'gatewatch Slack channel: notifications only, no AWS actions from the channel',
      statements: [new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['*'], resources: ['*'] })],
    });
    Validations.of(guardrail).acknowledge({
      id: 'AwsSolutions-IAM5[Action::*]',
      reason: 'A Deny of every action: the channel guardrail allows nothing, which is the point.',
    });
    Validations.of(guardrail).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'A Deny of every action on every resource: the channel guardrail allows nothing.',
    });
    return new chatbot.SlackChannelConfiguration(this, 'Slack', {
      slackChannelConfigurationName: `${Stack.of(this).stackName}-notifications`.slice(0, 128),
      slackWorkspaceId: slack.workspaceId,
      slackChannelId: slack.channelId,
      notificationTopics: [topic],
      guardrailPolicies: [guardrail],
    });
  }

  private webhookFunction(
    secretArn: string,
    baselineTable: dynamodb.ITable,
  ): { function: NodejsFunction; deadLetterQueue: sqs.Queue } {
    const deadLetterQueue = new DeadLetterQueue(this, 'WebhookDeadLetters', {
      purpose: 'notifications the Slack webhook function could not post after retries',
    }).queue;
    const webhook = gatewatchFunction(this, 'SlackWebhook', {
      entry: 'handlers/slack-webhook.ts',
      service: serviceNames.slackWebhook,
      description: 'gatewatch Slack webhook: posts each notification to Slack as Block Kit',
      timeout: WEBHOOK_TIMEOUT,
      memorySize: 256,
      environment: { SLACK_WEBHOOK_SECRET_ARN: secretArn },
    });
    // A complete ARN ends in the six characters Secrets Manager adds; a partial one is granted with its wildcard.
    const secret = /-[A-Za-z0-9]{6}$/.test(secretArn)
      ? secretsmanager.Secret.fromSecretCompleteArn(this, 'WebhookSecret', secretArn)
      : secretsmanager.Secret.fromSecretPartialArn(this, 'WebhookSecret', secretArn);
    secret.grantRead(webhook.role);
    // What it posted, by SNS message id.
    grantIdempotency(webhook.function, webhook.role, baselineTable, 'slack-webhook');
    Validations.of(webhook.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${secretArn}-??????]`,
      reason:
        'Secrets Manager adds six random characters to a secret ARN; the settings name the secret without them.',
    });
    // SNS invokes the function asynchronously: Lambda retries twice, then dead-letters the message;
    // a delivery SNS itself cannot make goes to the same queue.
    webhook.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      onFailure: new SendOnlyQueueDestination(deadLetterQueue),
    });
    this.topic.addSubscription(new subscriptions.LambdaSubscription(webhook.function, { deadLetterQueue }));
    // Lambda sends failed invocations with the function's role; SNS, a service, under the Allow
    // the subscription adds for this topic.
    restrictQueue(deadLetterQueue, { senders: [webhook.role] });
    return { function: webhook.function, deadLetterQueue };
  }
}

/**
 * The topic's policy: publishing is denied to every principal but these, and to everyone over
 * plain HTTP (enforceSSL). Their identity policies grant the publish itself.
 */
export function restrictPublishing(topic: sns.Topic, publisherArns: readonly string[]): void {
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'OnlyGatewatchPublishes',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: { ArnNotEquals: { 'aws:PrincipalArn': [...publisherArns] } },
    }),
  );
}

/** `grantPublish` on an encrypted topic grants the key's `kms:GenerateDataKey*`, as SNS requires. */
export function acknowledgeKeyGrant(role: iam.Role, what: string): void {
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
    reason: `The role ${what}: SNS needs kms:GenerateDataKey* on the topic's key (one key, named by its ARN).`,
  });
}
