// Where an asynchronous invocation that keeps failing ends: Lambda's on-failure destination,
// an SQS queue (a DeadLetterQueue, so the alarms see it), with the error and the event.
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * The Lambda failure destination, with only `sqs:SendMessage` (the stock `SqsDestination`
 * also grants queue attribute and URL reads the service does not need).
 */
export class SendOnlyQueueDestination implements lambda.IDestination {
  constructor(private readonly queue: sqs.IQueue) {}

  bind(_scope: Construct, fn: lambda.IFunction): lambda.DestinationConfig {
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
    );
    return { destination: this.queue.queueArn };
  }
}
