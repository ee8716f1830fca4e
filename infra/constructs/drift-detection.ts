// The real-time path: CloudTrail records of changes to API Gateway, WAF and the log groups
// stages write to reach the drift function through EventBridge, one rule per event pattern of
// the catalog. A delivery or invocation that keeps failing ends in the dead-letter queue, never
// in silence.
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { eventPatterns } from '../../functions/events/catalog';
import { DeadLetterQueue } from './dead-letter-queue';
import { gatewatchFunction } from './gatewatch-function';
import { SendOnlyQueueDestination } from './queue-destination';
import { grantResourceReads } from './read-permissions';

export { SendOnlyQueueDestination } from './queue-destination';

/** How long an event may wait for delivery or a retry before it is dead-lettered. */
const MAX_EVENT_AGE = Duration.hours(1);

export interface DriftDetectionProps {
  readonly baselineTable: dynamodb.ITable;
}

export class DriftDetection extends Construct {
  readonly function: NodejsFunction;
  readonly deadLetterQueue: sqs.Queue;
  readonly rules: readonly events.Rule[];

  constructor(scope: Construct, id: string, props: DriftDetectionProps) {
    super(scope, id);

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', {
      purpose:
        'CloudTrail events that could not reach the drift function, or that it failed on after retries',
    }).queue;

    const drift = gatewatchFunction(this, 'Handler', {
      entry: 'functions/drift/handler.ts',
      description:
        'gatewatch drift detection: judges API Gateway resources when CloudTrail records a change to them',
      environment: { BASELINE_TABLE: props.baselineTable.tableName },
    });
    this.function = drift.function;
    grantResourceReads(drift.role);
    props.baselineTable.grantReadWriteData(drift.role);

    // Lambda retries a failed asynchronous invocation twice, then hands the event (with the
    // error) to the dead-letter queue.
    this.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: MAX_EVENT_AGE,
      onFailure: new SendOnlyQueueDestination(this.deadLetterQueue),
    });

    // EventBridge retries a delivery that fails (throttled, function unavailable) with backoff,
    // then dead-letters the event.
    const target = new targets.LambdaFunction(this.function, {
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
