// One account in one command: the app `cdk synth` builds from the settings — the whole stack wired
// together (every function Node.js 24 on ARM64 with its own log group and retention, the
// scheduled sweep feeding the verdicts queue, encryption at rest), least privilege per role
// (read-only evaluators, exactly the declared repairs, a publish-only notifier), the regions
// forwarded to the home region, cdk-nag clean, and invalid settings failing synthesis by name.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { eventCatalog } from '../../events/catalog';
import { eventBridgeSources } from '../../infra/event-patterns';
import { GatewatchEventsStack } from '../../infra/events-stack';
import type { GatewatchStack } from '../../infra/gatewatch-stack';
import { remediationGrants } from '../../pipeline/remediate/permissions';
import { catalog } from '../../rules/index';
import { readSettings } from '../../settings/schema';
import {
  actionsOf,
  appFor,
  asList,
  idempotencyStatement,
  logicalIdOf,
  RESOURCE_WRITES,
  type Resource,
  type Statement,
  settingsFile,
  statementsOf,
  synthesized,
} from '../support/infra';

const ROOT = join(__dirname, '../..');
const stacksOf = (scope: App) =>
  scope.node.children.filter((child) => child instanceof Stack).map((child) => child.node.id);

const app = synthesized();
const stack = app.node.findChild('Gatewatch') as GatewatchStack;
const template = Template.fromStack(stack);
const json = template.toJSON() as { Resources: Record<string, Resource> };
const ofType = (type: string) =>
  Object.entries(json.Resources).filter(([, resource]) => resource.Type === type);
const roleOfFunction = (fn: { node: { defaultChild?: unknown } }) =>
  (
    (json.Resources[logicalIdOf(fn)] as Resource).Properties.Role as {
      'Fn::GetAtt': [string, string];
    }
  )['Fn::GetAtt'][0];

describe('one account', () => {
  it('is one stack, Gatewatch, when the settings name no organization and no other region', () => {
    expect(stacksOf(app)).toEqual(['Gatewatch']);
  });

  it('runs every function on Node.js 24, ARM64, with its own log group kept three months', () => {
    const functions = ofType('AWS::Lambda::Function');
    expect(functions.map(([, fn]) => fn.Properties.Description as string).sort()).toEqual([
      expect.stringMatching(/^gatewatch AWS Config evaluator/),
      expect.stringMatching(/^gatewatch drift detection/),
      expect.stringMatching(/^gatewatch notifications/),
      expect.stringMatching(/^gatewatch remediation/),
      expect.stringMatching(/^gatewatch scheduled sweep/),
    ]);
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
      const logGroup = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(json.Resources[logGroup]?.Properties.RetentionInDays).toBe(90);
    }
  });

  it('encrypts everything it keeps: table, queues, topics', () => {
    for (const [, table] of ofType('AWS::DynamoDB::Table')) {
      expect(table.Properties).toMatchObject({
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      });
    }
    for (const [, queue] of ofType('AWS::SQS::Queue'))
      expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    for (const [, topic] of ofType('AWS::SNS::Topic'))
      expect(topic.Properties.KmsMasterKeyId).toEqual({
        'Fn::GetAtt': [logicalIdOf(stack.notifications.key), 'Arn'],
      });
  });
});

describe('the scheduled sweep', () => {
  const sweep = stack.sweep;
  if (!sweep) throw new Error('the default settings sweep every 6 hours');

  it('is started every 6 hours by EventBridge Scheduler, with retries and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(6 hours)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [logicalIdOf(sweep.function), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 2 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(sweep.deadLetterQueue), 'Arn'] } },
      },
    });
  });

  it('sweeps one account and region per message of its own queue and sends news to the verdicts queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(sweep.queue), 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const fn = json.Resources[logicalIdOf(sweep.function)] as Resource;
    expect(fn.Properties).toMatchObject({ Timeout: 900 });
    expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      VERDICTS_QUEUE_URL: { Ref: logicalIdOf(stack.remediation.verdictsQueue) },
      SWEEP_QUEUE_URL: { Ref: logicalIdOf(sweep.queue) },
    });
  });

  it('is absent when the settings switch it off', () => {
    const off = appFor({ sweep: { everyHours: 0 } }).node.findChild('Gatewatch') as GatewatchStack;
    expect(off.sweep).toBeUndefined();
    expect(Template.fromStack(off).findResources('AWS::Scheduler::Schedule')).toEqual({});
  });
});

