// The remediator's write permissions, derived from the rule declarations: every IAM action a
// declared remediation call needs, on the resources that call changes, and nothing else. The
// CDK construct turns these into the remediator role's policy; infra tests check that the
// policy and the declarations agree. ARN patterns use `Fn::Sub` syntax.
import type { AnyRule } from '../../rules/core/rule';
import type { CallName } from './calls';

export interface Grant {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Why a resource wildcard is needed (cdk-nag AwsSolutions-IAM5). */
  readonly wildcardReason: string;
}

const apiGateway = (path: string) => `arn:\${AWS::Partition}:apigateway:\${AWS::Region}::${path}`;
const WEB_ACLS = `arn:\${AWS::Partition}:wafv2:\${AWS::Region}:\${AWS::AccountId}:regional/webacl/*/*`;
const REST_STAGES = apiGateway('/restapis/*/stages/*');
const API_GATEWAY_SERVICE_LINKED_ROLE = `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/aws-service-role/ops.apigateway.amazonaws.com/AWSServiceRoleForAPIGateway`;

/** What each call changes: API Gateway authorises by HTTP verb on the resource path. */
const callResources: Readonly<Record<CallName, readonly string[]>> = {
  'apigateway:UpdateStage': [REST_STAGES],
  'apigateway:UpdateMethod': [apiGateway('/restapis/*/resources/*/methods/*')],
  'apigateway:CreateDeployment': [apiGateway('/restapis/*/deployments')],
  'apigateway:UpdateRestApi': [apiGateway('/restapis/*')],
  'apigateway:UpdateAccount': [apiGateway('/account')],
  'apigateway:UpdateDomainName': [apiGateway('/domainnames/*')],
  'apigatewayv2:UpdateStage': [apiGateway('/apis/*/stages/*')],
  'apigatewayv2:UpdateRoute': [apiGateway('/apis/*/routes/*')],
  'apigatewayv2:UpdateApi': [apiGateway('/apis/*')],
  'wafv2:AssociateWebACL': [WEB_ACLS, REST_STAGES],
};

export interface PermissionInputs {
  /** Roles remediation may hand to API Gateway as its CloudWatch Logs role (ARNs or tokens). */
  readonly passableRoles: readonly string[];
}

/**
 * One grant per distinct resource set: the actions every declared call needs, scoped to what
 * the call changes. An action the mapping does not know fails here, so a new declaration
 * cannot be deployed with a guessed scope.
 */
export function remediationGrants(rules: readonly AnyRule[], inputs: PermissionInputs): Grant[] {
  const byAction = new Map<string, Set<string>>();
  const add = (action: string, resources: readonly string[]) => {
    const set = byAction.get(action) ?? new Set<string>();
    for (const resource of resources) set.add(resource);
    byAction.set(action, set);
  };
  for (const rule of rules) {
    for (const call of rule.remediation?.calls ?? []) {
      const name = `${call.service}:${call.operation}` as CallName;
      const resources = callResources[name];
      if (!resources) throw new Error(`${rule.id} declares ${name}, whose IAM scope is not known`);
      for (const action of call.iamActions) add(action, scopeOf(action, resources, inputs));
    }
  }
  const grants = new Map<
    string,
    { actions: string[]; resources: string[]; conditions?: Grant['conditions'] }
  >();
  for (const [action, resources] of [...byAction].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...resources].sort();
    const conditions = conditionsOf(action);
    const key = JSON.stringify([sorted, conditions ?? null]);
    const grant = grants.get(key) ?? {
      actions: [],
      resources: sorted,
      ...(conditions ? { conditions } : {}),
    };
    grant.actions.push(action);
    grants.set(key, grant);
  }
  return [...grants.values()].map((grant) => ({ ...grant, wildcardReason: reasonOf(grant.actions) }));
}

/** The resources an action is granted on, for a call that changes `callResources`. */
function scopeOf(action: string, resources: readonly string[], inputs: PermissionInputs): readonly string[] {
  const [service] = action.split(':');
  if (action === 'iam:PassRole') return inputs.passableRoles;
  if (action === 'iam:CreateServiceLinkedRole') return [API_GATEWAY_SERVICE_LINKED_ROLE];
  if (service === 'apigateway') {
    // apigateway:SetWebACL is authorised on the stage, whatever else the call touches.
    return action === 'apigateway:SetWebACL'
      ? [REST_STAGES]
      : resources.filter((r) => r.includes(':apigateway:'));
  }
  if (service === 'wafv2') return [WEB_ACLS];
  // CloudWatch Logs' log delivery actions (HTTP API access logs) support no resource-level permissions.
  if (service === 'logs') return ['*'];
  throw new Error(`no IAM scope is known for ${action}`);
}

function conditionsOf(action: string): Grant['conditions'] {
  if (action === 'iam:PassRole')
    return { StringEquals: { 'iam:PassedToService': 'apigateway.amazonaws.com' } };
  if (action === 'iam:CreateServiceLinkedRole') {
    return { StringEquals: { 'iam:AWSServiceName': 'ops.apigateway.amazonaws.com' } };
  }
  return undefined;
}

function reasonOf(actions: readonly string[]): string {
  if (actions.some((action) => action.startsWith('logs:'))) {
    return 'HTTP API access logging (UpdateStage with AccessLogSettings) makes CloudWatch Logs log-delivery calls, which support no resource-level permissions; the remediator only makes them through API Gateway.';
  }
  if (actions.some((action) => action.startsWith('wafv2:'))) {
    return 'Re-attaches a web ACL of this account and region, known only at run time, to a REST API stage.';
  }
  return (
    'Remediation changes the API Gateway resources a rule judged non-compliant, known only at run time; ' +
    `the actions (${actions.join(', ')}) are exactly those the rule declarations list, on the resource paths their calls change.`
  );
}
