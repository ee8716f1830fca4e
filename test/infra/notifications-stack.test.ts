// Notifications, the dashboard and the alarms as CloudFormation sees them, with the default
// settings and with every notification target configured: one encrypted topic only gatewatch
// publishes to, the notifier fed by a batching queue, the Chatbot configuration and the webhook
// function only when the settings ask for them, a dashboard row per rule, and an alarm for every
// function, every dead-letter queue, CRITICAL drift left standing and slow detection.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import flags from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { GatewatchStack } from '../../infra/gatewatch-stack';
import { catalog } from '../../rules/index';
import { asList, idempotencyStatement, type Statement, statementsOf } from '../support/infra';

type Resource = { Type: string; Properties: Record<string, unknown> };

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:gatewatch/slack-webhook';
const PLATFORM_ADMIN = 'arn:aws:iam::111122223333:role/platform-admin';

function settingsFile(document: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'gatewatch-settings-')), 'settings.json');
  writeFileSync(path, JSON.stringify(document));
  return path;
}

const everything = settingsFile({
  notifications: {
    emails: ['security@tidewater.example'],
    slack: { workspaceId: 'T0EXAMPLE1', channelId: 'C0EXAMPLE1' },
    slackWebhookSecretArn: SECRET_ARN,
    publishers: [PLATFORM_ADMIN],
    operationsEmails: ['platform-oncall@tidewater.example'],
    detectionLatencyAlarmMinutes: 10,
  },
});

/** Tests do not read cdk.json: the recommended flags are passed as they are; bundling is skipped. */
const newApp = (settings?: string) =>
  new App({
    context: { ...flags, 'aws:cdk:bundling-stacks': [], ...(settings ? { settings } : {}) },
    builtinCloudFormationValidation: false,
  });

function synth(settings?: string) {
  const stack = new GatewatchStack(newApp(settings), 'Gatewatch');
  const template = Template.fromStack(stack);
  const resources = (type: string) =>
    Object.entries(template.findResources(type) as Record<string, Resource>).map(([id, resource]) => ({
      id,
      ...resource,
    }));
  return { stack, template, resources };
}

const byDefault = synth();
const configured = synth(everything);

const ref = (id: string) => ({ Ref: id });
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
/** The logical id of an L2 construct's CloudFormation resource. */
const idOf = (construct: IConstruct, _template?: Template, _type?: string): string =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);

describe('the notification topic', () => {
  const { stack, template } = byDefault;
  const topicId = idOf(stack.notifications.topic, template, 'AWS::SNS::Topic');
  const keyId = idOf(stack.notifications.key, template, 'AWS::KMS::Key');
  const roleId = idOf(stack.notifications.notifierRole, template, 'AWS::IAM::Role');

  it('is encrypted with a rotating customer managed key', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: arnOf(keyId) });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('denies publishing to everyone but the notifier, and everything over plain HTTP', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [ref(topicId)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          {
            Sid: 'OnlyGatewatchPublishes',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'sns:Publish',
            Resource: ref(topicId),
            Condition: { ArnNotEquals: { 'aws:PrincipalArn': [arnOf(roleId)] } },
          },
        ]),
      },
    });
  });

  it('also lets the principals the settings name publish (gatewatch replay --notify)', () => {
    const { stack: full, template: fullTemplate } = configured;
    fullTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [ref(idOf(full.notifications.topic, fullTemplate, 'AWS::SNS::Topic'))],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'OnlyGatewatchPublishes',
            Condition: {
              ArnNotEquals: {
                'aws:PrincipalArn': [
                  arnOf(idOf(full.notifications.notifierRole, fullTemplate, 'AWS::IAM::Role')),
                  PLATFORM_ADMIN,
                ],
              },
            },
          }),
        ]),
      },
    });
  });

  it('sends e-mail to the addresses in the settings', () => {
    expect(byDefault.resources('AWS::SNS::Subscription')).toEqual([]);
    configured.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'security@tidewater.example',
    });
  });
});

