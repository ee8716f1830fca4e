// The remediator in the stack: its own role holds exactly the write actions the rule
// declarations list (derived, not typed again), plus reads, its table and its queues; no other
// function can write to API Gateway or WAF; verdicts flow drift → queue → remediator →
// notifications queue, with dead-letter queues behind both queues.
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import flags from 'aws-cdk-lib/recommended-feature-flags.json';
import { GatewatchStack } from '../../infra/gatewatch-stack';
import { catalog } from '../../rules/index';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

const app = new App({
  context: { ...flags, 'aws:cdk:bundling-stacks': [] },
  builtinCloudFormationValidation: false,
});
const stack = new GatewatchStack(app, 'Gatewatch');
const template = Template.fromStack(stack);
const logicalId = (construct: { node: { defaultChild?: unknown } } | CfnElement) =>
  Stack.of(stack).getLogicalId(
    ('node' in construct && (construct.node.defaultChild as CfnElement | undefined)) ||
      (construct as CfnElement),
  );
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const policies = Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Resource>);
const statementsOf = (roleId: string): Statement[] =>
  policies
    .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
const actionsOf = (roleId: string) =>
  new Set(statementsOf(roleId).flatMap((statement) => asList(statement.Action)));

const remediatorRole = logicalId(stack.remediation.role);
const driftRole = (template.toJSON().Resources[logicalId(stack.drift.function)] as Resource).Properties
  .Role as {
  'Fn::GetAtt': [string, string];
};
const declared = new Set(
  catalog.flatMap((rule) => (rule.remediation?.calls ?? []).flatMap((call) => call.iamActions)),
);
const WRITES =
  /^(apigateway:(PATCH|POST|PUT|DELETE|SetWebACL)|wafv2:(Associate|Disassociate|Update|Put|Create|Delete).*|iam:PassRole)$/;

describe('the remediator role', () => {
  it('holds exactly the declared remediation actions, reads, its table, its queues and its logs', () => {
    const expected = new Set([
      ...declared,
      'apigateway:GET',
      'wafv2:GetWebACL',
      'wafv2:ListResourcesForWebACL',
      'logs:DescribeLogGroups',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      // The logging path (infra/constructs/read-permissions.ts), read again before acting.
      'cloudtrail:DescribeTrails',
      'cloudtrail:GetTrailStatus',
      'cloudtrail:GetEventSelectors',
      'logs:DescribeResourcePolicies',
      'iam:GetRole',
    ]);
    const actual = [...actionsOf(remediatorRole)].filter(
      (action) => !action.startsWith('dynamodb:') && !action.startsWith('sqs:'),
    );
    expect(actual.sort()).toEqual([...expected].sort());
    expect([...actionsOf(remediatorRole)].filter((action) => action.startsWith('sqs:')).sort()).toEqual([
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
      'sqs:SendMessage',
    ]);
  });

  it('passes only the CloudWatch Logs role gatewatch deploys, and only to API Gateway', () => {
    const passRole = statementsOf(remediatorRole).filter((statement) =>
      asList(statement.Action).includes('iam:PassRole'),
    );
    expect(passRole).toEqual([
      expect.objectContaining({
        Resource: { 'Fn::GetAtt': [logicalId(stack.remediation.cloudWatchRole), 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'apigateway.amazonaws.com' } },
      }),
    ]);
    const cloudWatchRole = template.toJSON().Resources[
      logicalId(stack.remediation.cloudWatchRole)
    ] as Resource;
    expect(cloudWatchRole.Properties.AssumeRolePolicyDocument).toMatchObject({
      Statement: [{ Action: 'sts:AssumeRole', Principal: { Service: 'apigateway.amazonaws.com' } }],
    });
  });

  it('scopes API Gateway writes to resource paths and never grants a write on every resource', () => {
    for (const statement of statementsOf(remediatorRole)) {
      if (asList(statement.Action).some((action) => WRITES.test(action))) {
        expect(asList(statement.Resource)).not.toContain('*');
      }
    }
  });

  it('is the only role that may write to API Gateway or WAF', () => {
    const roles = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => id !== remediatorRole);
    for (const role of roles) {
      expect({ role, writes: [...actionsOf(role)].filter((action) => WRITES.test(action)) }).toEqual({
        role,
        writes: [],
      });
    }
  });

  it("knows its own ARN (no loops) and gatewatch's CloudWatch Logs role", () => {
    const fn = template.toJSON().Resources[logicalId(stack.remediation.function)] as Resource;
    expect(fn.Properties.Environment).toEqual({
      Variables: expect.objectContaining({
        GATEWATCH_ROLE_ARN: { 'Fn::GetAtt': [remediatorRole, 'Arn'] },
        CLOUDWATCH_ROLE_ARN: { 'Fn::GetAtt': [logicalId(stack.remediation.cloudWatchRole), 'Arn'] },
        NOTIFICATIONS_QUEUE_URL: expect.anything(),
        BASELINE_TABLE: expect.anything(),
      }),
    });
  });
});

describe('the drift path to the remediator', () => {
  const verdicts = logicalId(stack.remediation.verdictsQueue);

  it('lets the drift function only send to the verdicts queue', () => {
    const drift = template.toJSON().Resources[logicalId(stack.drift.function)] as Resource;
    expect(
      (drift.Properties.Environment as { Variables: Record<string, unknown> }).Variables.VERDICTS_QUEUE_URL,
    ).toEqual({
      Ref: verdicts,
    });
    const toVerdicts = statementsOf(driftRole['Fn::GetAtt'][0]).filter((statement) =>
      JSON.stringify(statement.Resource).includes(verdicts),
    );
    expect(toVerdicts).toEqual([expect.objectContaining({ Action: 'sqs:SendMessage' })]);
  });

  it('delivers verdicts in batches, reporting failed messages one by one', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [verdicts, 'Arn'] },
      FunctionName: { Ref: logicalId(stack.remediation.function) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
  });

  it('dead-letters a message after three failed receives, on both queues', () => {
    for (const queue of [stack.remediation.verdictsQueue, stack.remediation.notificationsQueue]) {
      const properties = (template.toJSON().Resources[logicalId(queue as never)] as Resource).Properties;
      expect(properties).toMatchObject({
        SqsManagedSseEnabled: true,
        RedrivePolicy: { maxReceiveCount: 3, deadLetterTargetArn: expect.anything() },
      });
    }
  });
});
