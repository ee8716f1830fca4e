// gatewatch for an organization, as `cdk synth` builds it from settings: the central stack (the
// one-account stack plus the organization bus policy, the Config aggregator, the member roles the
// central functions may assume and the StackSet), and the member template the StackSet deploys.
// Every cross-account trust and policy is scoped to the organization and nothing broader; the
// member roles hold what they say (read-only, exactly the declared repairs).
import { Template } from 'aws-cdk-lib/assertions';
import { eventCatalog } from '../../events/catalog';
import { eventBridgeSources } from '../../infra/event-patterns';
import { GatewatchMemberStack } from '../../infra/member-stack';
import {
  type GatewatchOrganizationStack,
  STACK_SET_NAME,
  TEMPLATE_URL_MAX_BYTES,
} from '../../infra/organization-stack';
import { remediationGrants } from '../../pipeline/remediate/permissions';
import { catalog } from '../../rules/index';
import {
  actionsOf,
  appFor,
  asList,
  logicalIdOf,
  RESOURCE_WRITES,
  type Resource,
  type Statement,
  statementsOf,
  synthesized,
  trustsOf,
} from '../support/infra';

const ORG = 'o-a1b2c3d4e5';
const RULES_ACCOUNT = '111122223333';
const organizationSettings = {
  regions: ['eu-west-1', 'us-east-1'],
  organization: {
    enabled: true,
    organizationId: ORG,
    organizationalUnitIds: ['ou-a1b2-c3d4e5f6', 'ou-a1b2-g7h8i9j0'],
    memberRegions: ['eu-west-1', 'us-east-1'],
    configRuleAccounts: [RULES_ACCOUNT],
  },
};

const app = synthesized(organizationSettings);
const central = app.node.findChild('GatewatchOrganization') as GatewatchOrganizationStack;
const template = Template.fromStack(central);
const json = template.toJSON() as { Resources: Record<string, Resource> };
const stackSet = Object.values(json.Resources).find(
  (resource) => resource.Type === 'AWS::CloudFormation::StackSet',
) as Resource;
const body = JSON.stringify(central.memberTemplate);
const member = JSON.parse(body) as {
  Parameters: Record<string, unknown>;
  Conditions: Record<string, unknown>;
  Resources: Record<string, Resource>;
};
const memberResources = Object.entries(member.Resources);
const memberRole = (name: string) => {
  const found = memberResources.find(
    ([, resource]) =>
      resource.Type === 'AWS::IAM::Role' &&
      JSON.stringify(resource.Properties.RoleName ?? '').includes(`gatewatch-${name}-`),
  );
  if (!found) throw new Error(`no member role ${name}`);
  return found;
};

describe('the app for an organization', () => {
  it('synthesizes the central stack and the member template, not the one-account stack', () => {
    const stacks = app.node.children.map((child) => child.node.id).filter((id) => id !== 'Tree');
    expect(stacks).toEqual(expect.arrayContaining(['GatewatchOrganization', 'Member']));
    expect(stacks).not.toContain('Gatewatch');
    const memberStage = app.node.findChild('Member');
    expect(memberStage.node.findChild('GatewatchMember')).toBeInstanceOf(GatewatchMemberStack);
  });

  it('passes cdk-nag: every finding in the central stack and the member template is fixed or explained', () => {
    // Synthesis runs the checks (infra/app.ts adds them) on every stack, the Member stage's too.
    expect(() => synthesized(organizationSettings).synth()).not.toThrow();
  });
});