describe('the notifier', () => {
  const { stack, template } = byDefault;
  const queueId = idOf(stack.notifications.queue, template, 'AWS::SQS::Queue');
  const functionId = idOf(stack.notifications.notifier, template, 'AWS::Lambda::Function');

  it('reads the notifications queue in batches gathered over 5 seconds, reporting failed messages', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: arnOf(queueId),
      FunctionName: ref(functionId),
      MaximumBatchingWindowInSeconds: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }),
      SqsManagedSseEnabled: true,
    });
  });

  it('is what the remediator sends verdicts to', () => {
    const remediator = byDefault
      .resources('AWS::Lambda::Function')
      .find((fn) => fn.id === idOf(stack.remediation.function));
    expect(remediator?.Properties.Environment).toEqual({
      Variables: expect.objectContaining({ NOTIFICATIONS_QUEUE_URL: ref(queueId) }),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [ref(idOf(stack.remediation.role))],
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: arnOf(queueId) },
        ]),
      },
    });
  });

  it('publishes to the topic and keeps its ledger and its idempotency records in the baseline table, with nothing more', () => {
    const roleId = idOf(stack.notifications.notifierRole, template, 'AWS::IAM::Role');
    const policies = byDefault
      .resources('AWS::IAM::Policy')
      .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    const statements = policies.flatMap((statement) => [statement.Action].flat());
    expect(statements.sort()).toEqual(
      [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        // Its own idempotency records (one per message published).
        'dynamodb:PutItem',
        'dynamodb:GetItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'kms:Decrypt',
        'kms:GenerateDataKey*',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sns:Publish',
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
      ].sort(),
    );
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          TOPIC_ARN: ref(idOf(stack.notifications.topic, template, 'AWS::SNS::Topic')),
          BASELINE_TABLE: Match.anyValue(),
        }),
      },
    });
    // Update and delete only under the notifier's own partition.
    const tableId = idOf(stack.baseline.table, template, 'AWS::DynamoDB::Table');
    expect(
      policies.filter((statement) =>
        [statement.Action].flat().some((action) => /^dynamodb:(UpdateItem|DeleteItem)$/.test(action)),
      ),
    ).toEqual([idempotencyStatement(tableId, 'notify')]);
  });
});

describe('Slack', () => {
  it('has no Chatbot configuration and no webhook function unless the settings name them', () => {
    expect(byDefault.resources('AWS::Chatbot::SlackChannelConfiguration')).toEqual([]);
    expect(byDefault.stack.notifications.webhook).toBeUndefined();
    expect(byDefault.stack.notifications.chat).toBeUndefined();
  });

  it("configures Chatbot on its own topic, which the notifier fills in Chatbot's format, with a deny-all guardrail", () => {
    const { stack, template } = configured;
    const chatTopic = idOf(stack.notifications.chat?.topic as never, template, 'AWS::SNS::Topic');
    template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SlackWorkspaceId: 'T0EXAMPLE1',
      SlackChannelId: 'C0EXAMPLE1',
      SnsTopicArns: [ref(chatTopic)],
      GuardrailPolicies: [Match.anyValue()],
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CHAT_TOPIC_ARN: ref(chatTopic) }) },
    });
  });

  it('subscribes the webhook function, which reads only its secret and its own idempotency records, retries, and dead-letters', () => {
    const { stack, template, resources } = configured;
    const webhook = stack.notifications.webhook;
    if (!webhook) throw new Error('expected a webhook function');
    const functionId = idOf(webhook.function, template, 'AWS::Lambda::Function');
    const dlqId = idOf(webhook.deadLetterQueue, template, 'AWS::SQS::Queue');

    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SLACK_WEBHOOK_SECRET_ARN: SECRET_ARN }) },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      Endpoint: arnOf(functionId),
      RedrivePolicy: { deadLetterTargetArn: arnOf(dlqId) },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: ref(functionId),
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: arnOf(dlqId) } },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
            Resource: `${SECRET_ARN}-??????`,
          }),
        ]),
      },
    });
    // What it posted, by SNS message id: its own partition of the baseline table, nothing else of it.
    const webhookStatements = statementsOf(
      template,
      idOf(webhook.function.role as IConstruct, template, 'AWS::IAM::Role'),
    );
    expect(
      webhookStatements.filter((statement) =>
        asList(statement.Action).some((action) => action.startsWith('dynamodb:')),
      ),
    ).toEqual([
      idempotencyStatement(idOf(stack.baseline.table, template, 'AWS::DynamoDB::Table'), 'slack-webhook'),
    ]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          SLACK_WEBHOOK_SECRET_ARN: SECRET_ARN,
          BASELINE_TABLE: Match.anyValue(),
        }),
      },
    });
    expect(JSON.stringify(resources('AWS::Lambda::Function'))).not.toContain('hooks.slack.com');
  });
});