describe('least privilege', () => {
  const declared = new Set(
    remediationGrants(catalog, { passableRoles: ['x'] }).flatMap((grant) => grant.actions),
  );

  it('the evaluators — drift, Config evaluator, sweep — change nothing they judge', () => {
    for (const fn of [stack.drift.function, stack.configRules.evaluator, stack.sweep?.function]) {
      const actions = actionsOf(json, roleOfFunction(fn as never));
      expect({
        role: fn?.node.path,
        writes: actions.filter((action) => RESOURCE_WRITES.test(action)),
      }).toEqual({
        role: fn?.node.path,
        writes: [],
      });
    }
  });

  it('the remediator alone changes API Gateway and WAF, with exactly the declared actions', () => {
    const writers = ofType('AWS::IAM::Role').filter(([id]) =>
      actionsOf(json, id).some((action) => RESOURCE_WRITES.test(action) && !action.startsWith('logs:')),
    );
    const remediator = logicalIdOf(stack.remediation.role);
    expect(writers.map(([id]) => id)).toEqual([remediator]);
    const writes = actionsOf(json, remediator).filter((action) => RESOURCE_WRITES.test(action));
    expect(writes).toEqual([...declared].filter((action) => RESOURCE_WRITES.test(action)).sort());
  });

  it('the notifier publishes and keeps its ledger and its idempotency records, nothing else', () => {
    const actions = actionsOf(json, logicalIdOf(stack.notifications.notifierRole));
    expect(actions).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
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
    ]);
    const publish = statementsOf(json, logicalIdOf(stack.notifications.notifierRole)).find((statement) =>
      asList(statement.Action).includes('sns:Publish'),
    ) as Statement;
    expect(JSON.stringify(publish.Resource)).not.toContain('"*"');
    // Updates and deletes only under its own partition of the baseline table.
    const changes = statementsOf(json, logicalIdOf(stack.notifications.notifierRole)).filter((statement) =>
      asList(statement.Action).some((action) => /^dynamodb:(UpdateItem|DeleteItem)$/.test(action)),
    );
    expect(changes).toEqual([idempotencyStatement(logicalIdOf(stack.baseline.table), 'notify')]);
  });
});

describe('IAM and CloudTrail events from us-east-1, when it is not watched', () => {
  const europe = appFor({ regions: ['eu-west-1', 'eu-central-1'] });

  it('adds a us-east-1 stack forwarding only IAM and CloudTrail events (IAM records its calls there)', () => {
    expect(stacksOf(europe)).toEqual([
      'Gatewatch',
      'GatewatchEvents-eu-central-1',
      'GatewatchEvents-us-east-1',
    ]);
    const global = europe.node.findChild('GatewatchEvents-us-east-1') as GatewatchEventsStack;
    const events = Template.fromStack(global).toJSON() as { Resources: Record<string, Resource> };
    const sources = Object.values(events.Resources)
      .filter((resource) => resource.Type === 'AWS::Events::Rule')
      .map((rule) => (rule.Properties.EventPattern as { source: string[] }).source);

    expect(sources).toEqual([['aws.iam'], ['aws.cloudtrail']]);
  });

  it('passes cdk-nag', () => {
    expect(() => europe.synth()).not.toThrow();
  });
});

describe('regions forwarded to the home region', () => {
  const regional = appFor({ regions: ['eu-west-1', 'us-east-1', 'ap-southeast-2'] });
  const home = regional.node.findChild('Gatewatch') as GatewatchStack;
  const homeJson = Template.fromStack(home).toJSON() as { Resources: Record<string, Resource> };

  it('deploys gatewatch in the first region and an events stack in each other one', () => {
    expect(stacksOf(regional)).toEqual([
      'Gatewatch',
      'GatewatchEvents-us-east-1',
      'GatewatchEvents-ap-southeast-2',
    ]);
    expect(home.region).toBe('eu-west-1');
    const forwarder = regional.node.findChild('GatewatchEvents-us-east-1') as GatewatchEventsStack;
    expect(forwarder).toBeInstanceOf(GatewatchEventsStack);
    expect(forwarder.region).toBe('us-east-1');
  });

  it('forwards every catalogued event to the home region’s default bus, with a put-only role', () => {
    const forwarder = regional.node.findChild('GatewatchEvents-us-east-1') as GatewatchEventsStack;
    const events = Template.fromStack(forwarder).toJSON() as { Resources: Record<string, Resource> };
    const rules = Object.values(events.Resources).filter((resource) => resource.Type === 'AWS::Events::Rule');
    for (const entry of eventCatalog) {
      expect(
        rules.filter((rule) => {
          const pattern = rule.Properties.EventPattern as {
            source: string[];
            detail: { eventName: string[] };
          };
          return (
            pattern.source.includes(eventBridgeSources[entry.eventSource]) &&
            pattern.detail.eventName.includes(entry.eventName)
          );
        }),
      ).toHaveLength(1);
    }
    const bus = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':events:eu-west-1:',
          { Ref: 'AWS::AccountId' },
          ':event-bus/default',
        ],
      ],
    };
    for (const rule of rules)
      expect(rule.Properties.Targets).toEqual([expect.objectContaining({ Arn: bus })]);
    const roleId = logicalIdOf(forwarder.forwarding.role);
    expect(statementsOf(events, roleId)).toEqual([
      { Action: 'events:PutEvents', Effect: 'Allow', Resource: bus },
    ]);
  });

  it('lets the functions read, and the remediator repair, in every region', () => {
    const driftReads = statementsOf(homeJson, roleOfFunction(home.drift.function))
      .filter((statement) => asList(statement.Action).includes('apigateway:GET'))
      .flatMap((statement) => asList(statement.Resource));
    for (const region of ['eu-west-1', 'us-east-1', 'ap-southeast-2']) {
      expect(JSON.stringify(driftReads)).toContain(`:apigateway:${region}::/restapis*`);
    }
    const repairs = JSON.stringify(statementsOf(homeJson, logicalIdOf(home.remediation.role)));
    expect(repairs).toContain(':apigateway:ap-southeast-2::/restapis/??????????/stages/*');
    // The Config rules are in the home region: their evaluator reads there only.
    const evaluatorReads = JSON.stringify(statementsOf(homeJson, roleOfFunction(home.configRules.evaluator)));
    expect(evaluatorReads).not.toContain('us-east-1');
  });

  it('passes cdk-nag in every stack', () => {
    expect(() => appFor({ regions: ['eu-west-1', 'us-east-1'] }).synth()).not.toThrow();
  });
});

