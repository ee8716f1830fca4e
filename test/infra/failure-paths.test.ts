// Nothing fails silently, in any template the app synthesizes (one account with a forwarded
// region; an organization: central stack, forwarded region, the member template as `cdk synth`
// shows it and as the StackSet carries it): every EventBridge rule and Scheduler target retries
// and dead-letters; every dead-letter queue takes only what its rule sends and is alarmed, the
// alarm notifying someone; every function invoked asynchronously has an on-failure destination;
// the API Gateway logs role outlives its stack; and cdk-nag fails synthesis anywhere, the member
// Stage included.
import { type App, Stack, Stage } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { FORWARDING_RETRY } from '../../infra/constructs/forwarding';
import type { GatewatchOrganizationStack } from '../../infra/organization-stack';
import { appFor, asList, type Resource, type Statement, synthesized } from '../support/infra';

type Template = {
  Resources: Record<string, Resource & { DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
  Outputs?: Record<string, unknown>;
};

const OPERATIONS = 'platform-oncall@example.com';
const oneAccount = {
  regions: ['eu-west-1', 'us-east-1'],
  notifications: { operationsEmails: [OPERATIONS] },
};
const organization = {
  ...oneAccount,
  organization: {
    enabled: true,
    organizationId: 'o-a1b2c3d4e5',
    organizationalUnitIds: ['ou-a1b2-c3d4e5f6'],
    memberRegions: ['eu-west-1', 'us-east-1'],
    configRuleAccounts: ['111122223333'],
  },
};

/** Every stack of the app, nested stages included, by its path; and the StackSet's own copy of the member template. */
function templatesOf(app: App): Record<string, Template> {
  const stacks = app.node.findAll().filter((construct): construct is Stack => construct instanceof Stack);
  const templates: Record<string, Template> = {};
  for (const stack of stacks) {
    const stage = Stage.of(stack) as Stage;
    templates[stack.node.path] = stage.synth().getStackArtifact(stack.artifactId).template as Template;
  }
  const central = app.node.tryFindChild('GatewatchOrganization') as GatewatchOrganizationStack | undefined;
  if (central) templates['StackSet gatewatch-member'] = central.memberTemplate as Template;
  return templates;
}

const all = {
  ...templatesOf(synthesized(oneAccount)),
  ...prefixed('organization', templatesOf(synthesized(organization))),
};
function prefixed(prefix: string, templates: Record<string, Template>): Record<string, Template> {
  return Object.fromEntries(
    Object.entries(templates).map(([name, template]) => [`${prefix}: ${name}`, template]),
  );
}
const names = Object.keys(all);
const ofType = (template: Template, type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
const refOf = (value: unknown): string | undefined => {
  const object = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] } | undefined;
  return object?.Ref ?? object?.['Fn::GetAtt']?.[0];
};

type Target = {
  Arn: unknown;
  DeadLetterConfig?: { Arn: unknown };
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
};

/** The queues a template uses as dead-letter queues, and by what. */
function deadLetterQueues(template: Template): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (queue: unknown, by: string) => {
    const id = refOf(queue);
    if (id) found.set(id, [...(found.get(id) ?? []), by]);
  };
  for (const [id, rule] of ofType(template, 'AWS::Events::Rule'))
    for (const target of asList(rule.Properties.Targets as Target[])) add(target.DeadLetterConfig?.Arn, id);
  for (const [id, schedule] of ofType(template, 'AWS::Scheduler::Schedule'))
    add((schedule.Properties.Target as Target).DeadLetterConfig?.Arn, id);
  for (const [id, config] of ofType(template, 'AWS::Lambda::EventInvokeConfig'))
    add(
      (config.Properties.DestinationConfig as { OnFailure?: { Destination: unknown } })?.OnFailure
        ?.Destination,
      id,
    );
  for (const [id, queue] of ofType(template, 'AWS::SQS::Queue'))
    add(
      (queue.Properties.RedrivePolicy as { deadLetterTargetArn?: unknown } | undefined)?.deadLetterTargetArn,
      id,
    );
  for (const [id, subscription] of ofType(template, 'AWS::SNS::Subscription'))
    add(
      (subscription.Properties.RedrivePolicy as { deadLetterTargetArn?: unknown } | undefined)
        ?.deadLetterTargetArn,
      id,
    );
  return found;
}

