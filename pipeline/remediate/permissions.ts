// The remediator's write permissions, derived from the rule declarations: one statement per
// declared call and IAM action scope, on exactly the resources that call changes, pinned further
// by API Gateway's condition keys where AWS documents them for that operation; and the Deny
// statements (the guard) that keep every other write out whatever else the role is given. The CDK
// construct turns these into the remediator roles' policies; infra tests walk the synthesized
// templates with IAM's own matching rules. ARN patterns use `Fn::Sub` syntax.
//
// IAM wildcards: `*` matches any run of characters, `/` included, so `/restapis/*` would reach an
// integration (`/restapis/{id}/resources/{id}/methods/GET/integration`). REST and HTTP/WebSocket
// API ids are 10 characters: a `?` per character keeps a pattern from sliding into a sub-resource.

import type { CallName } from '../../rules/core/remediation-calls';
import type { AnyRule } from '../../rules/core/rule';

/** Condition operator → key → value(s), as in a policy document. */
export type Conditions = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

export interface Grant {
  /** Names the call the statement serves: `ApigatewayUpdateStage`. */
  readonly sid: string;
  readonly actions: readonly string[];
  /** ARN patterns (`Fn::Sub`); `['*']` only for actions AWS gives no resource-level permissions. */
  readonly resources: readonly string[];
  readonly conditions?: Conditions;
  /** Why each wildcard is needed (cdk-nag AwsSolutions-IAM5). */
  readonly reason: string;
}

/** A Deny statement: on `resources`, or on everything but `notResources`. */
export interface Guard {
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
}

export const API_ID = '?'.repeat(10);
const P = `\${AWS::Partition}`;
const R = `\${AWS::Region}`;
const A = `\${AWS::AccountId}`;
const apiGateway = (path: string, region = R) => `arn:${P}:apigateway:${region}::${path}`;

/** The verbs a REST method can have; UpdateMethod is granted on each by name, never `methods/*`. */
export const REST_METHOD_VERBS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'] as const;

export const patterns = {
  restApi: apiGateway(`/restapis/${API_ID}`),
  restStage: apiGateway(`/restapis/${API_ID}/stages/*`),
  restMethods: REST_METHOD_VERBS.map((verb) => apiGateway(`/restapis/${API_ID}/resources/*/methods/${verb}`)),
  restDeployments: apiGateway(`/restapis/${API_ID}/deployments`),
  account: apiGateway('/account'),
  domainName: apiGateway('/domainnames/*'),
  api: apiGateway(`/apis/${API_ID}`),
  apiStage: apiGateway(`/apis/${API_ID}/stages/*`),
  route: apiGateway(`/apis/${API_ID}/routes/*`),
  webAcls: `arn:${P}:wafv2:${R}:${A}:regional/webacl/*/*`,
  logGroups: `arn:${P}:logs:${R}:${A}:log-group:*`,
  /** REST access logs may also go to a Firehose stream, whose name must start with amazon-apigateway-. */
  accessLogStreams: `arn:${P}:firehose:${R}:${A}:deliverystream/amazon-apigateway-*`,
  serviceLinkedRole: `arn:${P}:iam::${A}:role/aws-service-role/ops.apigateway.amazonaws.com/AWSServiceRoleForAPIGateway`,
} as const;

/** One action of a call, on what the call changes, with the conditions that pin the request. */
interface Scope {
  readonly resources: readonly string[];
  readonly conditions?: Conditions;
  readonly reason: string;
}

/** Access logs stay in this account (REST: a log group or an amazon-apigateway- Firehose stream). */
const restAccessLogDestination: Conditions = {
  StringLikeIfExists: {
    'apigateway:Request/AccessLoggingDestination': [patterns.logGroups, patterns.accessLogStreams],
  },
};

/** A CloudWatch Logs log-delivery action: AWS gives it no resource-level permissions. */
const noResourceLevel: Scope = {
  resources: ['*'],
  reason:
    "CloudWatch Logs' log-delivery actions (and its account-level resource policies) support no resource-level permissions: API Gateway makes these calls for the caller when an HTTP API stage's access logs are set.",
};

const STAGE_REASON =
  'The stage a rule judged non-compliant, known only at run time: any stage name of a 10-character API id.';

