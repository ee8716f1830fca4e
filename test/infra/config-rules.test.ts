// The AWS Config side of the stack as CloudFormation sees it: one Config rule per catalog rule,
// generated from the catalog; one evaluator that reads and writes only evaluations; the drift
// function allowed to ask for re-evaluation; and a recorder only when asked for one.
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import flags from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks } from 'cdk-nag';
import { itemResourceTypes } from '../../aws/config/items';
import { GatewatchStack } from '../../infra/gatewatch-stack';
import { ALSO_PERIODIC } from '../../pipeline/config/definitions';
import { resourceKinds } from '../../rules/core/resources';
import { catalog } from '../../rules/index';
import { idempotencyStatement } from '../support/infra';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

function newApp(context: Record<string, unknown> = {}): App {
  return new App({
    context: { ...flags, 'aws:cdk:bundling-stacks': [], ...context },
    builtinCloudFormationValidation: false,
  });
}

const template = Template.fromStack(new GatewatchStack(newApp(), 'Gatewatch'));
const resources = (type: string) => Object.entries(template.findResources(type) as Record<string, Resource>);
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const rules = resources('AWS::Config::ConfigRule').map(([, rule]) => rule.Properties);
const ruleNamed = (name: string) => rules.find((rule) => rule.ConfigRuleName === name);
const [evaluatorId, evaluator] = resources('AWS::Lambda::Function').find(([, fn]) =>
  String(fn.Properties.Description).includes('AWS Config evaluator'),
) as [string, Resource];
const [, drift] = resources('AWS::Lambda::Function').find(([, fn]) =>
  String(fn.Properties.Description).startsWith('gatewatch drift detection'),
) as [string, Resource];

function statementsOf(fn: Resource): Statement[] {
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return resources('AWS::IAM::Policy')
    .filter(([, policy]) =>
      (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId),
    )
    .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

describe('Config rules', () => {
  it('one per catalog rule, named gatewatch-<rule id>, naming the rule in its input parameters', () => {
    expect(rules).toHaveLength(catalog.length);
    for (const rule of catalog) {
      expect(ruleNamed(`gatewatch-${rule.id}`)?.InputParameters).toEqual({ ruleId: rule.id });
    }
  });

  it('scoped to the resource types each rule judges, served by the evaluator', () => {
    for (const rule of catalog) {
      const types = resourceKinds[rule.resource as keyof typeof resourceKinds].configResourceTypes;
      const properties = ruleNamed(`gatewatch-${rule.id}`);
      expect(properties?.Scope).toEqual(types.length > 0 ? { ComplianceResourceTypes: types } : undefined);
      expect(properties?.Source).toMatchObject({
        Owner: 'CUSTOM_LAMBDA',
        SourceIdentifier: { 'Fn::GetAtt': [evaluatorId, 'Arn'] },
      });
    }
  });

  it('change-triggered where Config records the type; also periodic where a rule needs it', () => {
    const messageTypes = (id: string) => {
      const source = ruleNamed(`gatewatch-${id}`)?.Source as { SourceDetails: { MessageType: string }[] };
      return source.SourceDetails.map((detail) => detail.MessageType);
    };
    expect(messageTypes('rest-stage-xray-tracing')).toEqual([
      'ConfigurationItemChangeNotification',
      'OversizedConfigurationItemChangeNotification',
    ]);
    for (const id of [
      'api-unused',
      'rest-method-authorization',
      'v2-route-authorization',
      ...Object.keys(ALSO_PERIODIC),
    ]) {
      expect(messageTypes(id)).toContain('ScheduledNotification');
      expect(ruleNamed(`gatewatch-${id}`)?.MaximumExecutionFrequency).toBe('TwentyFour_Hours');
    }
    expect(messageTypes('account-cloudwatch-role')).toEqual(['ScheduledNotification']);
  });

  it('Config may invoke the evaluator for this account only, before any rule exists', () => {
    const permissions = resources('AWS::Lambda::Permission').filter(
      ([, permission]) => permission.Properties.Principal === 'config.amazonaws.com',
    );
    expect(permissions).toHaveLength(1);
    const [permissionId, permission] = permissions[0] as [string, Resource];
    expect(permission.Properties).toMatchObject({
      FunctionName: { 'Fn::GetAtt': [evaluatorId, 'Arn'] },
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
    for (const [, rule] of resources('AWS::Config::ConfigRule'))
      expect(rule.DependsOn).toContain(permissionId);
  });
});

describe('the evaluator', () => {
  const statements = statementsOf(evaluator);
  const actions = statements.flatMap((statement) => asList(statement.Action));

  it('reads, and writes nothing but evaluations, its call budget (and its failures to its dead-letter queue)', () => {
    const sends = statements.filter((statement) => asList(statement.Action).includes('sqs:SendMessage'));
    const [queueId] =
      resources('AWS::SQS::Queue').find(([id]) => id.startsWith('ConfigRulesDeadLetters')) ?? [];
    expect(sends).toEqual([
      { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: { 'Fn::GetAtt': [queueId, 'Arn'] } },
    ]);
    expect([...new Set(actions)].filter((action) => action !== 'sqs:SendMessage').sort()).toEqual([
      'apigateway:GET',
      'cloudtrail:DescribeTrails',
      'cloudtrail:GetEventSelectors',
      'cloudtrail:GetTrailStatus',
      'cloudwatch:GetMetricData',
      'config:GetComplianceDetailsByConfigRule',
      'config:GetResourceConfigHistory',
      'config:PutEvaluations',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'iam:GetRole',
      'logs:CreateLogStream',
      'logs:DescribeLogGroups',
      'logs:DescribeResourcePolicies',
      'logs:PutLogEvents',
      'wafv2:GetWebACL',
      'wafv2:ListResourcesForWebACL',
    ]);
    expect(statements.every((statement) => statement.Effect === 'Allow')).toBe(true);
    // The table's budget items only (keys budget#account#region) and its own idempotency records
    // (partition idempotency#config), never the baseline's state.
    const [tableId] = resources('AWS::DynamoDB::Table')[0] ?? [];
    const items = statements.filter((statement) =>
      asList(statement.Action).some((action) => action.startsWith('dynamodb:')),
    );
    expect(items).toHaveLength(2);
    expect(items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['budget#*'] } },
        }),
        idempotencyStatement(tableId as string, 'config'),
      ]),
    );
    expect(evaluator.Properties.Environment).toMatchObject({
      Variables: { BASELINE_TABLE: { Ref: tableId } },
    });
  });

  it('lists the results of its own rules only', () => {
    const [statement] = statements.filter((candidate) =>
      asList(candidate.Action).includes('config:GetComplianceDetailsByConfigRule'),
    );
    expect(asList(statement?.Resource)).toHaveLength(catalog.length);
  });

  it('runs long enough for a periodic run of a region', () => {
    expect(evaluator.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 900,
    });
    template.hasOutput('ConfigEvaluatorArn', { Value: { 'Fn::GetAtt': [evaluatorId, 'Arn'] } });
  });
});

