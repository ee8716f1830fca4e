// What every member account of the organization gets, in each member region, through the
// central stack's service-managed StackSet (infra/organization-stack.ts):
// - EventBridge rules forwarding the catalogued CloudTrail events to the central account's bus
//   (not in the central account itself, whose own stack already has the rules), with their
//   dead-letter queue, its alarm and the topic the alarm notifies (infra/constructs/forwarding.ts);
// - `gatewatch-reader-<region>`: read-only, assumed by the central drift, sweep and remediator roles;
// - `gatewatch-remediator-<region>`: exactly the declared remediation actions, assumed by the
//   central remediator role only;
// - `gatewatch-apigateway-logs-<region>`: the role API Gateway logs with, which remediation may set
//   (kept when the stack goes: the account settings may still name it);
// - in the accounts settings.organization.configRuleAccounts names, in the central region: the
//   gatewatch AWS Config rules, evaluated by the central function through `gatewatch-evaluator-<region>`.
// Every trust names the central roles by ARN and requires the caller to be in the organization
// (aws:PrincipalOrgID). Role names carry the region: IAM is global and a StackSet deploys one
// stack per account and region.
//
// The template takes the central account's details as parameters, which the StackSet fills in.
// It has no Lambda function and no asset, so it is one self-contained document.
import {
  Aws,
  CfnCondition,
  CfnOutput,
  CfnParameter,
  type CfnResource,
  Fn,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, type IConstruct } from 'constructs';
import { memberCloudWatchRoleName, memberRoleName } from '../aws/accounts';
import { sourceDetails } from '../pipeline/config/conformance-pack';
import { configRuleDefinitions, PERIODIC_FREQUENCY } from '../pipeline/config/definitions';
import type { OrganizationSettings, Settings } from '../settings/schema';
import { EventForwarding } from './constructs/forwarding';
import { grantConfigEvaluations, grantMetricReads, grantResourceReads } from './constructs/read-permissions';
import { apiGatewayLogsRole, grantRemediation } from './constructs/remediation';

/** The parameters the StackSet passes (infra/organization-stack.ts fills them from the central stack). */
export const memberParameters = {
  centralAccountId: 'CentralAccountId',
  centralRegion: 'CentralRegion',
  centralEventBusArn: 'CentralEventBusArn',
  readerPrincipals: 'CentralReaderRoleArns',
  remediatorPrincipal: 'CentralRemediatorRoleArn',
  evaluatorPrincipal: 'CentralEvaluatorRoleArn',
  evaluatorFunctionArn: 'CentralEvaluatorFunctionArn',
} as const;

export interface GatewatchMemberStackProps extends StackProps {
  readonly settings: Settings;
  readonly organization: OrganizationSettings & { readonly organizationId: string };
}

export class GatewatchMemberStack extends Stack {
  readonly reader: iam.Role;
  readonly remediator: iam.Role;
  readonly apiGatewayLogsRole: iam.Role;
  readonly forwarding: EventForwarding;
  readonly evaluator?: iam.Role;
  readonly configRules: readonly config.CfnConfigRule[] = [];