/**
 * What each call changes, per IAM action it declares. An action a call declares but this table
 * does not scope fails the build, so a new declaration cannot ship with a guessed scope.
 */
const callScopes: { readonly [N in CallName]: Readonly<Record<string, Scope>> } = {
  'apigateway:UpdateStage': {
    'apigateway:PATCH': {
      resources: [patterns.restStage],
      conditions: restAccessLogDestination,
      reason: STAGE_REASON,
    },
    'iam:CreateServiceLinkedRole': {
      resources: [patterns.serviceLinkedRole],
      conditions: { StringEquals: { 'iam:AWSServiceName': 'ops.apigateway.amazonaws.com' } },
      reason: 'API Gateway creates its service-linked role when active tracing is turned on.',
    },
  },
  'apigateway:UpdateMethod': {
    'apigateway:PATCH': {
      resources: patterns.restMethods,
      reason:
        'The methods a rule judged open, known only at run time: resource ids vary in length; the verb is named, so the pattern ends at the method and reaches no integration or response.',
    },
  },
  'apigateway:CreateDeployment': {
    'apigateway:POST': {
      resources: [patterns.restDeployments],
      // A deployment made by remediation always goes to the stage it repairs.
      conditions: { Null: { 'apigateway:Request/StageName': 'false' } },
      reason: 'Deploys the REST API a rule repaired, known only at run time.',
    },
  },
  'apigateway:UpdateRestApi': {
    'apigateway:PATCH': {
      resources: [patterns.restApi],
      reason: 'The REST API a rule judged non-compliant, known only at run time.',
    },
  },
  'apigateway:UpdateAccount': {
    'apigateway:PATCH': { resources: [patterns.account], reason: 'The account settings.' },
    'iam:PassRole': {
      resources: [],
      conditions: { StringEquals: { 'iam:PassedToService': 'apigateway.amazonaws.com' } },
      reason: 'The CloudWatch Logs roles remediation may name in the account settings.',
    },
  },
  'apigateway:UpdateDomainName': {
    'apigateway:PATCH': {
      resources: [patterns.domainName],
      // The only change the fix makes: the security policy, to TLS 1.2.
      conditions: {
        'ForAllValues:StringEquals': { 'apigateway:Request/SecurityPolicy': ['TLS_1_2'] },
        Null: { 'apigateway:Request/SecurityPolicy': 'false' },
      },
      reason:
        'The custom domain a rule judged non-compliant, known only at run time (domain names contain no /; the guard denies every path below one).',
    },
  },
  'apigatewayv2:UpdateStage': {
    'apigateway:PATCH': {
      resources: [patterns.apiStage],
      conditions: {
        StringLikeIfExists: { 'apigateway:Request/AccessLoggingDestination': [patterns.logGroups] },
      },
      reason: STAGE_REASON,
    },
    // HTTP API access logs: API Gateway sets up a CloudWatch Logs delivery with the caller's
    // permissions (AWS's "Configure logging for HTTP APIs" lists them).
    'logs:CreateLogGroup': {
      resources: [patterns.logGroups],
      reason: 'The access log group of an HTTP API stage, in this account and region.',
    },
    'logs:CreateLogDelivery': noResourceLevel,
    'logs:UpdateLogDelivery': noResourceLevel,
    'logs:DeleteLogDelivery': noResourceLevel,
    'logs:GetLogDelivery': noResourceLevel,
    'logs:ListLogDeliveries': noResourceLevel,
    'logs:PutResourcePolicy': noResourceLevel,
    'logs:DescribeResourcePolicies': noResourceLevel,
  },
  'apigatewayv2:UpdateRoute': {
    'apigateway:PATCH': {
      resources: [patterns.route],
      // A restored route always requires authorization: never NONE.
      conditions: {
        'ForAllValues:StringEquals': {
          'apigateway:Request/RouteAuthorizationType': ['AWS_IAM', 'CUSTOM', 'JWT'],
        },
        Null: { 'apigateway:Request/RouteAuthorizationType': 'false' },
      },
      reason:
        'The route a rule judged open, known only at run time (the guard denies route responses and parameters).',
    },
  },
  'apigatewayv2:UpdateApi': {
    'apigateway:PATCH': {
      resources: [patterns.api],
      // The only change the fix makes: the default endpoint off.
      conditions: { Bool: { 'apigateway:Request/DisableExecuteApiEndpoint': 'true' } },
      reason: 'The HTTP or WebSocket API a rule judged non-compliant, known only at run time.',
    },
  },
  'wafv2:AssociateWebACL': {
    'wafv2:AssociateWebACL': {
      resources: [patterns.webAcls, patterns.restStage],
      reason:
        'Associates a web ACL of this account and region, known only at run time, with a REST API stage.',
    },
    'wafv2:GetWebACL': {
      resources: [patterns.webAcls],
      reason: 'Reads the web ACL it associates, known only at run time.',
    },
    'apigateway:SetWebACL': { resources: [patterns.restStage], reason: STAGE_REASON },
  },
};

