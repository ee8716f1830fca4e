// Who may put messages on a gatewatch queue and take them off. A queue in the same account is
// open to every principal whose identity policy grants `sqs:*`; these Deny statements in the
// queue's policy close it to everyone but the roles that feed and consume it, whatever their
// identity policies say (an explicit Deny wins). The roles' own identity policies still grant
// the actions (SqsEventSource, addToRolePolicy); this only takes them away from everyone else.
//
// - Requests made by an AWS service principal (EventBridge, SNS or EventBridge Scheduler
//   dead-lettering an event) are left to the Allow statements the CDK adds for them, each scoped
//   to its rule, topic or schedule with aws:SourceArn; a principal that is not a service carries
//   aws:PrincipalIsAWSService false, and a request without the key is denied too.
// - SQS moving a message to its dead-letter queue (the redrive policy) is not a principal's
//   request: it needs no Allow today, and no Deny here applies to it.
// - The account root is never denied: it stays able to manage and empty any queue.
// - Queue management (SetQueueAttributes, AddPermission, DeleteQueue, tags) is not denied:
//   CloudFormation changes the queue and this very policy with whatever role deploys the stack,
//   unknown here. Whoever may set a queue's policy can remove this Deny, so those actions stay
//   with administrators, in IAM (or an SCP).
import { Aws, Lazy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { SettingsError } from '../settings';

/** Putting messages on the queue (SendMessageBatch is authorized as sqs:SendMessage). */
export const SEND_ACTIONS = ['sqs:SendMessage'] as const;
/** Taking messages off it, as a Lambda event source does (the batch forms included). */
export const CONSUME_ACTIONS = [
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibility',
] as const;
/** Emptying it or moving its messages elsewhere: nobody's job but an operator's. */
export const OPERATE_ACTIONS = [
  'sqs:PurgeQueue',
  'sqs:StartMessageMoveTask',
  'sqs:CancelMessageMoveTask',
] as const;

export interface QueueAccessProps {
  /** The roles that send to the queue (a function's role; for a Lambda failure destination, the function's role). */
  readonly senders?: readonly iam.IRole[];
  /** The roles that receive from it (for a Lambda event source, the function's role). */
  readonly consumers?: readonly iam.IRole[];
  /**
   * Principals (ARNs; `*` patterns as ArnLike reads them) who may also inspect, purge and redrive
   * it, and send to it (a redrive into a source queue sends as the operator), besides the
   * deployment's `queueOperators` (always added) and the account root (always allowed).
   */
  readonly operators?: readonly string[];
}

/** The principals of one queue's policy; more senders or consumers may be named after it is made. */
export class QueueAccess {
  private readonly senders: iam.IRole[] = [];
  private readonly consumers: iam.IRole[] = [];
  private readonly operators: string[] = [];

  constructor(readonly queue: sqs.Queue) {}

  addSenders(...roles: iam.IRole[]): this {
    this.senders.push(...roles);
    return this;
  }

  addConsumers(...roles: iam.IRole[]): this {
    this.consumers.push(...roles);
    return this;
  }

  addOperators(...principalArns: string[]): this {
    this.operators.push(...principalArns);
    return this;
  }

  /** aws:PrincipalArn values never denied `actions` of this queue: the roles, the operators and the root. */
  private exempt(roles: () => readonly iam.IRole[]): string[] {
    return Lazy.list({
      produce: () => [
        `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:root`,
        ...this.operators,
        ...new Set(roles().map((role) => role.roleArn)),
      ],
    });
  }

  /** Adds the three Deny statements to the queue's policy (called once, by restrictQueue). */
  apply(): void {
    const deny = (sid: string, actions: readonly string[], exempt: string[]) =>
      this.queue.addToResourcePolicy(
        new iam.PolicyStatement({
          sid,
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: [...actions],
          resources: [this.queue.queueArn],
          conditions: {
            ArnNotLike: { 'aws:PrincipalArn': exempt },
            BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
          },
        }),
      );
    deny(
      'OnlyGatewatchSends',
      SEND_ACTIONS,
      this.exempt(() => this.senders),
    );
    deny(
      'OnlyGatewatchReceives',
      CONSUME_ACTIONS,
      this.exempt(() => this.consumers),
    );
    deny(
      'OnlyOperatorsPurgeOrRedrive',
      OPERATE_ACTIONS,
      this.exempt(() => []),
    );
  }
}

/**
 * Closes `queue` to every principal but its senders, its consumers, its operators (the
 * deployment's `queueOperators` among them) and the account root (see the head of this file). For a queue between EventBridge and a function:
 * `restrictQueue(queue, { consumers: [fn.role!] })` (EventBridge, a service, is governed by the
 * Allow the target adds); for a dead-letter queue behind a Lambda failure destination:
 * `restrictQueue(deadLetters, { senders: [fn.role!] })`; for one behind a queue's redrive policy:
 * `restrictQueue(deadLetters, {})`.
 */
export function restrictQueue(queue: sqs.Queue, props: QueueAccessProps = {}): QueueAccess {
  const access = new QueueAccess(queue)
    .addSenders(...(props.senders ?? []))
    .addConsumers(...(props.consumers ?? []))
    .addOperators(...queueOperators(queue), ...(props.operators ?? []));
  access.apply();
  return access;
}

const OPERATOR = /^arn:aws[a-z-]*:iam::\d{12}:(root|role\/\S+|user\/\S+)$/;

/**
 * The people who inspect and redrive dead letters, from the `queueOperators` context value
 * (`cdk deploy -c queueOperators=arn:aws:iam::111122223333:role/platform-oncall,…`): IAM role or
 * user ARNs, `*` patterns allowed. None by default: then only the account root may.
 */
export function queueOperators(scope: Construct): string[] {
  const raw: unknown = scope.node.tryGetContext('queueOperators');
  if (raw === undefined || raw === '') return [];
  const values = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [raw];
  const operators = values.map((value) => (typeof value === 'string' ? value.trim() : value));
  const bad = operators.filter((value) => typeof value !== 'string' || !OPERATOR.test(value));
  if (bad.length > 0) {
    const problem = `expected IAM role or user ARNs (arn:<partition>:iam::<account>:role/<name>), got ${bad.map((value) => JSON.stringify(value)).join(', ')}`;
    throw new SettingsError(`queueOperators: ${problem}.`, [{ field: 'queueOperators', message: problem }]);
  }
  return operators as string[];
}