  constructor(scope: Construct, id: string, props: GatewatchMemberStackProps) {
    super(scope, id, {
      description:
        'gatewatch member: forwards API Gateway changes to the central gatewatch account and lets it read and (as declared) repair them.',
      analyticsReporting: false,
      ...props,
    });
    const { organizationId, configRuleAccounts } = props.organization;
    const parameter = (
      name: string,
      description: string,
      options: { list?: boolean; pattern?: string } = {},
    ) =>
      new CfnParameter(this, name, {
        type: options.list ? 'CommaDelimitedList' : 'String',
        description,
        ...(options.pattern ? { allowedPattern: options.pattern } : {}),
      });
    const centralAccount = parameter(memberParameters.centralAccountId, 'The central gatewatch account', {
      pattern: '^\\d{12}$',
    }).valueAsString;
    const centralRegion = parameter(
      memberParameters.centralRegion,
      'The central gatewatch region',
    ).valueAsString;
    const busArn = parameter(
      memberParameters.centralEventBusArn,
      "The central account's default event bus, where the CloudTrail events go",
    ).valueAsString;
    const readers = parameter(
      memberParameters.readerPrincipals,
      'The central roles that read this account (drift, sweep, remediator)',
      { list: true },
    ).valueAsList;
    const remediatorPrincipal = parameter(
      memberParameters.remediatorPrincipal,
      'The central remediator role, the only one that may make the declared repairs here',
    ).valueAsString;

    // ─── Forwarding, except in the central account, whose own rules see its events ──────
    const notCentral = new CfnCondition(this, 'NotCentralAccount', {
      expression: Fn.conditionNot(Fn.conditionEquals(Aws.ACCOUNT_ID, centralAccount)),
    });
    this.forwarding = new EventForwarding(this, 'Forwarding', {
      targetBusArn: busArn,
      destination: 'the central gatewatch account',
      operationsEmails: props.settings.notifications.operationsEmails,
    });
    onlyWhen(this.forwarding, notCentral);

    // ─── The roles the central account assumes ──────────────────────────────────────────
    const trusted = (principals: string[] | string) =>
      new iam.AccountPrincipal(centralAccount).withConditions({
        StringEquals: { 'aws:PrincipalOrgID': organizationId },
        ArnEquals: { 'aws:PrincipalArn': principals },
      });

    this.reader = new iam.Role(this, 'Reader', {
      roleName: memberRoleName('reader', Aws.REGION),
      assumedBy: trusted(readers),
      description: 'gatewatch (central account) reads the API Gateway resources of this account and region',
    });
    grantResourceReads(this.reader, []);
    grantMetricReads(this.reader);

    this.apiGatewayLogsRole = apiGatewayLogsRole(
      this,
      'ApiGatewayLogsRole',
      [],
      memberCloudWatchRoleName(Aws.REGION),
    );
    this.remediator = new iam.Role(this, 'Remediator', {
      roleName: memberRoleName('remediator', Aws.REGION),
      assumedBy: trusted(remediatorPrincipal),
      description:
        'gatewatch (central account) makes the repairs its rules declare to API Gateway resources of this account and region',
    });
    grantRemediation(this.remediator, [this.apiGatewayLogsRole.roleArn]);

    // ─── Config rules in the accounts that asked for them, in the central region ───────
    if (configRuleAccounts.length > 0) {
      const evaluatorPrincipal = parameter(
        memberParameters.evaluatorPrincipal,
        'The central AWS Config evaluator role',
      ).valueAsString;
      const evaluatorFunction = parameter(
        memberParameters.evaluatorFunctionArn,
        'The central AWS Config evaluator function',
      ).valueAsString;
      const withRules = new CfnCondition(this, 'WithConfigRules', {
        expression: Fn.conditionAnd(
          Fn.conditionEquals(Aws.REGION, centralRegion),
          anyOf(configRuleAccounts.map((account) => Fn.conditionEquals(Aws.ACCOUNT_ID, account))),
        ),
      });
      const rules = new Construct(this, 'ConfigRules');
      this.evaluator = new iam.Role(rules, 'Evaluator', {
        roleName: memberRoleName('evaluator', Aws.REGION),
        assumedBy: trusted(evaluatorPrincipal),
        description:
          'gatewatch (central account) evaluates the gatewatch AWS Config rules of this account: it reads and delivers evaluations',
      });
      grantResourceReads(this.evaluator, []);
      grantConfigEvaluations(this.evaluator);
      grantMetricReads(this.evaluator);
      this.configRules = configRuleDefinitions(props.settings).map(
        (definition) =>
          new config.CfnConfigRule(rules, definition.ruleId, {
            configRuleName: definition.name,
            description: definition.description,
            inputParameters: definition.inputParameters,
            ...(definition.resourceTypes.length > 0
              ? { scope: { complianceResourceTypes: [...definition.resourceTypes] } }
              : {}),
            ...(definition.periodic ? { maximumExecutionFrequency: PERIODIC_FREQUENCY } : {}),
            source: {
              owner: 'CUSTOM_LAMBDA',
              sourceIdentifier: evaluatorFunction,
              sourceDetails: sourceDetails(definition).map((detail) => ({
                eventSource: detail.EventSource,
                messageType: detail.MessageType,
                ...('MaximumExecutionFrequency' in detail
                  ? { maximumExecutionFrequency: detail.MaximumExecutionFrequency }
                  : {}),
              })),
            },
          }),
      );
      new iam.Policy(rules, 'ReadOwnResults', {
        roles: [this.evaluator],
        statements: [
          new iam.PolicyStatement({
            actions: ['config:GetComplianceDetailsByConfigRule'],
            resources: this.configRules.map((rule) => rule.attrArn),
          }),
        ],
      });
      onlyWhen(rules, withRules);
    }
  }
}

/** Every CloudFormation resource (and output) under `scope` is created only when `condition` holds. */
function onlyWhen(scope: IConstruct, condition: CfnCondition): void {
  for (const child of scope.node.findAll()) {
    if (child instanceof CfnOutput) {
      child.condition = condition;
      continue;
    }
    const resource = child as Partial<CfnResource>;
    if (resource.cfnOptions && typeof resource.cfnResourceType === 'string')
      resource.cfnOptions.condition = condition;
  }
}

/** `Fn::Or` takes two to ten conditions: larger lists are nested, a single one stands alone. */
function anyOf(conditions: ReturnType<typeof Fn.conditionEquals>[]): ReturnType<typeof Fn.conditionOr> {
  if (conditions.length === 1) return conditions[0] as ReturnType<typeof Fn.conditionOr>;
  if (conditions.length <= 10) return Fn.conditionOr(...conditions);
  const groups: ReturnType<typeof Fn.conditionOr>[] = [];
  for (let start = 0; start < conditions.length; start += 10)
    groups.push(anyOf(conditions.slice(start, start + 10)));
  return anyOf(groups);
}