describe('the StackSet', () => {
  it('is service-managed, deploys automatically to new accounts of the OUs, in the member regions', () => {
    expect(stackSet.Properties).toMatchObject({
      StackSetName: STACK_SET_NAME,
      PermissionModel: 'SERVICE_MANAGED',
      CallAs: 'DELEGATED_ADMIN',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: ['ou-a1b2-c3d4e5f6', 'ou-a1b2-g7h8i9j0'] },
          Regions: ['eu-west-1', 'us-east-1'],
        },
      ],
    });
    // One account's failure does not stop the others.
    expect(
      (stackSet.Properties.OperationPreferences as { FailureTolerancePercentage: number })
        .FailureTolerancePercentage,
    ).toBeGreaterThan(0);
  });

  it('carries the member template as a file asset (S3), within CloudFormation’s limit', () => {
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(TEMPLATE_URL_MAX_BYTES);
    expect(stackSet.Properties.TemplateBody).toBeUndefined();
    expect(JSON.stringify(stackSet.Properties.TemplateURL)).toMatch(
      /cdk-hnb659fds-assets|AssetParameters|amazonaws/,
    );
    // No bootstrap references: the template deploys in accounts that were never bootstrapped.
    expect(body).not.toMatch(/BootstrapVersion|cdk-hnb659fds|CDKMetadata/);
  });

  it('fills every member parameter from the central stack', () => {
    const given = (stackSet.Properties.Parameters as { ParameterKey: string }[]).map((p) => p.ParameterKey);
    expect(given.sort()).toEqual(Object.keys(member.Parameters).sort());
  });

  it('gives an output for every member parameter, for deploying the member stack by hand', () => {
    const outputs = (template.toJSON() as { Outputs: Record<string, { Value: unknown }> }).Outputs;
    const given = stackSet.Properties.Parameters as { ParameterKey: string; ParameterValue: unknown }[];

    expect(Object.keys(member.Parameters).map((key) => outputs[`Member${key}`]?.Value)).toEqual(
      Object.keys(member.Parameters).map((key) => given.find((p) => p.ParameterKey === key)?.ParameterValue),
    );
    expect(Object.keys(member.Parameters)).toHaveLength(7);
  });

  it('waits for the bus policy and the Config permissions', () => {
    const bus = logicalIdOf({ node: { defaultChild: central.busPolicy } });
    const stackSetEntry = Object.entries(json.Resources).find(([, resource]) => resource === stackSet);
    expect(stackSetEntry?.[1].DependsOn).toEqual(
      expect.arrayContaining([bus, `ConfigInvokeFrom${RULES_ACCOUNT}`]),
    );
  });
});

