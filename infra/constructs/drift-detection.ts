// The real-time path: CloudTrail records of changes to API Gateway, WAF and the log groups
// stages write reach the drift queue through EventBridge, one rule per event pattern of the
// catalog; the drift function consumes the queue a bounded number of batches at a time, so a
// burst of events waits in the queue instead of starting environments without end (the
// account's call budget, aws/call-budget.ts, bounds the API Gateway requests
// whatever runs). A delivery or message that keeps failing ends in the dead-letter queue,
// never in silence.
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { serviceNames } from '../../observe/metrics';
import { eventPatterns } from '../event-patterns';
import { DeadLetterQueue } from './dead-letter-queue';
import { gatewatchFunction } from './gatewatch-function';
import { restrictQueue } from './queue-access';
import { grantResourceReads } from './read-permissions';

/** How long an event may wait for delivery before it is dead-lettered. */
const MAX_EVENT_AGE = Duration.hours(1);
/** One batch of events; reads wait for the account's call budget, so a batch may take a while. */
const TIMEOUT = Duration.minutes(2);

/**
 * The drift function's environments at once, whatever the burst: the least an SQS event source
 * takes (2). The quota is held by the call budget, not by this; it keeps gatewatch's share of
 * the account's Lambda concurrency small (new accounts may have a limit of 10).
 */
export const DRIFT_MAX_CONCURRENCY = 2;
/** Messages per batch, handled one after another. */
export const DRIFT_BATCH_SIZE = 10;

export interface DriftDetectionProps {
  readonly baselineTable: dynamodb.ITable;
}

export class DriftDetection extends Construct {
  readonly function: NodejsFunction;
  /** Every CloudTrail event the rules match, until the drift function has handled it. */
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly rules: readonly events.Rule[];

  constructor(scope: Construct, id: string, props: DriftDetectionProps) {
    super(scope, id);

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', {
      purpose:
        'CloudTrail events that could not reach the drift queue, or that the drift function failed on five times',
    }).queue;
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Lambda's advice: six times the function's timeout, so a slow batch is not delivered twice.
      visibilityTimeout: Duration.seconds(TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });

    const drift = gatewatchFunction(this, 'Handler', {
      entry: 'handlers/drift.ts',
      service: serviceNames.drift,
      handler: 'queueHandler',
      description:
        'gatewatch drift detection: judges API Gateway resources when CloudTrail records a change to them',
      timeout: TIMEOUT,
      environment: { BASELINE_TABLE: props.baselineTable.tableName },
    });
    this.function = drift.function;
    grantResourceReads(drift.role);
    props.baselineTable.grantReadWriteData(drift.role);

    this.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: DRIFT_BATCH_SIZE,
        maxConcurrency: DRIFT_MAX_CONCURRENCY,
        reportBatchItemFailures: true,
      }),
    );

    // EventBridge retries a delivery to the queue that fails with backoff, then dead-letters the
    // event. The target adds the queue's resource policy: events.amazonaws.com may send, for
    // these rules only (aws:SourceArn).
    // Only EventBridge (a service, scoped by the target's Allow) puts events on the queue, and only
    // the drift function takes them off: a forged CloudTrail event would set the actor recorded.
    restrictQueue(this.queue, { consumers: [drift.role] });
    restrictQueue(this.deadLetterQueue);
    const target = new targets.SqsQueue(this.queue, {
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 8,
      maxEventAge: MAX_EVENT_AGE,
    });
    const ids = new Set<string>();
    this.rules = eventPatterns().map((pattern) => {
      const source = pattern.source.join('+');
      const id = uniqueId(ids, ruleId(source));
      return new events.Rule(this, id, {
        description: `gatewatch: changes recorded by CloudTrail from ${source}, for drift detection.`,
        // The catalog writes patterns as EventBridge does (`detail-type`); the CDK names it `detailType`.
        eventPattern: { source: pattern.source, detailType: pattern['detail-type'], detail: pattern.detail },
        targets: [target],
      });
    });
  }
}

/** `aws.apigateway` → `ApigatewayChanges`: stable as patterns are added, so logical ids do not shift. */
function ruleId(source: string): string {
  const words = source
    .replace(/^aws\./, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return `${words.map((word) => word[0]?.toUpperCase() + word.slice(1)).join('')}Changes`;
}

function uniqueId(taken: Set<string>, id: string): string {
  let candidate = id;
  for (let n = 2; taken.has(candidate); n++) candidate = `${id}${n}`;
  taken.add(candidate);
  return candidate;
}