describe('every template the app synthesizes', () => {
  it('is walked: one account, its forwarded region, the organization, its member template twice', () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'Gatewatch',
        'GatewatchEvents-us-east-1',
        'organization: GatewatchOrganization',
        'organization: GatewatchEvents-us-east-1',
        'organization: Member/GatewatchMember',
        'organization: StackSet gatewatch-member',
      ]),
    );
  });

  it.each(names)('%s: every AWS::Events::Rule target has DeadLetterConfig and RetryPolicy', (name) => {
    const template = all[name] as Template;
    const rules = ofType(template, 'AWS::Events::Rule');
    for (const [id, rule] of rules) {
      const targets = asList(rule.Properties.Targets as Target[]);
      expect(targets.length).toBeGreaterThan(0);
      for (const target of targets) {
        expect({ id, dlq: refOf(target.DeadLetterConfig?.Arn) }).toEqual({ id, dlq: expect.any(String) });
        expect(template.Resources[refOf(target.DeadLetterConfig?.Arn) as string]?.Type).toBe(
          'AWS::SQS::Queue',
        );
        expect(target.RetryPolicy).toEqual({
          MaximumRetryAttempts: expect.any(Number),
          MaximumEventAgeInSeconds: expect.any(Number),
        });
      }
    }
  });

  it.each(names)(
    '%s: every dead-letter queue of a rule lets EventBridge send only for that rule (aws:SourceArn)',
    (name) => {
      const template = all[name] as Template;
      for (const [ruleId, rule] of ofType(template, 'AWS::Events::Rule')) {
        for (const target of asList(rule.Properties.Targets as Target[])) {
          const queueId = refOf(target.DeadLetterConfig?.Arn) as string;
          const statements = ofType(template, 'AWS::SQS::QueuePolicy')
            .filter(([, policy]) =>
              asList(policy.Properties.Queues as unknown[]).some((queue) => refOf(queue) === queueId),
            )
            .flatMap(
              ([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
            );
          const allows = statements.filter((statement) => statement.Effect === 'Allow');
          const forRule = allows.filter(
            (statement) =>
              JSON.stringify(statement.Principal) === JSON.stringify({ Service: 'events.amazonaws.com' }) &&
              asList(statement.Action).join() === 'sqs:SendMessage' &&
              refOf(statement.Condition?.ArnEquals?.['aws:SourceArn']) === ruleId,
          );
          expect({ ruleId, statements: forRule.length }).toEqual({ ruleId, statements: 1 });
          // Nothing else may send: every Allow names events.amazonaws.com for one rule of this template.
          for (const statement of allows)
            expect(ofType(template, 'AWS::Events::Rule').map(([id]) => id)).toContain(
              refOf(statement.Condition?.ArnEquals?.['aws:SourceArn']),
            );
        }
      }
    },
  );

  it.each(names)('%s: every Scheduler schedule retries and dead-letters', (name) => {
    for (const [, schedule] of ofType(all[name] as Template, 'AWS::Scheduler::Schedule')) {
      const target = schedule.Properties.Target as Target;
      expect(refOf(target.DeadLetterConfig?.Arn)).toEqual(expect.any(String));
      expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 });
    }
  });

  it.each(names)(
    '%s: every function invoked asynchronously has an EventInvokeConfig with OnFailure',
    (name) => {
      const template = all[name] as Template;
      const functions = new Set(ofType(template, 'AWS::Lambda::Function').map(([id]) => id));
      const invokedAsync = new Set<string>();
      const add = (arn: unknown) => {
        const id = refOf(arn);
        if (id && functions.has(id)) invokedAsync.add(id);
      };
      for (const [, rule] of ofType(template, 'AWS::Events::Rule'))
        for (const target of asList(rule.Properties.Targets as Target[])) add(target.Arn);
      for (const [, schedule] of ofType(template, 'AWS::Scheduler::Schedule'))
        add((schedule.Properties.Target as Target).Arn);
      for (const [, rule] of ofType(template, 'AWS::Config::ConfigRule'))
        add((rule.Properties.Source as { SourceIdentifier: unknown }).SourceIdentifier);
      for (const [, subscription] of ofType(template, 'AWS::SNS::Subscription'))
        if (subscription.Properties.Protocol === 'lambda') add(subscription.Properties.Endpoint);
      const withOnFailure = new Set(
        ofType(template, 'AWS::Lambda::EventInvokeConfig')
          .filter(([, config]) =>
            refOf(
              (config.Properties.DestinationConfig as { OnFailure?: { Destination: unknown } })?.OnFailure
                ?.Destination,
            ),
          )
          .map(([, config]) => refOf(config.Properties.FunctionName) as string),
      );
      expect([...invokedAsync].filter((id) => !withOnFailure.has(id))).toEqual([]);
      if (functions.size > 0) expect(invokedAsync.size).toBeGreaterThanOrEqual(2); // the Config evaluator and the sweep (drift reads its queue)
    },
  );

  it.each(names)('%s: every dead-letter queue has an alarm that notifies a topic', (name) => {
    const template = all[name] as Template;
    const alarms = ofType(template, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
    const queues = deadLetterQueues(template);
    for (const [queueId, usedBy] of queues) {
      const watching = alarms.filter(
        (alarm) =>
          alarm.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          asList(alarm.Dimensions as { Name: string; Value: unknown }[]).some(
            (dimension) => dimension.Name === 'QueueName' && refOf(dimension.Value) === queueId,
          ),
      );
      expect({ queueId, usedBy, alarms: watching.length }).toEqual({ queueId, usedBy, alarms: 1 });
      const [alarm] = watching;
      expect(alarm?.Threshold).toBe(1);
      const topicId = refOf(asList(alarm?.AlarmActions as unknown[])[0]);
      expect(template.Resources[topicId as string]?.Type).toBe('AWS::SNS::Topic');
      const subscribed = ofType(template, 'AWS::SNS::Subscription').filter(
        ([, subscription]) =>
          refOf(subscription.Properties.TopicArn) === topicId &&
          subscription.Properties.Endpoint === OPERATIONS,
      );
      expect(subscribed).toHaveLength(1);
    }
  });

  it.each(names)('%s: the API Gateway logs role has DeletionPolicy Retain', (name) => {
    const template = all[name] as Template;
    const logsRoles = ofType(template, 'AWS::IAM::Role').filter(([, role]) =>
      JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('apigateway.amazonaws.com'),
    );
    const stacksWithRole = ['Gatewatch', 'GatewatchOrganization', 'GatewatchMember', 'gatewatch-member'];
    expect(logsRoles).toHaveLength(stacksWithRole.some((stack) => name.endsWith(stack)) ? 1 : 0);
    for (const [, role] of logsRoles) {
      expect(role.DeletionPolicy).toBe('Retain');
      expect(role.UpdateReplacePolicy).toBe('Retain');
    }
  });
});