describe('scoping to the organization', () => {
  it('the central bus takes events from accounts of the organization only', () => {
    template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: {
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
      },
    });
  });

  it('every statement open to any principal, in either template, requires the organization', () => {
    const open: Statement[] = [];
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(collect);
      else if (value && typeof value === 'object') {
        const statement = value as Statement;
        if ('Effect' in statement && 'Principal' in statement) {
          const principal = JSON.stringify(statement.Principal);
          if (statement.Effect === 'Allow' && (principal === '"*"' || principal === '{"AWS":"*"}')) {
            open.push(statement);
          }
        }
        Object.values(value).forEach(collect);
      }
    };
    collect(json);
    collect(member);
    expect(open.length).toBeGreaterThan(0);
    for (const statement of open) {
      expect(statement.Condition?.StringEquals?.['aws:PrincipalOrgID']).toBe(ORG);
    }
  });

  it('every member role trusts the central roles by ARN, within the organization, and nothing else', () => {
    const crossAccount = trustsOf(member).filter(([, statements]) =>
      statements.some((statement) => JSON.stringify(statement.Principal).includes('CentralAccountId')),
    );
    expect(crossAccount.map(([id]) => id).sort()).toEqual(
      [memberRole('reader')[0], memberRole('remediator')[0], memberRole('evaluator')[0]].sort(),
    );
    for (const [, statements] of crossAccount) {
      expect(statements).toHaveLength(1);
      const [trust] = statements as [Statement];
      expect(trust.Condition?.StringEquals).toEqual({ 'aws:PrincipalOrgID': ORG });
      // The central roles' ARNs, as parameters of the member template.
      expect(trust.Condition?.ArnEquals?.['aws:PrincipalArn']).toEqual({
        Ref: expect.stringMatching(/^Central(Reader|Remediator|Evaluator)RoleArns?$/),
      });
    }
    expect(memberRole('remediator')[1].Properties.AssumeRolePolicyDocument).toMatchObject({
      Statement: [{ Condition: { ArnEquals: { 'aws:PrincipalArn': { Ref: 'CentralRemediatorRoleArn' } } } }],
    });
    expect(memberRole('reader')[1].Properties.AssumeRolePolicyDocument).toMatchObject({
      Statement: [{ Condition: { ArnEquals: { 'aws:PrincipalArn': { Ref: 'CentralReaderRoleArns' } } } }],
    });
    // The service roles are for their service, in this account.
    const others = trustsOf(member).filter(([id]) => !crossAccount.some(([other]) => other === id));
    for (const [, statements] of others) {
      for (const statement of statements) expect(JSON.stringify(statement.Principal)).toMatch(/"Service":/);
    }
  });

  it('the central functions may assume only the gatewatch member roles, of accounts in the organization', () => {
    const assumers = Object.values(json.Resources)
      .filter(
        (resource) => resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy',
      )
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((statement) => asList(statement.Action).includes('sts:AssumeRole'));
    // drift, sweep and remediator read; the remediator repairs; the Config evaluator evaluates.
    expect(assumers.flatMap((statement) => asList(statement.Resource as unknown[]))).toHaveLength(5);
    for (const statement of assumers) {
      expect(statement.Condition).toEqual({ StringEquals: { 'aws:ResourceOrgID': ORG } });
      expect(JSON.stringify(statement.Resource)).toMatch(
        /:iam::\*:role\/gatewatch-(reader|remediator|evaluator)-\*/,
      );
    }
  });

  it('only the remediator may assume the member remediator role; the evaluators assume read-only roles', () => {
    const assumed = (role: { node: { defaultChild?: unknown } }) =>
      statementsOf(json, logicalIdOf(role))
        .filter((statement) => asList(statement.Action).includes('sts:AssumeRole'))
        .flatMap((statement) => asList(statement.Resource as unknown[]))
        .map((resource) => /gatewatch-(\w+)-\*/.exec(JSON.stringify(resource))?.[1])
        .sort();
    expect(assumed(central.remediation.role)).toEqual(['reader', 'remediator']);
    expect(assumed(central.drift.function.role as never)).toEqual(['reader']);
    expect(assumed(central.sweep?.role as never)).toEqual(['reader']);
    expect(assumed(central.configRules.evaluator.role as never)).toEqual(['evaluator']);
  });

  it('AWS Config may invoke the evaluator from the named accounts only, one permission each', () => {
    const permissions = Object.values(json.Resources).filter(
      (resource) =>
        resource.Type === 'AWS::Lambda::Permission' &&
        resource.Properties.Principal === 'config.amazonaws.com',
    );
    expect(permissions.map((permission) => permission.Properties.SourceAccount).sort()).toEqual(
      [RULES_ACCOUNT, { Ref: 'AWS::AccountId' }].sort(),
    );
  });
});

