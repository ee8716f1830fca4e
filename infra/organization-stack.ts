// gatewatch for an organization, deployed once in a central account (a delegated administrator,
// such as the security tooling account): everything the one-account stack holds — drift, Config
// evaluator, remediator, notifier, sweep, topic, Slack, dashboard and alarms — plus
// - the default event bus accepting PutEvents from accounts of the organization only
//   (aws:PrincipalOrgID), where the member accounts forward their CloudTrail events;
// - a service-managed StackSet that deploys the member template (infra/member-stack.ts) to the
//   accounts of the organizational units and regions the settings name, and to every account
//   that joins them later (automatic deployment);
// - an AWS Config aggregator for the organization;
// - the central functions allowed to assume the member roles — in accounts of the organization only
//   (aws:ResourceOrgID) — and told so through GATEWATCH_HOME_ACCOUNT (aws/accounts.ts);
// - Lambda permissions for AWS Config in the accounts that run the gatewatch Config rules.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Aws, BootstraplessSynthesizer, CfnOutput, type StackProps, Validations } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as config from 'aws-cdk-lib/aws-config';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import flags from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { type MemberRole, memberRoleName } from '../aws/accounts';
import type { OrganizationSettings, Settings } from '../settings/schema';
import { GatewatchStack } from './gatewatch-stack';
import { GatewatchMemberStack, type GatewatchMemberStackProps, memberParameters } from './member-stack';
import { deploymentSettings } from './settings';

/**
 * CloudFormation's limit on a template read from S3 (TemplateURL). Inline (TemplateBody) takes
 * 51,200 bytes, which the member template outgrew (its Config rules and IAM guard), so it goes
 * as a file asset, uploaded by `cdk deploy` to the central account's bootstrap bucket.
 */
export const TEMPLATE_URL_MAX_BYTES = 1_048_576;
export const STACK_SET_NAME = 'gatewatch-member';
export const AGGREGATOR_NAME = 'gatewatch-organization';

export type CentralOrganization = OrganizationSettings & { readonly organizationId: string };

