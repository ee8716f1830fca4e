// Who may put verdicts on gatewatch's queues and take them off, read from the synthesized
// templates as IAM evaluates them (an explicit Deny beats every Allow): only the roles that
// feed and consume each queue, the account root and the operators the deployment names; never
// another role of the account, even one holding sqs:* on every queue.
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { buildApp } from '../../infra/app';
import { queueOperators } from '../../infra/constructs/queue-access';
import type { GatewatchStack } from '../../infra/gatewatch-stack';
import { appFor, logicalIdOf, newApp, type Resource, type Statement, settingsFile } from '../support/infra';
import { ACCOUNT, type Caller, decide, ROOT, roleArn } from '../support/policy-evaluation';

const OPERATOR = `arn:aws:iam::${ACCOUNT}:role/platform-oncall`;
const SECRET_ARN = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:gatewatch/slack-webhook`;

/** A role of the account that someone else made, allowed every SQS action on every queue. */
const ADMIN: Caller = { principalArn: `arn:aws:iam::${ACCOUNT}:role/ci-deployer` };
const ADMIN_IDENTITY: Statement[] = [{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }];
/** The root user may do anything in its account. */
const ROOT_IDENTITY: Statement[] = [{ Effect: 'Allow', Action: '*', Resource: '*' }];

function withOperators(): GatewatchStack {
  const app = newApp({
    settings: settingsFile({ notifications: { slackWebhookSecretArn: SECRET_ARN } }),
    queueOperators: OPERATOR,
  });
  buildApp(app);
  // cdk-nag's AwsSolutions checks run at synthesis and throw on any finding not acknowledged.
  app.synth();
  return app.node.findChild('Gatewatch') as GatewatchStack;
}

const organization = appFor({
  regions: ['eu-west-1'],
  organization: {
    enabled: true,
    organizationId: 'o-a1b2c3d4e5',
    organizationalUnitIds: ['ou-a1b2-c3d4e5f6'],
    memberRegions: ['eu-west-1'],
  },
});

const oneAccount = withOperators();
const stacks: [string, GatewatchStack][] = [
  ['the one-account stack', oneAccount],
  [
    'the organization’s central stack',
    organization.node.findChild('GatewatchOrganization') as GatewatchStack,
  ],
];

describe.each(stacks)('%s', (_name, stack) => {
  const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, Resource> };
  const queue = (construct: sqs.Queue) => logicalIdOf(construct);
  const role = (construct: iam.IRole): Caller => ({ principalArn: roleArn(logicalIdOf(construct)) });
  const as = (caller: Caller, identity?: Statement[]) => ({
    may: (action: string, queueId: string, secure = true) =>
      decide(template, queueId, { caller, action, secure, ...(identity ? { identity } : {}) }),
  });
  const drift = role(stack.drift.function.role as iam.IRole);
  const sweep = role((stack.sweep as NonNullable<GatewatchStack['sweep']>).role);
  const remediator = role(stack.remediation.role);
  const notifier = role(stack.notifications.notifierRole);
  const operators = queueOperators(stack) as string[];
  const operator: Caller = { principalArn: OPERATOR };

  const verdicts = queue(stack.remediation.verdictsQueue);
  const notifications = queue(stack.notifications.queue);
  const deadLetterIds = Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::SQS::Queue')
    .map(([id]) => id)
    .filter((id) => /^(Remediation|Notifications).*DeadLetters/.test(id));

  const queueIds = Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::SQS::Queue')
    .map(([id]) => id);

  it('every queue of the stack is closed to another role of the account holding sqs:*', () => {
    expect(queueIds.length).toBeGreaterThanOrEqual(8);
    for (const id of queueIds) {
      for (const action of ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:PurgeQueue']) {
        expect([id, action, as(ADMIN, ADMIN_IDENTITY).may(action, id)]).toEqual([
          id,
          action,
          'explicitly denied',
        ]);
      }
    }
  });

  it('the drift queue takes CloudTrail events from EventBridge only, and only the drift function takes them off', () => {
    const events = queue(stack.drift.queue);
    expect(as(drift).may('sqs:ReceiveMessage', events)).toBe('allowed');
    expect(as(drift, ADMIN_IDENTITY).may('sqs:SendMessage', events)).toBe('explicitly denied');
    expect(as(remediator, ADMIN_IDENTITY).may('sqs:ReceiveMessage', events)).toBe('explicitly denied');
    expect(as(sweep, ADMIN_IDENTITY).may('sqs:SendMessage', events)).toBe('explicitly denied');
  });

  it('the sweep queue is the sweep’s own', () => {
    const work = queue((stack.sweep as NonNullable<GatewatchStack['sweep']>).queue);
    expect(as(sweep).may('sqs:SendMessage', work)).toBe('allowed');
    expect(as(sweep).may('sqs:ReceiveMessage', work)).toBe('allowed');
    expect(as(drift, ADMIN_IDENTITY).may('sqs:SendMessage', work)).toBe('explicitly denied');
  });

  it('the verdicts queue takes verdicts from the drift function and the sweep only', () => {
    expect(as(drift).may('sqs:SendMessage', verdicts)).toBe('allowed');
    expect(as(sweep).may('sqs:SendMessage', verdicts)).toBe('allowed');
    expect(as(remediator, ADMIN_IDENTITY).may('sqs:SendMessage', verdicts)).toBe('explicitly denied');
    expect(as(notifier, ADMIN_IDENTITY).may('sqs:SendMessage', verdicts)).toBe('explicitly denied');
    expect(as(ADMIN, ADMIN_IDENTITY).may('sqs:SendMessage', verdicts)).toBe('explicitly denied');
  });

  it('only the remediator receives, deletes or hides verdicts; nobody else purges them', () => {
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']) {
      expect(as(remediator).may(action, verdicts)).toBe('allowed');
      expect(as(drift, ADMIN_IDENTITY).may(action, verdicts)).toBe('explicitly denied');
      expect(as(ADMIN, ADMIN_IDENTITY).may(action, verdicts)).toBe('explicitly denied');
    }
    expect(as(ADMIN, ADMIN_IDENTITY).may('sqs:PurgeQueue', verdicts)).toBe('explicitly denied');
    expect(as(remediator, ADMIN_IDENTITY).may('sqs:PurgeQueue', verdicts)).toBe('explicitly denied');
  });

  it('the notifications queue takes messages from the remediator only, and only the notifier takes them off', () => {
    expect(as(remediator).may('sqs:SendMessage', notifications)).toBe('allowed');
    expect(as(drift, ADMIN_IDENTITY).may('sqs:SendMessage', notifications)).toBe('explicitly denied');
    expect(as(ADMIN, ADMIN_IDENTITY).may('sqs:SendMessage', notifications)).toBe('explicitly denied');
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']) {
      expect(as(notifier).may(action, notifications)).toBe('allowed');
      expect(as(remediator, ADMIN_IDENTITY).may(action, notifications)).toBe('explicitly denied');
      expect(as(ADMIN, ADMIN_IDENTITY).may(action, notifications)).toBe('explicitly denied');
    }
    expect(as(ADMIN, ADMIN_IDENTITY).may('sqs:PurgeQueue', notifications)).toBe('explicitly denied');
  });

  it('a dead-letter queue is written by SQS alone, and read, purged and redriven by operators only', () => {
    expect(deadLetterIds.length).toBeGreaterThanOrEqual(2);
    for (const id of deadLetterIds) {
      for (const action of ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:PurgeQueue']) {
        expect(as(ADMIN, ADMIN_IDENTITY).may(action, id)).toBe('explicitly denied');
        expect(as(remediator, ADMIN_IDENTITY).may(action, id)).toBe('explicitly denied');
      }
      for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:StartMessageMoveTask']) {
        expect(as(operator, ADMIN_IDENTITY).may(action, id)).toBe(
          operators.includes(OPERATOR) ? 'allowed' : 'explicitly denied',
        );
      }
    }
  });

  it('the account root is never denied, so the queues can always be managed and emptied', () => {
    for (const id of [verdicts, notifications, ...deadLetterIds]) {
      for (const action of [
        'sqs:SendMessage',
        'sqs:ReceiveMessage',
        'sqs:PurgeQueue',
        'sqs:SetQueueAttributes',
      ]) {
        expect(as({ principalArn: ROOT }, ROOT_IDENTITY).may(action, id)).toBe('allowed');
      }
    }
  });

  it('queue management stays with IAM: CloudFormation’s deploying role may change queues and their policies', () => {
    for (const id of [verdicts, notifications, ...deadLetterIds]) {
      for (const action of [
        'sqs:SetQueueAttributes',
        'sqs:GetQueueAttributes',
        'sqs:DeleteQueue',
        'sqs:TagQueue',
      ]) {
        expect(as(ADMIN, ADMIN_IDENTITY).may(action, id)).toBe('allowed');
      }
    }
  });

  it('nothing is reachable over plain HTTP, not even by the roles that may use the queues', () => {
    expect(as(drift).may('sqs:SendMessage', verdicts, false)).toBe('explicitly denied');
    expect(as(remediator).may('sqs:ReceiveMessage', verdicts, false)).toBe('explicitly denied');
  });
});

describe('the Slack webhook’s dead-letter queue', () => {
  const stack = oneAccount;
  const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, Resource> };
  const webhook = stack.notifications.webhook as NonNullable<GatewatchStack['notifications']['webhook']>;
  const id = logicalIdOf(webhook.deadLetterQueue);
  const webhookRole: Caller = {
    principalArn: roleArn(logicalIdOf(webhook.function.role as iam.IRole)),
  };
  const topicArn = Stack.of(stack).resolve(stack.notifications.topic.topicArn) as unknown;

  it('takes failed invocations from the webhook function and failed deliveries from SNS, for this topic only', () => {
    expect(decide(template, id, { caller: webhookRole, action: 'sqs:SendMessage' })).toBe('allowed');
    const sns = (sourceArn: string): Caller => ({ service: 'sns.amazonaws.com', sourceArn });
    const ownTopic = `ref:${(topicArn as { Ref: string }).Ref}`;
    expect(decide(template, id, { caller: sns(ownTopic), action: 'sqs:SendMessage' })).toBe('allowed');
    expect(
      decide(template, id, {
        caller: sns(`arn:aws:sns:eu-west-1:${ACCOUNT}:someone-elses-topic`),
        action: 'sqs:SendMessage',
      }),
    ).toBe('not allowed');
    expect(decide(template, id, { caller: ADMIN, action: 'sqs:SendMessage', identity: ADMIN_IDENTITY })).toBe(
      'explicitly denied',
    );
  });
});

describe('the member template', () => {
  it('holds only the forwarding dead-letter queue, which no principal of the account may write or read', () => {
    const member = organization.node.findChild('Member').node.findChild('GatewatchMember') as Stack;
    const template = Template.fromStack(member).toJSON() as { Resources: Record<string, Resource> };
    const queues = Object.entries(template.Resources).filter(
      ([, resource]) => resource.Type === 'AWS::SQS::Queue',
    );
    expect(queues.map(([id]) => id)).toEqual([expect.stringMatching(/^Forwarding.*DeadLetters/)]);
    for (const [id] of queues) {
      for (const action of ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:PurgeQueue']) {
        expect(decide(template, id, { caller: ADMIN, action, secure: true, identity: ADMIN_IDENTITY })).toBe(
          'explicitly denied',
        );
      }
    }
  });
});

describe('the operators of a deployment', () => {
  it('are the IAM principals of the queueOperators context value; anything else fails synthesis', () => {
    const read = (value: unknown) => queueOperators(newApp({ queueOperators: value }));
    expect(read(undefined)).toEqual([]);
    expect(read(`${OPERATOR}, arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/*`)).toEqual([
      OPERATOR,
      `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/*`,
    ]);
    expect(() => read('*')).toThrow(/queueOperators: expected IAM role or user ARNs/);
    expect(() => read('platform-oncall')).toThrow(/"platform-oncall"/);
  });
});
