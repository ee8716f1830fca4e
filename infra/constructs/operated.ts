// What gatewatch runs, as the dashboard and the alarms see it: every function and every queue
// in the stack, found in the construct tree rather than listed by hand, so a function or queue
// added by a later construct is graphed and alarmed without anyone remembering to. Build the
// dashboard and the alarms after everything else in the stack.
import { Stack } from 'aws-cdk-lib';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue';

export interface OperatedFunction {
  /** `Drift/Handler`: the construct path in the stack, which names the function's purpose. */
  readonly label: string;
  readonly function: NodejsFunction;
}

export interface OperatedQueue {
  readonly label: string;
  readonly queue: sqs.Queue;
  /** A dead-letter queue: any message in it is something gatewatch could not handle. */
  readonly deadLetter: boolean;
}

export function operatedResources(scope: IConstruct): {
  functions: OperatedFunction[];
  queues: OperatedQueue[];
} {
  const stack = Stack.of(scope);
  const all = stack.node.findAll();
  const functions = all
    .filter((construct): construct is NodejsFunction => construct instanceof NodejsFunction)
    .map((fn) => ({ label: labelOf(stack, fn, /\/Function$/), function: fn }));
  const queues = all
    .filter((construct): construct is sqs.Queue => construct instanceof sqs.Queue)
    .map((queue) => ({
      label: labelOf(stack, queue, /\/Queue$/),
      queue,
      deadLetter: queue.node.scope instanceof DeadLetterQueue,
    }));
  return { functions, queues };
}

function labelOf(stack: Stack, construct: IConstruct, suffix: RegExp): string {
  const path = construct.node.path.slice(stack.node.path.length + 1);
  return path.replace(suffix, '') || path;
}