describe('the drift function', () => {
  it('may ask Config to re-evaluate the gatewatch rules, and knows which exist', () => {
    const statements = statementsOf(drift).filter((statement) =>
      asList(statement.Action).includes('config:StartConfigRulesEvaluation'),
    );
    expect(statements).toHaveLength(1);
    expect(asList(statements[0]?.Resource)).toHaveLength(catalog.length);
    const variables = (drift.Properties.Environment as { Variables: Record<string, string> }).Variables;
    expect(variables.CONFIG_RULE_IDS?.split(',')).toEqual(catalog.map((rule) => rule.id));
  });
});

describe('the configuration recorder', () => {
  it('is not created unless asked for: an account has at most one', () => {
    expect(resources('AWS::Config::ConfigurationRecorder')).toHaveLength(0);
  });

  it('when asked, records the API Gateway types only, into an encrypted bucket, before the rules', () => {
    // Prepare
    const withRecorder = Template.fromStack(
      new GatewatchStack(newApp({ createConfigRecorder: 'true' }), 'Gatewatch'),
    );

    // Assess
    withRecorder.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: {
        AllSupported: false,
        IncludeGlobalResourceTypes: false,
        ResourceTypes: [...itemResourceTypes],
        RecordingStrategy: { UseOnly: 'INCLUSION_BY_RESOURCE_TYPES' },
      },
    });
    withRecorder.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
    const recorderId = Object.keys(withRecorder.findResources('AWS::Config::ConfigurationRecorder'))[0];
    for (const rule of Object.values(withRecorder.findResources('AWS::Config::ConfigRule'))) {
      expect((rule as Resource).DependsOn).toContain(recorderId);
    }
  });
});

describe('cdk-nag AWS Solutions', () => {
  it.each([[{}], [{ createConfigRecorder: 'true' }]])('passes with context %j', (context) => {
    const app = newApp(context);
    new GatewatchStack(app, 'Gatewatch');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    expect(() => app.synth()).not.toThrow();
  });
});