export interface PermissionInputs {
  /** Roles remediation may hand to API Gateway as its CloudWatch Logs role (ARNs or tokens). */
  readonly passableRoles: readonly string[];
}

/**
 * The Allow statements: per declared call, one statement per distinct scope of its IAM actions.
 * A call two rules declare is granted once.
 */
export function remediationGrants(rules: readonly AnyRule[], inputs: PermissionInputs): Grant[] {
  const byCall = new Map<CallName, Set<string>>();
  for (const rule of rules) {
    for (const call of rule.remediation?.calls ?? []) {
      const name = `${call.service}:${call.operation}` as CallName;
      const scopes = callScopes[name];
      if (!scopes) throw new Error(`${rule.id} declares ${name}, whose IAM scope is not known`);
      const actions = byCall.get(name) ?? new Set<string>();
      for (const action of call.iamActions) {
        if (!scopes[action])
          throw new Error(`${rule.id} declares ${action} for ${name}, whose IAM scope is not known`);
        actions.add(action);
      }
      byCall.set(name, actions);
    }
  }
  const grants: Grant[] = [];
  for (const [name, actions] of [...byCall].sort(([a], [b]) => a.localeCompare(b))) {
    const groups = new Map<string, { actions: string[]; scope: Scope }>();
    for (const action of [...actions].sort()) {
      const scope = scopeOf(name, action, inputs);
      const key = JSON.stringify([scope.resources, scope.conditions ?? null]);
      const group = groups.get(key) ?? { actions: [], scope };
      group.actions.push(action);
      groups.set(key, group);
    }
    const callSid = name.replace(/^./, (c) => c.toUpperCase()).replace(':', '');
    for (const { actions: grouped, scope } of groups.values()) {
      grants.push({
        sid: `${callSid}${isPrimary(name, grouped) ? '' : sidSuffix(grouped)}`,
        actions: grouped,
        resources: scope.resources,
        ...(scope.conditions ? { conditions: scope.conditions } : {}),
        reason: scope.reason,
      });
    }
  }
  return grants;
}

/** The statement that makes the call itself (its HTTP verb, or the WAF action of the same name). */
const isPrimary = (name: CallName, actions: readonly string[]) =>
  actions.some((action) => /^apigateway:(PATCH|POST)$/.test(action) || action === name);

const sidSuffix = (actions: readonly string[]) =>
  actions.length === 1
    ? (actions[0]?.split(':')[1] ?? '')
    : (actions[0]?.split(':')[0] ?? '').replace(/^./, (c) => c.toUpperCase());

function scopeOf(name: CallName, action: string, inputs: PermissionInputs): Scope {
  const scope = callScopes[name][action] as Scope;
  return action === 'iam:PassRole' ? { ...scope, resources: inputs.passableRoles } : scope;
}

/** API Gateway's write verbs and the actions that guard its most sensitive settings. */
const WRITE_VERBS = ['PATCH', 'POST', 'PUT', 'DELETE'] as const;
/**
 * Denies name every partition and region: denying more takes nothing a fix needs (the Allow
 * statements name the deployment's regions), and keeps the guard one size however many regions.
 */
const anyRegion = (path: string) => `arn:*:apigateway:*::${path}`;
const anywhere = (pattern: string) => pattern.split(P).join('*').split(R).join('*');

