// The scheduled sweep: EventBridge delivers CloudTrail events on a best-effort basis, so an
// EventBridge Scheduler schedule (every `sweep.everyHours` hours) has the sweep function plan a
// full read of every account and region gatewatch watches, one message per account and region on
// the sweep queue; the same function then sweeps each (pipeline/sweep/) and sends what drifted
// unannounced to the verdicts queue, for remediation and notification like any drift.
import { Aws, type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { serviceNames } from '../../observe/metrics';
import { DeadLetterQueue } from './dead-letter-queue';
import { gatewatchFunction } from './gatewatch-function';
import { restrictQueue } from './queue-access';
import { SendOnlyQueueDestination } from './queue-destination';
import { grantMetricReads, grantResourceReads } from './read-permissions';

/** One account and region per invocation: about 1,300 APIs at gatewatch's 8 calls a second (README). */
export const SWEEP_TIMEOUT = Duration.minutes(15);

export interface SweepProps {
  readonly baselineTable: dynamodb.ITable;
  /** Where news goes: the remediator's queue. */
  readonly verdictsQueue: sqs.IQueue;
  /** settings.sweep.everyHours (at least 1). */
  readonly everyHours: number;
}

export class Sweep extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  /** One message per account and region to sweep. */
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: SweepProps) {
    super(scope, id);

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', {
      purpose:
        'sweeps of an account and region that failed three times, schedules that could not start one, and planning runs that failed after retries',
    }).queue;
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(SWEEP_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 3 },
    });

    const sweep = gatewatchFunction(this, 'Handler', {
      entry: 'handlers/sweep.ts',
      service: serviceNames.sweep,
      description:
        'gatewatch scheduled sweep: reads every API of an account and region and reports drift no event announced',
      timeout: SWEEP_TIMEOUT,
      memorySize: 1024,
      environment: {
        BASELINE_TABLE: props.baselineTable.tableName,
        VERDICTS_QUEUE_URL: props.verdictsQueue.queueUrl,
        SWEEP_QUEUE_URL: this.queue.queueUrl,
      },
    });
    this.function = sweep.function;
    this.role = sweep.role;

    // Reads, as a scan makes them; invocation counts for api-unused.
    grantResourceReads(this.role);
    grantMetricReads(this.role);
    props.baselineTable.grantReadWriteData(this.role);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: [props.verdictsQueue.queueArn, this.queue.queueArn],
      }),
    );

    this.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 1,
        reportBatchItemFailures: true,
        // Accounts and regions have quotas of their own; a few at a time keeps the table and queues calm.
        maxConcurrency: 5,
      }),
    );

    // The schedule invokes the function asynchronously: a planning run that fails is retried
    // twice by Lambda, then handed (with the error) to the dead-letter queue, never dropped.
    this.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      onFailure: new SendOnlyQueueDestination(this.deadLetterQueue),
    });

    // The schedule's own role: it may invoke the function (grantInvoke names its versions too) and
    // send to the dead-letter queue, for this account's schedules only.
    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'EventBridge Scheduler starts the gatewatch sweep with this role',
    });
    const stack = Stack.of(this);
    const functionId = stack.resolve(
      stack.getLogicalId(this.function.node.defaultChild as CfnElement),
    ) as string;
    Validations.of(scheduleRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      reason:
        "lambda:InvokeFunction on the sweep function; Lambda's grantInvoke also names the function's versions (`:*`), of which the schedule invokes none.",
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `gatewatch: sweep every account and region every ${props.everyHours} hours`,
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(props.everyHours)),
      target: new schedulerTargets.LambdaInvoke(this.function, {
        input: scheduler.ScheduleTargetInput.fromObject({
          sweep: 'scheduled',
          account: Aws.ACCOUNT_ID,
          time: scheduler.ContextAttribute.scheduledTime,
        }),
        role: scheduleRole,
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: this.deadLetterQueue,
      }),
    });
    // The sweep fans its work out through its own queue; its failures (the function's on-failure
    // destination and the schedule's dead letters) are sent with the function's and the schedule's roles.
    restrictQueue(this.queue, { senders: [this.role], consumers: [this.role] });
    restrictQueue(this.deadLetterQueue, { senders: [this.role, scheduleRole] });
  }
}