describe('cdk-nag AWS Solutions', () => {
  it('passes for one account: every finding is fixed or acknowledged with a reason', () => {
    expect(() => synthesized().synth()).not.toThrow();
  });
});

describe('settings', () => {
  it('an invalid document fails synthesis naming the field', () => {
    expect(() => appFor({ regions: ['eu-west-1', 'Ireland'] })).toThrow(
      /gatewatch settings: Settings file .* is invalid: regions\.1: expected an AWS region like eu-west-1/,
    );
    expect(() => appFor({ sweep: { everyHours: 48 } })).toThrow(/sweep\.everyHours/);
    expect(() => appFor({ regions: ['eu-west-1', 'eu-west-1'] })).toThrow(
      /regions: eu-west-1 is listed twice/,
    );
  });

  it('refuses gatewatch.config.example.json as it is, naming every REPLACE-ME field to edit', () => {
    const example = JSON.parse(readFileSync(join(ROOT, 'gatewatch.config.example.json'), 'utf8'));

    expect(() => appFor(example)).toThrow(
      new RegExp(
        "gatewatch settings: .* still holds the example's REPLACE-ME values: give your own in " +
          [
            'rules.rest-stage-waf-attached.parameters.defaultWebAclArn',
            'rules.rest-stage-access-logging.parameters.defaultDestinationArn',
            'rules.v2-stage-access-logging.parameters.defaultDestinationArn',
            'exemptions.0.resource',
            'notifications.emails.0',
            'notifications.slack.workspaceId',
            'notifications.slack.channelId',
            'notifications.operationsEmails.0',
          ]
            .map((field) => field.replace(/\./g, '\\.'))
            .join(', '),
      ),
    );
  });

  it('gatewatch.config.example.json, once edited, and examples/settings/organization.json are valid', () => {
    const text = readFileSync(join(ROOT, 'gatewatch.config.example.json'), 'utf8');
    const edited = JSON.parse(
      text
        .replaceAll('REPLACE-ME-account-id', '111122223333')
        .replaceAll('REPLACE-ME-name/REPLACE-ME-id', 'api-baseline/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111')
        .replaceAll('REPLACE-ME-api-id', 'a1b2c3d4e5')
        .replaceAll('REPLACE-ME: the address of the team that owns the APIs', 'api-security@example.com')
        .replaceAll('REPLACE-ME: the address of whoever operates gatewatch', 'platform-oncall@example.com')
        .replaceAll('REPLACE-ME-workspace-id', 'T0123ABCDEF')
        .replaceAll('REPLACE-ME-channel-id', 'C0123ABCDEF'),
    );
    const example = readSettings(settingsFile(edited));
    expect(example.dryRun).toBe(true);
    expect(stacksOf(appFor(edited))).toEqual(['Gatewatch', 'GatewatchEvents-us-east-1']);
    const organization = readSettings(join(ROOT, 'examples/settings/organization.json'));
    expect(organization.organization?.enabled).toBe(true);
    // The example names every deployment field the README documents.
    for (const field of [
      'regions',
      'sweep',
      'exemptions',
      'optOutTagKey',
      'notifications',
      'defaultWebAclArn',
    ]) {
      expect(text).toContain(`"${field}"`);
    }
  });
});