/**
 * The Deny statements of every remediator role. First the sub-resources no rule writes, by name
 * (what a stolen remediator session would go for: integration URIs, authorizers, gateway
 * responses, mappings, usage plans, keys, resource policies); then, per write verb, everything
 * outside what the grants name. A Deny wins over any Allow, so the guard holds whatever else the
 * role is ever given. Denies are in every region: denying more regions takes nothing needed.
 */
export function remediationGuards(grants: readonly Grant[]): Guard[] {
  const rest = `/restapis/${API_ID}`;
  const api = `/apis/${API_ID}`;
  const method = `${rest}/resources/*/methods/*`;
  const writes = WRITE_VERBS.map((verb) => `apigateway:${verb}`);
  const named: Guard[] = [
    {
      sid: 'DenyRestApiSubresources',
      actions: writes,
      resources: [
        `${method}/integration`,
        `${method}/integration/*`,
        `${method}/responses/*`,
        `${rest}/authorizers`,
        `${rest}/authorizers/*`,
        `${rest}/gatewayresponses`,
        `${rest}/gatewayresponses/*`,
        `${rest}/models*`,
        `${rest}/requestvalidators*`,
        `${rest}/documentation/*`,
        `${rest}/deployments/*`,
        `${rest}/stages`,
        `${rest}/stages/*/*`,
      ].map(anyRegion),
    },
    {
      // PutMethod (PUT) replaces a whole method, authorization included; resources are created with POST.
      sid: 'DenyRestResourcesAndMethodReplacement',
      actions: ['apigateway:POST', 'apigateway:PUT', 'apigateway:DELETE'],
      resources: [anyRegion(`${rest}/resources`), anyRegion(`${rest}/resources/*`)],
    },
    {
      sid: 'DenyApiSubresources',
      actions: writes,
      resources: [
        `${api}/integrations`,
        `${api}/integrations/*`,
        `${api}/authorizers`,
        `${api}/authorizers/*`,
        `${api}/routes`,
        `${api}/routes/*/*`,
        `${api}/stages`,
        `${api}/stages/*/*`,
        `${api}/models*`,
        `${api}/deployments*`,
        `${api}/cors`,
      ].map(anyRegion),
    },
    {
      sid: 'DenyMappingsKeysAndPlans',
      actions: writes,
      resources: [
        '/domainnames',
        '/domainnames/*/*',
        '/usageplans',
        '/usageplans/*',
        '/apikeys',
        '/apikeys/*',
        '/clientcertificates*',
        '/vpclinks*',
        '/tags/*',
        '/restapis',
        '/apis',
        '/domainnameaccessassociations*',
      ].map(anyRegion),
    },
    {
      // UpdateRestApi needs UpdateRestApiPolicy too when it changes the resource policy; UpdateDomainName
      // needs the certificate and policy actions when it changes mutual TLS or a private domain's policy.
      sid: 'DenyPolicyAndCertificateChanges',
      actions: [
        'apigateway:UpdateRestApiPolicy',
        'apigateway:AddCertificateToDomain',
        'apigateway:RemoveCertificateFromDomain',
        'apigateway:UpdateDomainNamePolicy',
        'apigateway:UpdateDomainNameManagementPolicy',
        'apigateway:CreateAccessAssociation',
      ],
      resources: ['*'],
    },
    {
      sid: 'DenyWebAclChanges',
      actions: ['wafv2:Create*', 'wafv2:Update*', 'wafv2:Delete*', 'wafv2:Put*', 'wafv2:DisassociateWebACL'],
      resources: ['*'],
    },
  ];
  const undeclared = [...writes, 'apigateway:SetWebACL'].map((action): Guard => {
    const granted = [
      ...new Set(
        grants
          .filter((grant) => grant.actions.includes(action))
          .flatMap((grant) => grant.resources.map(anywhere)),
      ),
    ];
    const verb = action.split(':')[1] ?? action;
    const sid = `DenyUndeclared${verb === verb.toUpperCase() ? verb.charAt(0) + verb.slice(1).toLowerCase() : verb}`;
    return granted.length > 0
      ? { sid, actions: [action], notResources: granted }
      : { sid, actions: [action], resources: ['*'] };
  });
  return [...named, ...undeclared];
}
