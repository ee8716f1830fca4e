// gatewatch watching itself: an alarm for every function that errors, every dead-letter queue
// that holds a message, CRITICAL drift announced without a successful remediation, and a p99
// detection latency above the threshold the settings give. Each alarm (and its recovery)
// notifies the operations topic — the people who run gatewatch, not the API owners.
//
// Stacks that only forward events (another region of one account, a member account) have no
// operations topic and no function: their one alarm, "forwarding has dead letters", notifies a
// topic of their own in that account and region (CloudWatch alarm actions cannot reach a topic in
// another region), which settings.notifications.operationsEmails subscribe to (ForwardingAlarms).
import { CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { METRIC_NAMESPACE, metricNames, serviceNames } from '../../observe/metrics';
import { detectionLatency } from './dashboard';
import type { OperatedFunction, OperatedQueue } from './operated';

export interface AlarmsProps {
  readonly functions: readonly OperatedFunction[];
  readonly queues: readonly OperatedQueue[];
  /** Encrypts the operations topic (CloudWatch is allowed to use it). */
  readonly key: kms.Key;
  /** settings.notifications.operationsEmails */
  readonly emails: readonly string[];
  /** settings.notifications.detectionLatencyAlarmMinutes */
  readonly detectionLatencyMinutes: number;
}

const FIVE_MINUTES = Duration.minutes(5);

export class GatewatchAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'OperationsTopic', {
      displayName: 'gatewatch operations',
      masterKey: props.key,
      enforceSSL: true,
    });
    for (const email of props.emails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    new CfnOutput(this, 'OperationsTopicArn', {
      value: this.topic.topicArn,
      description:
        'gatewatch operations: its own alarms (functions erroring, dead letters, CRITICAL drift left, slow detection)',
    });
    allowCloudWatchAlarms(this.topic, props.key);

    for (const { label, function: fn } of props.functions) {
      this.add(`${label} errors`, fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), {
        threshold: 1,
        description: `The gatewatch function ${label} failed on an invocation; its log group says why.`,
      });
    }
    for (const queue of props.queues.filter((queue) => queue.deadLetter)) {
      this.alarms.push(deadLetterAlarm(this, this.topic, queue));
    }
    this.add(
      'CRITICAL drift not remediated',
      new cloudwatch.Metric({
        namespace: METRIC_NAMESPACE,
        metricName: metricNames.driftNotRemediated,
        dimensionsMap: { service: serviceNames.notify, severity: 'CRITICAL' },
        statistic: 'Sum',
        period: FIVE_MINUTES,
      }),
      {
        threshold: 1,
        description:
          'A CRITICAL finding was announced and gatewatch did not fix it (dry-run, notify only, a guard, or a failure): a person must act now.',
      },
    );
    this.add('Detection latency p99', detectionLatency('p99', Duration.minutes(15)), {
      threshold: props.detectionLatencyMinutes * 60_000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      description: `The p99 time from a CloudTrail event to its verdict exceeded ${props.detectionLatencyMinutes} minutes: CloudTrail delivery is slow or the drift function is throttled.`,
    });
  }

  private add(name: string, metric: cloudwatch.IMetric, options: AlarmOptions): void {
    this.alarms.push(operationsAlarm(this, this.topic, name, metric, options));
  }
}

export interface ForwardingAlarmsProps {
  /** The forwarding rules' dead-letter queue. */
  readonly deadLetterQueue: OperatedQueue;
  /** settings.notifications.operationsEmails */
  readonly emails: readonly string[];
}

/**
 * The alarms of a stack that only forwards events: its dead-letter queue holding a message
 * means an event that never reached gatewatch. They notify a topic in this account and region.
 */
export class ForwardingAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: ForwardingAlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'OperationsTopic', {
      displayName: 'gatewatch operations (event forwarding)',
      enforceSSL: true,
    });
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'The topic carries only the state changes of the forwarding dead-letter alarm (alarm and queue names, a count), never an event; ' +
        'CloudWatch cannot publish to a topic under the AWS managed key, and a customer managed key would cost $1 a month in every member account and region.',
    });
    for (const email of props.emails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    allowCloudWatchAlarms(this.topic);
    new CfnOutput(this, 'OperationsTopicArn', {
      value: this.topic.topicArn,
      description: 'gatewatch event forwarding: its dead-letter alarm notifies this topic (subscribe here)',
    });
    this.alarms = [deadLetterAlarm(this, this.topic, props.deadLetterQueue)];
  }
}

interface AlarmOptions {
  readonly threshold: number;
  readonly description: string;
  readonly comparisonOperator?: cloudwatch.ComparisonOperator;
}

/** Any message in a dead-letter queue is something gatewatch could not handle. */
function deadLetterAlarm(
  scope: Construct,
  topic: sns.ITopic,
  { label, queue }: OperatedQueue,
): cloudwatch.Alarm {
  return operationsAlarm(
    scope,
    topic,
    `${label} has dead letters`,
    queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
    {
      threshold: 1,
      description: `A message gatewatch could not handle is in ${label}: inspect it, fix the cause, redrive it.`,
    },
  );
}

/** An alarm that notifies `topic` when it fires and when it recovers. */
function operationsAlarm(
  scope: Construct,
  topic: sns.ITopic,
  name: string,
  metric: cloudwatch.IMetric,
  options: AlarmOptions,
): cloudwatch.Alarm {
  const id = name
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .replace(/ (\w)/g, (_, c: string) => c.toUpperCase());
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmName: `${Stack.of(scope).stackName}-${id}`,
    alarmDescription: `gatewatch: ${options.description}`,
    metric,
    threshold: options.threshold,
    evaluationPeriods: 1,
    comparisonOperator:
      options.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new SnsAction(topic));
  alarm.addOkAction(new SnsAction(topic));
  return alarm;
}

/** CloudWatch publishes alarm notifications to the topic: the topic (and its key, when encrypted) must let it. */
function allowCloudWatchAlarms(topic: sns.Topic, key?: kms.Key): void {
  const fromThisAccount = {
    StringEquals: { 'aws:SourceAccount': topic.env.account },
  };
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: fromThisAccount,
    }),
  );
  key?.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsEncrypt',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: fromThisAccount,
    }),
  );
}