describe('the dashboard', () => {
  const body = JSON.stringify(byDefault.resources('AWS::CloudWatch::Dashboard')[0]?.Properties.DashboardBody);

  it('has the summary row: open non-compliance by severity, drift in 24 h, remediation success, p99 latency', () => {
    for (const title of [
      'Open non-compliance by severity',
      'Drift, last 24 h',
      'Remediation success rate, last 24 h (%)',
      'p99 detection latency (s)',
      'Alarms',
    ]) {
      expect(body).toContain(title);
    }
  });

  it('has a row for every rule of the catalog', () => {
    for (const rule of catalog) {
      expect(body).toContain(`${rule.id}: drift`);
      expect(body).toContain(`${rule.id}: non-compliant resources`);
    }
  });

  it('shows the health of every function and queue in the stack', () => {
    for (const fn of byDefault.resources('AWS::Lambda::Function')) expect(body).toContain(fn.id);
    expect(body).toContain('Dead-letter queues: messages (should be 0)');
    for (const queue of byDefault.resources('AWS::SQS::Queue')) expect(body).toContain(queue.id);
  });

  it('graphs the metrics by the names and dimensions the functions emit them with', () => {
    expect(body).toContain(
      `SEARCH('{gatewatch,ruleId,service,severity} MetricName=\\\\\\"DriftDetected\\\\\\" \\\\\\"rest-stage-waf-attached\\\\\\"', 'Sum', 300)`,
    );
  });
});

describe('the alarms', () => {
  const { stack, template, resources } = configured;
  const alarms = resources('AWS::CloudWatch::Alarm');
  const opsTopic = idOf(stack.alarms.topic, template, 'AWS::SNS::Topic');

  it('watch every function for errors and every dead-letter queue for messages', () => {
    const functions = resources('AWS::Lambda::Function').map((fn) => fn.id);
    const erroring = alarms
      .filter((alarm) => alarm.Properties.MetricName === 'Errors')
      .map((alarm) => (alarm.Properties.Dimensions as { Value: { Ref: string } }[])[0]?.Value.Ref);
    expect(erroring.sort()).toEqual(functions.sort());

    const deadLetterQueues = [
      configured.stack.drift.deadLetterQueue,
      configured.stack.notifications.deadLetterQueue,
      configured.stack.notifications.webhook?.deadLetterQueue,
    ].map((queue) => idOf(queue as never, template, 'AWS::SQS::Queue'));
    const watched = alarms
      .filter((alarm) => alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible')
      .map(
        (alarm) =>
          (alarm.Properties.Dimensions as { Value: { 'Fn::GetAtt': string[] } }[])[0]?.Value['Fn::GetAtt'][0],
      );
    expect(watched).toEqual(expect.arrayContaining(deadLetterQueues));
  });

  it('fire on CRITICAL drift left unremediated and on slow detection, as the settings say', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'gatewatch',
      MetricName: 'DriftNotRemediated',
      Dimensions: [
        { Name: 'service', Value: 'gatewatch-notify' },
        { Name: 'severity', Value: 'CRITICAL' },
      ],
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'gatewatch',
      MetricName: 'DetectionLatency',
      ExtendedStatistic: 'p99',
      Dimensions: [{ Name: 'service', Value: 'gatewatch-drift' }],
      Threshold: 10 * 60_000,
    });
  });

  it('notify the operations topic, which CloudWatch may publish to and encrypt for', () => {
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([ref(opsTopic)]);
      expect(alarm.Properties.OKActions).toEqual([ref(opsTopic)]);
    }
    template.hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: ref(opsTopic),
      Protocol: 'email',
      Endpoint: 'platform-oncall@tidewater.example',
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });
});

describe('cdk-nag AWS Solutions', () => {
  it.each([
    ['the default settings', undefined],
    ['every notification target configured', everything],
  ])('passes with %s', (_, settings) => {
    const app = newApp(settings);
    new GatewatchStack(app, 'Gatewatch');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });
});
