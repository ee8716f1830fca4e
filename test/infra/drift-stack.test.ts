// The one-account stack as CloudFormation sees it: the EventBridge patterns come from the event
// catalog (every catalogued event reaches the drift function), the function only reads, nothing
// is lost on failure, and cdk-nag's AWS Solutions checks pass with every acknowledgement explained.
import { App, type CfnElement, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import flags from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks } from 'cdk-nag';
import { eventCatalog } from '../../events/catalog';
import { eventBridgeSources } from '../../infra/event-patterns';
import { GatewatchStack } from '../../infra/gatewatch-stack';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

/** Tests do not read cdk.json: the recommended flags are passed as they are; bundling is skipped. */
function newApp(): App {
  return new App({
    context: { ...flags, 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
  });
}

function synth(): { stack: GatewatchStack; template: Template } {
  const stack = new GatewatchStack(newApp(), 'Gatewatch');
  return { stack, template: Template.fromStack(stack) };
}

const { stack, template } = synth();
const resources = (type: string) => Object.entries(template.findResources(type) as Record<string, Resource>);
const only = (type: string): [string, Resource] => {
  const found = resources(type);
  expect(found).toHaveLength(1);
  return found[0] as [string, Resource];
};
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

// The stack holds other functions (the Config evaluator, …): the drift function is the one the rules target.
const driftFunction = resources('AWS::Lambda::Function').filter(([, candidate]) =>
  String(candidate.Properties.Description).startsWith('gatewatch drift detection'),
);
expect(driftFunction).toHaveLength(1);
const [functionId, fn] = driftFunction[0] as [string, Resource];
// The drift function's own dead-letter queue (remediation and notifications have queues too).
const queueId = stack.getLogicalId(stack.drift.deadLetterQueue.node.defaultChild as CfnElement);
// The queue the rules put events on, which the drift function consumes.
const driftQueueId = stack.getLogicalId(stack.drift.queue.node.defaultChild as CfnElement);
const verdictsQueueId = stack.getLogicalId(stack.remediation.verdictsQueue.node.defaultChild as CfnElement);
const [tableId] = only('AWS::DynamoDB::Table');
const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
const statements: Statement[] = resources('AWS::IAM::Policy')
  .filter(([, policy]) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
  .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
const actions = statements.flatMap((statement) => asList(statement.Action));

describe('EventBridge rules', () => {
  const rules = resources('AWS::Events::Rule').map(([, rule]) => rule.Properties);

  it('cover every catalogued event, under its own source, and only successful calls', () => {
    // Prepare
    const patterns = rules.map(
      (rule) =>
        rule.EventPattern as {
          source: string[];
          'detail-type': string[];
          detail: { eventSource: string[]; eventName: string[]; errorCode: unknown };
        },
    );
    // Assess
    for (const entry of eventCatalog) {
      const covering = patterns.filter(
        (pattern) =>
          pattern.source.includes(eventBridgeSources[entry.eventSource]) &&
          pattern.detail.eventSource.includes(entry.eventSource) &&
          pattern.detail.eventName.includes(entry.eventName),
      );
      expect({ event: `${entry.eventSource} ${entry.eventName}`, rules: covering.length }).toEqual({
        event: `${entry.eventSource} ${entry.eventName}`,
        rules: 1,
      });
    }
    for (const pattern of patterns) {
      expect(pattern['detail-type']).toEqual(['AWS API Call via CloudTrail']);
      expect(pattern.detail.errorCode).toEqual([{ exists: false }]);
    }
  });

  it('match no event the catalog does not list', () => {
    const catalogued = new Set(eventCatalog.map((entry) => `${entry.eventSource} ${entry.eventName}`));
    const matched = rules.flatMap((rule) => {
      const { detail } = rule.EventPattern as { detail: { eventSource: string[]; eventName: string[] } };
      return detail.eventSource.flatMap((source) => detail.eventName.map((name) => `${source} ${name}`));
    });
    expect(matched.filter((event) => !catalogued.has(event))).toEqual([]);
  });

  it('deliver to the drift queue with retries, then to the dead-letter queue', () => {
    expect(rules.length).toBeGreaterThanOrEqual(Object.keys(eventBridgeSources).length);
    for (const rule of rules) {
      expect(rule.Targets).toEqual([
        expect.objectContaining({
          Arn: { 'Fn::GetAtt': [driftQueueId, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
          RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: expect.any(Number) },
        }),
      ]);
    }
  });
});

describe('drift function', () => {
  it('runs on Node.js 24 on ARM64 with its own log group and the baseline table', () => {
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.queueHandler',
      Environment: {
        Variables: {
          BASELINE_TABLE: { Ref: tableId },
          GATEWATCH_BUDGET_TABLE: { Ref: tableId },
          GATEWATCH_BUDGET_ACCOUNT: { Ref: 'AWS::AccountId' },
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
    const logGroupId = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
    expect(template.toJSON().Resources[logGroupId]?.Type).toBe('AWS::Logs::LogGroup');
    expect(fn.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: logGroupId } });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
  });

  it('consumes the drift queue two batches at most at a time; a message failed five times is dead-lettered', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId },
      EventSourceArn: { 'Fn::GetAtt': [driftQueueId, 'Arn'] },
      ScalingConfig: { MaximumConcurrency: 2 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const queue = template.toJSON().Resources[driftQueueId] as Resource;
    expect(queue.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] }, maxReceiveCount: 5 },
    });
    // Nothing invokes the function but its queue: no asynchronous invocation to configure.
    expect(
      resources('AWS::Lambda::EventInvokeConfig').map(([, config]) => config.Properties.FunctionName),
    ).not.toContainEqual({
      Ref: functionId,
    });
  });

  it('has no managed policy: only what its own inline policy grants', () => {
    const role = template.toJSON().Resources[roleId] as Resource;
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies).toBeUndefined();
    expect(fn.DependsOn).toEqual(expect.arrayContaining([roleId]));
  });

  it('reads API Gateway, WAF and log groups and its queue, writes only its table, logs and verdicts', () => {
    expect([...new Set(actions.filter((action) => !action.startsWith('dynamodb:')))].sort()).toEqual([
      'apigateway:GET',
      'cloudtrail:DescribeTrails',
      'cloudtrail:GetEventSelectors',
      'cloudtrail:GetTrailStatus',
      'config:StartConfigRulesEvaluation',
      'iam:GetRole',
      'logs:CreateLogStream',
      'logs:DescribeLogGroups',
      'logs:DescribeResourcePolicies',
      'logs:PutLogEvents',
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
      'sqs:SendMessage',
      'wafv2:GetWebACL',
      'wafv2:ListResourcesForWebACL',
    ]);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    expect(actions).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^apigateway:(PATCH|POST|PUT|DELETE)$/)]),
    );
    expect(statements.every((statement) => statement.Effect === 'Allow')).toBe(true);
  });

  it('scopes apigateway:GET to REST APIs, HTTP/WebSocket APIs, custom domains and the account', () => {
    const get = statements.filter((statement) => asList(statement.Action).includes('apigateway:GET'));
    expect(get).toHaveLength(1);
    const arns = asList(get[0]?.Resource).map((arn) => (arn as { 'Fn::Sub': string })['Fn::Sub']);
    const prefix = `arn:\${AWS::Partition}:apigateway:\${AWS::Region}::`;
    expect(arns.sort()).toEqual(
      ['/account', '/apis*', '/domainnames*', '/restapis*'].map((path) => `${prefix}${path}`),
    );
  });

  it('reaches the baseline table, its own queue and the verdicts queue only', () => {
    const dynamo = statements.filter((statement) =>
      asList(statement.Action).some((action) => action.startsWith('dynamodb:')),
    );
    // The table's state and events, and its call budget's items.
    expect(
      new Set(dynamo.flatMap((statement) => asList(statement.Resource)).map((arn) => JSON.stringify(arn))),
    ).toEqual(new Set([JSON.stringify({ 'Fn::GetAtt': [tableId, 'Arn'] })]));
    const sends = statements.filter((statement) => asList(statement.Action).includes('sqs:SendMessage'));
    // The verdicts queue the remediator reads.
    expect(sends.flatMap((statement) => asList(statement.Resource))).toEqual([
      { 'Fn::GetAtt': [verdictsQueueId, 'Arn'] },
    ]);
    const receives = statements.filter((statement) =>
      asList(statement.Action).includes('sqs:ReceiveMessage'),
    );
    expect(receives.flatMap((statement) => asList(statement.Resource))).toEqual([
      { 'Fn::GetAtt': [driftQueueId, 'Arn'] },
    ]);
    // Only listing the region's trails takes no resource (the logging path's first read).
    for (const statement of statements.filter(
      (s) => asList(s.Action).join() !== 'cloudtrail:DescribeTrails',
    )) {
      expect(asList(statement.Resource)).not.toContain('*');
    }
  });
});