describe('the member template', () => {
  it('forwards every catalogued event to the central bus, except in the central account', () => {
    const rules = memberResources.filter(([, resource]) => resource.Type === 'AWS::Events::Rule');
    for (const entry of eventCatalog) {
      const covering = rules.filter(([, rule]) => {
        const pattern = rule.Properties.EventPattern as { source: string[]; detail: { eventName: string[] } };
        return (
          pattern.source.includes(eventBridgeSources[entry.eventSource]) &&
          pattern.detail.eventName.includes(entry.eventName)
        );
      });
      expect({ event: entry.eventName, rules: covering.length }).toEqual({
        event: entry.eventName,
        rules: 1,
      });
    }
    for (const [, rule] of rules) {
      expect(rule.Condition).toBe('NotCentralAccount');
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({ Arn: { Ref: 'CentralEventBusArn' }, RoleArn: expect.anything() }),
      ]);
    }
    expect(member.Conditions.NotCentralAccount).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, { Ref: 'CentralAccountId' }] }],
    });
  });

  it('the forwarding role may only put events on the central bus', () => {
    const [roleId] = memberResources.find(
      ([, resource]) =>
        resource.Type === 'AWS::IAM::Role' &&
        JSON.stringify(resource.Properties.AssumeRolePolicyDocument).includes('events.amazonaws.com'),
    ) as [string, Resource];
    expect(statementsOf(member, roleId)).toEqual([
      { Action: 'events:PutEvents', Effect: 'Allow', Resource: { Ref: 'CentralEventBusArn' } },
    ]);
  });

  it('the reader role only reads', () => {
    const [roleId] = memberRole('reader');
    const actions = actionsOf(member, roleId);
    expect(actions).toEqual([
      'apigateway:GET',
      'cloudtrail:DescribeTrails',
      'cloudtrail:GetEventSelectors',
      'cloudtrail:GetTrailStatus',
      'cloudwatch:GetMetricData',
      'iam:GetRole',
      'logs:DescribeLogGroups',
      'logs:DescribeResourcePolicies',
      'wafv2:GetWebACL',
      'wafv2:ListResourcesForWebACL',
    ]);
    expect(actions.filter((action) => RESOURCE_WRITES.test(action))).toEqual([]);
  });

  it('the remediator role holds exactly the actions the rule declarations list', () => {
    const [roleId] = memberRole('remediator');
    const declared = new Set(
      remediationGrants(catalog, { passableRoles: ['x'] }).flatMap((grant) => grant.actions),
    );
    expect(actionsOf(member, roleId)).toEqual([...declared].sort());
  });

  it('the evaluator role reads and delivers evaluations, in the accounts that asked for Config rules, in the central region', () => {
    const [roleId, role] = memberRole('evaluator');
    expect(role.Condition).toBe('WithConfigRules');
    const actions = actionsOf(member, roleId);
    expect(actions.filter((action) => RESOURCE_WRITES.test(action))).toEqual([]);
    expect(actions).toEqual(expect.arrayContaining(['config:PutEvaluations', 'apigateway:GET']));
    const configRules = memberResources.filter(([, resource]) => resource.Type === 'AWS::Config::ConfigRule');
    expect(configRules).toHaveLength(catalog.length);
    for (const [, rule] of configRules) {
      expect(rule.Condition).toBe('WithConfigRules');
      expect(rule.Properties.Source).toMatchObject({
        Owner: 'CUSTOM_LAMBDA',
        SourceIdentifier: { Ref: 'CentralEvaluatorFunctionArn' },
      });
    }
    expect(member.Conditions.WithConfigRules).toEqual({
      'Fn::And': [
        { 'Fn::Equals': [{ Ref: 'AWS::Region' }, { Ref: 'CentralRegion' }] },
        { 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, RULES_ACCOUNT] },
      ],
    });
  });

  it('names its roles per region, as the central functions assume them', () => {
    for (const name of ['reader', 'remediator', 'evaluator']) {
      expect(memberRole(name)[1].Properties.RoleName).toEqual({
        'Fn::Join': ['', [`gatewatch-${name}-`, { Ref: 'AWS::Region' }]],
      });
    }
  });
});

describe('the central functions', () => {
  it('know they serve an organization, and which account is home', () => {
    for (const fn of [central.drift.function, central.remediation.function, central.configRules.evaluator]) {
      const resource = json.Resources[logicalIdOf(fn)] as Resource;
      expect(resource.Properties.Environment).toMatchObject({
        Variables: {
          GATEWATCH_HOME_ACCOUNT: { Ref: 'AWS::AccountId' },
        },
      });
    }
  });

  it('aggregate AWS Config for the organization in the member regions; the sweep reads its sources', () => {
    template.hasResourceProperties('AWS::Config::ConfigurationAggregator', {
      OrganizationAggregationSource: { AwsRegions: ['eu-west-1', 'us-east-1'], AllAwsRegions: false },
    });
    const sweepRole = logicalIdOf(central.sweep?.role as never);
    expect(actionsOf(json, sweepRole)).toContain('config:DescribeConfigurationAggregatorSourcesStatus');
  });
});

describe('settings for an organization', () => {
  it('fail synthesis naming each missing field', () => {
    expect(() => appFor({ organization: { enabled: true } })).toThrow(
      /organization\.organizationId: required.*organization\.organizationalUnitIds: name at least one.*organization\.memberRegions: name at least one/,
    );
    expect(() =>
      appFor({ organization: { ...organizationSettings.organization, organizationId: 'a1b2c3' } }),
    ).toThrow(/organization\.organizationId: expected an id like o-a1b2c3d4e5/);
    expect(() =>
      appFor({ organization: { ...organizationSettings.organization, organizationalUnitIds: ['Security'] } }),
    ).toThrow(/organization\.organizationalUnitIds\.0: expected an organizational unit id/);
  });
});