export class GatewatchOrganizationStack extends GatewatchStack {
  readonly stackSet: cloudformation.CfnStackSet;
  readonly aggregator: config.CfnConfigurationAggregator;
  readonly busPolicy: events.CfnEventBusPolicy;
  /** The member template as the StackSet deploys it. */
  readonly memberTemplate: Record<string, unknown>;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, {
      description:
        'gatewatch (organization, central account): continuous compliance for Amazon API Gateway across the organization.',
      ...props,
    });
    const { settings } = deploymentSettings(this);
    const organization = centralOrganization(settings);
    const orgId = organization.organizationId;

    // ─── Events from the organization's accounts ────────────────────────────────────────
    const busArn = `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:event-bus/default`;
    this.busPolicy = new events.CfnEventBusPolicy(this, 'OrganizationEvents', {
      statementId: 'gatewatch-organization-put-events',
      statement: {
        Sid: 'gatewatch-organization-put-events',
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: busArn,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': orgId } },
      },
    });

    // ─── The central functions reach member accounts through the member roles ──────────
    const centralRoles = {
      drift: roleOf(this.drift.function),
      remediator: this.remediation.role,
      evaluator: roleOf(this.configRules.evaluator),
      ...(this.sweep ? { sweep: this.sweep.role } : {}),
    };
    const mayAssume = (role: iam.IRole, memberRole: MemberRole) => {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['sts:AssumeRole'],
          resources: [`arn:${Aws.PARTITION}:iam::*:role/${memberRoleName(memberRole, '*')}`],
          conditions: { StringEquals: { 'aws:ResourceOrgID': orgId } },
        }),
      );
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${memberRoleName(memberRole, '*')}]`,
        reason: `Assumes the gatewatch ${memberRole} role the member StackSet creates in each account and region of the organization (aws:ResourceOrgID), known only at run time.`,
      });
    };
    mayAssume(centralRoles.drift, 'reader');
    mayAssume(centralRoles.remediator, 'reader');
    mayAssume(centralRoles.remediator, 'remediator');
    if (centralRoles.sweep) mayAssume(centralRoles.sweep, 'reader');
    if (organization.configRuleAccounts.length > 0) mayAssume(centralRoles.evaluator, 'evaluator');
    const central = [
      this.drift.function,
      this.remediation.function,
      this.configRules.evaluator,
      ...(this.sweep ? [this.sweep.function] : []),
    ];
    for (const fn of central) {
      fn.addEnvironment('GATEWATCH_HOME_ACCOUNT', Aws.ACCOUNT_ID);
    }

    // ─── The organization's Config aggregator ───────────────────────────────────────────
    const aggregatorRole = new iam.Role(this, 'AggregatorRole', {
      assumedBy: new iam.ServicePrincipal('config.amazonaws.com'),
      description: 'AWS Config aggregates the configuration and compliance of the organization for gatewatch',
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSConfigRoleForOrganizations'),
      ],
    });
    Validations.of(aggregatorRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSConfigRoleForOrganizations]',
      reason:
        'AWSConfigRoleForOrganizations is the policy AWS documents for an organization aggregator: it lists the accounts of the organization.',
    });
    this.aggregator = new config.CfnConfigurationAggregator(this, 'Aggregator', {
      configurationAggregatorName: AGGREGATOR_NAME,
      organizationAggregationSource: {
        roleArn: aggregatorRole.roleArn,
        awsRegions: [...organization.memberRegions],
        allAwsRegions: false,
      },
    });
    if (this.sweep) {
      // The sweep visits the accounts the aggregator collects from.
      this.sweep.function.addEnvironment('CONFIG_AGGREGATOR_NAME', AGGREGATOR_NAME);
      this.sweep.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['config:DescribeConfigurationAggregatorSourcesStatus'],
          resources: [this.aggregator.attrConfigurationAggregatorArn],
        }),
      );
    }

    // ─── AWS Config in the named accounts may invoke the evaluator ──────────────────────
    // Lambda grants a service another account's invocations account by account: a function's
    // permission takes SourceAccount or SourceArn for a service, no organization condition.
    const configPermissions = organization.configRuleAccounts.map(
      (account) =>
        new lambda.CfnPermission(this, `ConfigInvokeFrom${account}`, {
          action: 'lambda:InvokeFunction',
          functionName: this.configRules.evaluator.functionArn,
          principal: 'config.amazonaws.com',
          sourceAccount: account,
        }),
    );

    // ─── The member StackSet ────────────────────────────────────────────────────────────
    this.memberTemplate = memberTemplate({ settings, organization });
    const body = JSON.stringify(this.memberTemplate);
    if (Buffer.byteLength(body) > TEMPLATE_URL_MAX_BYTES) {
      throw new Error(
        `The member template is ${Buffer.byteLength(body)} bytes, more than the ${TEMPLATE_URL_MAX_BYTES} CloudFormation takes; switch rules off.`,
      );
    }
    const templateFile = path.join(
      mkdtempSync(path.join(tmpdir(), 'gatewatch-stackset-')),
      'member.template.json',
    );
    writeFileSync(templateFile, body);
    // CloudFormation reads it with the deploying role (the bootstrap's execution role), which may read the bucket.
    const templateAsset = new s3assets.Asset(this, 'MemberTemplate', { path: templateFile });
    const readerRoles = [
      centralRoles.drift,
      centralRoles.remediator,
      ...(centralRoles.sweep ? [centralRoles.sweep] : []),
    ];
    this.stackSet = new cloudformation.CfnStackSet(this, 'Members', {
      stackSetName: STACK_SET_NAME,
      description: 'gatewatch member: event forwarding and the roles the central gatewatch account assumes',
      permissionModel: 'SERVICE_MANAGED',
      callAs: organization.callAs,
      // An account leaving the OUs loses its member stack — its roles trusting the central account
      // go with it — except the API Gateway logs role, which the account settings may still name:
      // the template keeps it (DeletionPolicy Retain), so that account's logging does not stop.
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      // One account's failure does not stop the others; the operation fails only past a quarter.
      operationPreferences: {
        failureTolerancePercentage: 25,
        maxConcurrentPercentage: 25,
        regionConcurrencyType: 'PARALLEL',
      },
      templateUrl: templateAsset.httpUrl,
      parameters: [
        { parameterKey: memberParameters.centralAccountId, parameterValue: Aws.ACCOUNT_ID },
        { parameterKey: memberParameters.centralRegion, parameterValue: Aws.REGION },
        { parameterKey: memberParameters.centralEventBusArn, parameterValue: busArn },
        {
          parameterKey: memberParameters.readerPrincipals,
          parameterValue: readerRoles.map((role) => role.roleArn).join(','),
        },
        {
          parameterKey: memberParameters.remediatorPrincipal,
          parameterValue: centralRoles.remediator.roleArn,
        },
        ...(organization.configRuleAccounts.length > 0
          ? [
              {
                parameterKey: memberParameters.evaluatorPrincipal,
                parameterValue: centralRoles.evaluator.roleArn,
              },
              {
                parameterKey: memberParameters.evaluatorFunctionArn,
                parameterValue: this.configRules.evaluator.functionArn,
              },
            ]
          : []),
      ],
      stackInstancesGroup: [
        {
          deploymentTargets: { organizationalUnitIds: [...organization.organizationalUnitIds] },
          regions: [...organization.memberRegions],
        },
      ],
    });
    // Members forward events only once the bus accepts them; their Config rules need the permissions first.
    this.stackSet.node.addDependency(this.busPolicy, ...configPermissions);

    new CfnOutput(this, 'MemberStackSet', {
      value: STACK_SET_NAME,
      description:
        'The StackSet that deploys gatewatch to the member accounts (aws cloudformation list-stack-instances)',
    });
    // What the member template needs where the StackSet does not reach (the management account):
    // one output per parameter the StackSet passes, `Member<parameter>`.
    for (const { parameterKey, parameterValue } of this.stackSet
      .parameters as cloudformation.CfnStackSet.ParameterProperty[]) {
      new CfnOutput(this, `Member${parameterKey}`, {
        value: parameterValue,
        description: `The ${parameterKey} parameter of the member template (Member/GatewatchMember)`,
      });
    }
    new CfnOutput(this, 'OrganizationAggregator', {
      value: AGGREGATOR_NAME,
      description: 'The AWS Config aggregator for the organization',
    });
  }
}

/** The organization settings a central stack needs, or a clear error (parseSettings checked them already). */
export function centralOrganization(settings: Settings): CentralOrganization {
  const organization = settings.organization;
  if (!organization?.enabled || !organization.organizationId) {
    throw new Error(
      'GatewatchOrganization needs settings with organization.enabled true and an organization.organizationId.',
    );
  }
  return { ...organization, organizationId: organization.organizationId };
}

/**
 * The member template, synthesized on its own (no bootstrap references, no metadata) and checked
 * with cdk-nag like the rest: what the StackSet deploys, and what `cdk synth` shows as the
 * `Member/GatewatchMember` stack.
 */
export function memberTemplate(
  props: Omit<GatewatchMemberStackProps, 'synthesizer'>,
): Record<string, unknown> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'gatewatch-member-'));
  try {
    // The recommended feature flags, as cdk.json sets them, whoever runs the synthesis.
    const app = new App({ outdir, analyticsReporting: false, context: { ...flags } });
    const stack = new GatewatchMemberStack(app, 'GatewatchMember', {
      ...props,
      synthesizer: new BootstraplessSynthesizer(),
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    return app.synth().getStackByName(stack.stackName).template as Record<string, unknown>;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The execution role of a function built by gatewatchFunction (always its own). */
function roleOf(fn: NodejsFunction): iam.IRole {
  if (!fn.role) throw new Error(`${fn.node.path} has no role`);
  return fn.role;
}