describe('baseline table', () => {
  it('is on demand, keyed pk/sk, expires items, keeps backups and outlives the stack', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      },
    });
  });
});

describe('dead-letter queue', () => {
  it('is encrypted, keeps messages 14 days and refuses requests without TLS', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('accepts events from the drift rules only', () => {
    const [, policy] = resources('AWS::SQS::QueuePolicy').find(
      ([, candidate]) => JSON.stringify(candidate.Properties.Queues) === JSON.stringify([{ Ref: queueId }]),
    ) as [string, Resource];
    const allows = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement.filter(
      (statement) => statement.Effect === 'Allow',
    );
    expect(allows.length).toBe(resources('AWS::Events::Rule').length);
    for (const allow of allows) {
      expect(allow).toMatchObject({
        Action: 'sqs:SendMessage',
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': expect.anything() } },
      });
    }
  });
});

describe('cdk-nag AWS Solutions', () => {
  it('passes: every finding is fixed or acknowledged with a reason', () => {
    // Prepare
    const app = newApp();
    new GatewatchStack(app, 'Gatewatch');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    // Act, Assess
    expect(() => app.synth()).not.toThrow();
  });

  it('is live: an unacknowledged finding fails synthesis', () => {
    // Prepare
    const app = newApp();
    const gatewatch = new GatewatchStack(app, 'Gatewatch');
    new sqs.Queue(gatewatch, 'PlainQueue');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    // Act, Assess
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
  });
});

it('names its stack resources through its constructs', () => {
  expect(stack.drift.rules.length).toBe(resources('AWS::Events::Rule').length);
  expect(resources('AWS::DynamoDB::Table').map(([id]) => id)).toContain(
    stack.getLogicalId(stack.baseline.table.node.defaultChild as CfnElement),
  );
});