describe('forwarding', () => {
  it.each(names.filter((name) => /Events-|Member|gatewatch-member/.test(name)))(
    '%s: retries for 24 hours, then dead-letters into its own queue, alarmed to the operations e-mails',
    (name) => {
      const template = all[name] as Template;
      const rules = ofType(template, 'AWS::Events::Rule');
      expect(rules.length).toBeGreaterThan(0);
      const queues = new Set<string>();
      for (const [, rule] of rules)
        for (const target of asList(rule.Properties.Targets as Target[])) {
          expect(target.RetryPolicy).toEqual({
            MaximumRetryAttempts: FORWARDING_RETRY.retryAttempts,
            MaximumEventAgeInSeconds: 86_400,
          });
          queues.add(refOf(target.DeadLetterConfig?.Arn) as string);
        }
      expect(queues.size).toBe(1);
      if (name.includes('ember')) {
        // Not in the central account, whose own stack sees its events: the queue, its alarm and topic come and go together.
        for (const id of [
          ...queues,
          ...ofType(template, 'AWS::CloudWatch::Alarm').map(([alarmId]) => alarmId),
        ])
          expect(template.Resources[id]?.Condition).toBe('NotCentralAccount');
      }
    },
  );
});

describe('the StackSet', () => {
  it('removes a leaving account’s member stack, but the template keeps its logs role', () => {
    const central = all['organization: GatewatchOrganization'] as Template;
    const [[, stackSet] = []] = ofType(central, 'AWS::CloudFormation::StackSet');
    expect(stackSet?.Properties.AutoDeployment).toEqual({
      Enabled: true,
      RetainStacksOnAccountRemoval: false,
    });
    // The member template, published as a file asset of the central stack.
    expect(stackSet?.Properties.TemplateURL).toEqual({
      'Fn::Sub': expect.stringMatching(
        /^https:\/\/s3\.[^/]+\/cdk-\w+-assets-\$\{AWS::AccountId\}-[a-z0-9-]+\/[0-9a-f]{64}\.json$/,
      ),
    });
    const member = all['organization: StackSet gatewatch-member'] as Template;
    const logsRole = ofType(member, 'AWS::IAM::Role').find(([, role]) =>
      JSON.stringify(role.Properties.RoleName ?? '').includes('gatewatch-apigateway-logs-'),
    );
    expect(logsRole?.[1].DeletionPolicy).toBe('Retain');
  });
});

describe('cdk-nag', () => {
  it('fails synthesis on an unacknowledged finding inside the member Stage', () => {
    const app = appFor(organization);
    const member = app.node.findChild('Member').node.findChild('GatewatchMember') as Stack;
    new sqs.Queue(member, 'Unacknowledged');
    expect(() => app.synth()).toThrow(
      /AwsSolutions-SQS3[\s\S]*Member\/GatewatchMember\/Unacknowledged|Member\/GatewatchMember\/Unacknowledged[\s\S]*AwsSolutions-SQS3/,
    );
  });

  it('fails synthesis on an unacknowledged finding in a forwarding stack', () => {
    const app = appFor(oneAccount);
    new sqs.Queue(app.node.findChild('GatewatchEvents-us-east-1') as Stack, 'Unacknowledged');
    expect(() => app.synth()).toThrow(/GatewatchEvents-us-east-1\/Unacknowledged/);
  });
});
