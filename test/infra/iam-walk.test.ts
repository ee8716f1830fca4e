// What a stolen gatewatch session could change, asked of the synthesized templates themselves:
// every role of the one-account deployment and of the organization (central stack and the member
// template the StackSet deploys) is walked with IAM's own matching (test/support/iam-evaluate.ts:
// `*` runs across `/`, `?` is one character, Deny wins, conditions conservatively). None may
// write a sub-resource no rule writes — integration URIs, authorizers, gateway responses,
// resource policies, mappings, usage plans, API keys, v2 integrations and authorizers — nor make
// a declared call with a value the fix never sets; each declared call's real request is allowed
// to the remediator roles, and to no other role.

import { type App, Stack } from 'aws-cdk-lib';
import { Template as CdkTemplate } from 'aws-cdk-lib/assertions';
import type { GatewatchOrganizationStack } from '../../infra/organization-stack';
import type { CallName } from '../../rules/core/remediation-calls';
import { catalog } from '../../rules/index';
import {
  ANY_VALUE,
  evaluate,
  type PolicyStatement,
  type Request,
  resolvePolicyValue,
  type TemplateEnvironment,
} from '../support/iam-evaluate';
import { appFor, asList, ORGANIZATION_SETTINGS, type Resource, synthesized } from '../support/infra';

const ACCOUNT = '123456789012';
/** Where requests go: every region the deployments act in. */
const ACTING_REGIONS = ['eu-west-1', 'us-east-1'];
const OTHER_ACCOUNT = '999999999999';
const REST = 'a1b2c3d4e5';
const API = 'b2c3d4e5f6';
const ROUTE = 'r1s2t3u';
const DOMAIN = 'api.example.com';

interface Template {
  readonly Parameters?: Record<string, unknown>;
  readonly Resources: Record<string, Resource>;
}
interface Deployment {
  readonly name: string;
  readonly template: Template;
  /** The regions the template's roles act in (its own region, as AWS::Region, for each). */
  readonly regions: readonly string[];
}

/** AWS managed policies gatewatch roles hold: AWS Config's service roles, which read and write no API Gateway or WAF setting. */
const READ_ONLY_MANAGED = [
  'arn:aws:iam::aws:policy/service-role/AWS_ConfigRole',
  'arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations',
];

/** Every stack of an app, those of its stages included, as its template. */
function templatesOf(app: App): [string, Template][] {
  return app.node
    .findAll()
    .filter((node): node is Stack => Stack.isStack(node))
    .map((stack) => [stack.node.path, CdkTemplate.fromStack(stack).toJSON() as Template]);
}

/** A role's identity-policy statements, resolved for one account and region. */
function roleStatements(template: Template, roleId: string, env: TemplateEnvironment): PolicyStatement[] {
  const role = template.Resources[roleId] as Resource;
  const managedArns = asList(role.Properties.ManagedPolicyArns as unknown[]).map((arn) =>
    resolvePolicyValue(arn, env),
  );
  const inTemplate = new Set<string>();
  for (const arn of managedArns) {
    const id = /^⟨(.+)⟩$/.exec(String(arn))?.[1];
    if (id) inTemplate.add(id);
    else if (!READ_ONLY_MANAGED.includes(String(arn)))
      throw new Error(`${roleId} holds the managed policy ${String(arn)}, which this walk cannot read`);
  }
  const documents = [
    ...asList(role.Properties.Policies as { PolicyDocument: unknown }[]).map(
      (policy) => policy.PolicyDocument,
    ),
    ...Object.entries(template.Resources)
      .filter(
        ([id, resource]) =>
          (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') &&
          (inTemplate.has(id) ||
            asList(resource.Properties.Roles as { Ref: string }[]).some((ref) => ref.Ref === roleId)),
      )
      .map(([, policy]) => policy.Properties.PolicyDocument),
  ];
  if (role.Properties.PermissionsBoundary)
    throw new Error(`${roleId} has a permissions boundary this walk ignores`);
  return documents.flatMap(
    (document) => (resolvePolicyValue(document, env) as { Statement: PolicyStatement[] }).Statement,
  );
}

const environmentOf = (template: Template, region: string): TemplateEnvironment => ({
  partition: 'aws',
  region,
  account: ACCOUNT,
  parameters: new Set(Object.keys(template.Parameters ?? {})),
});

const rolesOf = (template: Template) =>
  Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::IAM::Role')
    .map(([id]) => id);

const apiGateway = (region: string, path: string) => `arn:aws:apigateway:${region}::${path}`;
const webAcl = (region: string) =>
  `arn:aws:wafv2:${region}:${ACCOUNT}:regional/webacl/orders/0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e`;
const logGroup = (region: string, account = ACCOUNT) =>
  `arn:aws:logs:${region}:${account}:log-group:/aws/apigateway/orders-access`;
const writes = (actions: readonly string[], resource: string): Request[] =>
  actions.map((action) => ({ action, resource }));
const ALL_WRITES = ['apigateway:PATCH', 'apigateway:POST', 'apigateway:PUT', 'apigateway:DELETE'];

/** What no gatewatch role may do, in `region`: the sub-resources no rule writes, and declared calls with values no fix sets. */
function forbiddenRequests(region: string): Request[] {
  const rest = (path: string) => apiGateway(region, `/restapis/${REST}${path}`);
  const api = (path: string) => apiGateway(region, `/apis/${API}${path}`);
  const method = rest('/resources/abc123/methods/GET');
  const root = (path: string) => apiGateway(region, path);
  return [
    // REST: the backend a method calls, what it answers, who may call it, what errors say.
    ...writes(ALL_WRITES, `${method}/integration`),
    ...writes(ALL_WRITES, `${method}/integration/responses/200`),
    ...writes(ALL_WRITES, `${method}/responses/200`),
    ...writes(['apigateway:PUT', 'apigateway:DELETE'], method),
    ...writes(ALL_WRITES, rest('/authorizers')),
    ...writes(ALL_WRITES, rest('/authorizers/x1y2z3')),
    ...writes(ALL_WRITES, rest('/gatewayresponses/DEFAULT_4XX')),
    ...writes(ALL_WRITES, rest('/resources/abc123')),
    ...writes(ALL_WRITES, rest('/resources/0a1b2c3d4e')),
    ...writes(ALL_WRITES, rest('/models/Empty')),
    ...writes(ALL_WRITES, rest('/requestvalidators/v1a2b3')),
    ...writes(ALL_WRITES, rest('/deployments/d1e2f3')),
    ...writes(ALL_WRITES, rest('/documentation/parts/p1q2r3')),
    ...writes(['apigateway:POST', 'apigateway:PUT', 'apigateway:DELETE'], rest('')),
    ...writes(['apigateway:POST', 'apigateway:DELETE'], rest('/stages')),
    ...writes(['apigateway:DELETE', 'apigateway:PUT'], rest('/stages/prod')),
    ...writes(ALL_WRITES, rest('/stages/prod/cache/data')),
    ...writes(ALL_WRITES, rest('/stages/prod/cache/authorizers')),
    // The REST API's resource policy: UpdateRestApi needs UpdateRestApiPolicy to change it.
    { action: 'apigateway:UpdateRestApiPolicy', resource: rest('') },
    // A stage named like a sub-resource is still a stage; sub-resources of stages are not.
    ...writes(ALL_WRITES, rest('/stages/authorizers/x')),
    // HTTP and WebSocket APIs.
    ...writes(ALL_WRITES, api('/integrations')),
    ...writes(ALL_WRITES, api('/integrations/i1j2k3l')),
    ...writes(ALL_WRITES, api('/integrations/i1j2k3l/integrationresponses/r1s2t3')),
    ...writes(ALL_WRITES, api('/authorizers')),
    ...writes(ALL_WRITES, api('/authorizers/au1b2c')),
    ...writes(ALL_WRITES, api('/routes')),
    ...writes(['apigateway:PUT', 'apigateway:DELETE'], api(`/routes/${ROUTE}`)),
    ...writes(ALL_WRITES, api(`/routes/${ROUTE}/routeresponses/rr1a2b3`)),
    ...writes(ALL_WRITES, api(`/routes/${ROUTE}/requestparameters/route.request.header.authorization`)),
    ...writes(ALL_WRITES, api('/stages/$default/accesslogsettings')),
    ...writes(ALL_WRITES, api('/stages/$default/routesettings/GET /orders')),
    ...writes(ALL_WRITES, api('/models/m1n2o3')),
    ...writes(ALL_WRITES, api('/deployments/d1e2f3')),
    ...writes(ALL_WRITES, api('/cors')),
    ...writes(['apigateway:PUT', 'apigateway:DELETE', 'apigateway:POST'], api('')),
    // Custom domains: which API a path serves, mutual TLS, private domain policies.
    ...writes(ALL_WRITES, root(`/domainnames/${DOMAIN}/basepathmappings/(none)`)),
    ...writes(ALL_WRITES, root(`/domainnames/${DOMAIN}/basepathmappings/v1`)),
    ...writes(ALL_WRITES, root(`/domainnames/${DOMAIN}/basepathmappings`)),
    ...writes(ALL_WRITES, root(`/domainnames/${DOMAIN}/apimappings/am1b2c`)),
    ...writes(ALL_WRITES, root(`/domainnames/${DOMAIN}/apimappings`)),
    ...writes(['apigateway:DELETE', 'apigateway:PUT', 'apigateway:POST'], root(`/domainnames/${DOMAIN}`)),
    ...[
      'apigateway:AddCertificateToDomain',
      'apigateway:RemoveCertificateFromDomain',
      'apigateway:UpdateDomainNamePolicy',
      'apigateway:UpdateDomainNameManagementPolicy',
    ].map((action) => ({ action, resource: root(`/domainnames/${DOMAIN}`) })),
    // Account-wide: usage plans, API keys, client certificates, VPC links, tags, new APIs.
    ...writes(ALL_WRITES, root('/usageplans')),
    ...writes(ALL_WRITES, root('/usageplans/up1a2b')),
    ...writes(ALL_WRITES, root('/usageplans/up1a2b/keys')),
    ...writes(ALL_WRITES, root('/usageplans/up1a2b/keys/k1a2b3c4d5')),
    ...writes(ALL_WRITES, root('/apikeys')),
    ...writes(ALL_WRITES, root('/apikeys/k1a2b3c4d5')),
    ...writes(ALL_WRITES, root('/clientcertificates/cc1a2b')),
    ...writes(ALL_WRITES, root('/vpclinks/vl1a2b')),
    ...writes(
      ['apigateway:PUT', 'apigateway:DELETE'],
      root(`/tags/${encodeURIComponent(rest('/stages/prod'))}`),
    ),
    ...writes(['apigateway:POST', 'apigateway:PUT'], root('/restapis')),
    ...writes(['apigateway:POST'], root('/apis')),
    ...writes(['apigateway:POST'], root('/domainnames')),
    // WAF: detaching, editing or deleting web ACLs.
    { action: 'wafv2:DisassociateWebACL', resource: rest('/stages/prod') },
    ...['wafv2:UpdateWebACL', 'wafv2:DeleteWebACL', 'wafv2:PutLoggingConfiguration'].map((action) => ({
      action,
      resource: webAcl(region),
    })),
    // IAM and logs: no role to hand out but the CloudWatch Logs role; no log group to delete or retune.
    {
      action: 'iam:PassRole',
      resource: `arn:aws:iam::${ACCOUNT}:role/Admin`,
      context: { 'iam:PassedToService': ['apigateway.amazonaws.com'] },
    },
    ...['iam:CreateRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy'].map((action) => ({
      action,
      resource: `arn:aws:iam::${ACCOUNT}:role/gatewatch-remediator-${region}`,
    })),
    ...['logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteResourcePolicy'].map((action) => ({
      action,
      resource: logGroup(region),
    })),
    // Declared calls with values no fix sets: the condition keys refuse them.
    {
      action: 'apigateway:PATCH',
      resource: api(`/routes/${ROUTE}`),
      context: { 'apigateway:Request/RouteAuthorizationType': ['NONE'] },
    },
    {
      action: 'apigateway:PATCH',
      resource: root(`/domainnames/${DOMAIN}`),
      context: { 'apigateway:Request/SecurityPolicy': ['TLS_1_0'] },
    },
    {
      action: 'apigateway:PATCH',
      resource: api(''),
      context: { 'apigateway:Request/DisableExecuteApiEndpoint': ['false'] },
    },
    {
      action: 'apigateway:PATCH',
      resource: rest('/stages/prod'),
      context: { 'apigateway:Request/AccessLoggingDestination': [logGroup(region, OTHER_ACCOUNT)] },
    },
    {
      action: 'apigateway:PATCH',
      resource: api('/stages/$default'),
      context: {
        'apigateway:Request/AccessLoggingDestination': [
          `arn:aws:firehose:${region}:${OTHER_ACCOUNT}:deliverystream/amazon-apigateway-exfil`,
        ],
      },
    },
    {
      action: 'apigateway:POST',
      resource: rest('/deployments'),
      context: { 'apigateway:Request/StageName': [] },
    },
  ];
}

/**
 * Each declared call's real request, in `region`. A Record over every call the registry knows,
 * so a new call cannot go without its requests; `passRole` is the CloudWatch Logs role's placeholder.
 */
function declaredRequests(region: string, passRole: string): Record<CallName, Request[]> {
  const stage = apiGateway(region, `/restapis/${REST}/stages/prod`);
  // The log-delivery actions the HTTP API access-log fix declares (no resource-level permissions).
  const logDelivery = [
    ...new Set(
      catalog
        .flatMap((rule) => rule.remediation?.calls ?? [])
        .filter((call) => call.service === 'apigatewayv2' && call.operation === 'UpdateStage')
        .flatMap((call) => call.iamActions)
        .filter((action) => action.startsWith('logs:') && action !== 'logs:CreateLogGroup'),
    ),
  ];
  expect(logDelivery).toHaveLength(7);
  return {
    'apigateway:UpdateStage': [
      { action: 'apigateway:PATCH', resource: stage },
      {
        action: 'apigateway:PATCH',
        resource: stage,
        context: { 'apigateway:Request/AccessLoggingDestination': [logGroup(region)] },
      },
      {
        action: 'apigateway:PATCH',
        resource: apiGateway(region, `/restapis/${REST}/stages/authorizers`),
      },
      {
        action: 'iam:CreateServiceLinkedRole',
        resource: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ops.apigateway.amazonaws.com/AWSServiceRoleForAPIGateway`,
        context: { 'iam:AWSServiceName': ['ops.apigateway.amazonaws.com'] },
      },
    ],
    'apigateway:UpdateMethod': ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'].map(
      (verb) => ({
        action: 'apigateway:PATCH',
        resource: apiGateway(region, `/restapis/${REST}/resources/abc123/methods/${verb}`),
      }),
    ),
    'apigateway:CreateDeployment': [
      {
        action: 'apigateway:POST',
        resource: apiGateway(region, `/restapis/${REST}/deployments`),
        context: { 'apigateway:Request/StageName': ['prod'] },
      },
    ],
    'apigateway:UpdateRestApi': [
      { action: 'apigateway:PATCH', resource: apiGateway(region, `/restapis/${REST}`) },
    ],
    'apigateway:UpdateAccount': [
      { action: 'apigateway:PATCH', resource: apiGateway(region, '/account') },
      {
        action: 'iam:PassRole',
        resource: passRole,
        context: { 'iam:PassedToService': ['apigateway.amazonaws.com'] },
      },
    ],
    'apigateway:UpdateDomainName': [
      {
        action: 'apigateway:PATCH',
        resource: apiGateway(region, `/domainnames/${DOMAIN}`),
        context: { 'apigateway:Request/SecurityPolicy': ['TLS_1_2'] },
      },
    ],
    'apigatewayv2:UpdateStage': [
      {
        action: 'apigateway:PATCH',
        resource: apiGateway(region, `/apis/${API}/stages/$default`),
        context: { 'apigateway:Request/AccessLoggingDestination': [logGroup(region)] },
      },
      { action: 'logs:CreateLogGroup', resource: logGroup(region) },
      ...logDelivery.map((action) => ({ action, resource: '*' })),
    ],
    'apigatewayv2:UpdateRoute': [
      {
        action: 'apigateway:PATCH',
        resource: apiGateway(region, `/apis/${API}/routes/${ROUTE}`),
        context: { 'apigateway:Request/RouteAuthorizationType': ['JWT'] },
      },
    ],
    'apigatewayv2:UpdateApi': [
      {
        action: 'apigateway:PATCH',
        resource: apiGateway(region, `/apis/${API}`),
        context: { 'apigateway:Request/DisableExecuteApiEndpoint': ['true'] },
      },
    ],
    'wafv2:AssociateWebACL': [
      { action: 'wafv2:AssociateWebACL', resource: webAcl(region) },
      { action: 'wafv2:AssociateWebACL', resource: stage },
      { action: 'wafv2:GetWebACL', resource: webAcl(region) },
      { action: 'apigateway:SetWebACL', resource: stage },
    ],
  };
}

/** What the evaluators may do too: read what a call reads. */
const READS = /^(wafv2:(Get|List)|logs:(Get|List|Describe))/;
/** API Gateway's own CloudWatch Logs role creates log groups: that is its job, not a repair. */
const ownJob = (request: Request) => request.action === 'logs:CreateLogGroup';

const label = (request: Request) =>
  `${request.action} ${request.resource}${request.context ? ` ${JSON.stringify(request.context)}` : ''}`;

const oneAccount = synthesized({ regions: ['eu-west-1', 'us-east-1'] });
const organization = synthesized(ORGANIZATION_SETTINGS);
const organizationTemplates = templatesOf(organization);
const stackSetBody = JSON.stringify(
  (organization.node.findChild('GatewatchOrganization') as GatewatchOrganizationStack).memberTemplate,
);

const deployments: Deployment[] = [
  ...templatesOf(oneAccount).map(([name, template]) => ({
    name: `one account: ${name}`,
    template,
    regions: name === 'Gatewatch' ? ACTING_REGIONS : ['us-east-1'],
  })),
  ...organizationTemplates.map(([name, template]) => ({
    name: `organization: ${name}`,
    template,
    regions: ['eu-west-1', 'us-east-1'],
  })),
  {
    name: 'organization: the StackSet member template',
    template: JSON.parse(stackSetBody),
    regions: ['eu-west-1', 'us-east-1'],
  },
];

/** The remediator roles: the central one (by its function's description) and the member one (by name). */
function isRemediator(template: Template, roleId: string): boolean {
  const role = template.Resources[roleId] as Resource;
  return (
    JSON.stringify(role.Properties.RoleName ?? '').includes('gatewatch-remediator-') ||
    String(role.Properties.Description ?? '').startsWith('Runs gatewatch remediation')
  );
}

/** The CloudWatch Logs role remediation may pass: the template's role API Gateway assumes. */
function passableRoleOf(template: Template): string {
  const [id] =
    Object.entries(template.Resources).find(
      ([, resource]) =>
        resource.Type === 'AWS::IAM::Role' &&
        JSON.stringify(resource.Properties.AssumeRolePolicyDocument).includes('apigateway.amazonaws.com'),
    ) ?? [];
  return `⟨${id}.Arn⟩`;
}

describe('the walk', () => {
  it('covers every stack of both deployments, and finds the remediators in each place they live', () => {
    expect(deployments.map((deployment) => deployment.name)).toEqual(
      expect.arrayContaining([
        'one account: Gatewatch',
        'one account: GatewatchEvents-us-east-1',
        'organization: GatewatchOrganization',
        'organization: the StackSet member template',
      ]),
    );
    const remediators = deployments.flatMap((deployment) =>
      rolesOf(deployment.template).filter((id) => isRemediator(deployment.template, id)),
    );
    // One-account, central, member (Member/GatewatchMember) and the StackSet's copy of it.
    expect(remediators).toHaveLength(4);
  });
});

describe.each(deployments)('$name', ({ template, regions }) => {
  const forbidden = ACTING_REGIONS.flatMap(forbiddenRequests);

  it('lets no role write anything no rule writes, nor set a value no fix sets', () => {
    const writable: string[] = [];
    for (const region of regions) {
      const env = environmentOf(template, region);
      for (const roleId of rolesOf(template)) {
        const statements = roleStatements(template, roleId, env);
        for (const request of forbidden) {
          if (evaluate(statements, request) === 'allow') writable.push(`${roleId}: ${label(request)}`);
        }
      }
    }
    expect(writable).toEqual([]);
  });

  it("allows each declared call's real request to the remediator, and to no other role", () => {
    const problems: string[] = [];
    for (const region of regions) {
      const env = environmentOf(template, region);
      const requests = Object.values(declaredRequests(region, passableRoleOf(template))).flat();
      for (const roleId of rolesOf(template)) {
        const statements = roleStatements(template, roleId, env);
        const remediator = isRemediator(template, roleId);
        for (const request of requests) {
          const allowed = evaluate(statements, request) === 'allow';
          if (remediator && !allowed) problems.push(`${roleId} may not ${label(request)}`);
          if (!remediator && allowed && !READS.test(request.action) && !ownJob(request))
            problems.push(`${roleId} (not the remediator) may ${label(request)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('the declared requests', () => {
  it('name every IAM action every rule declares, so the positive walk covers each declaration', () => {
    const requested = new Set(
      Object.values(declaredRequests('eu-west-1', `⟨Role.Arn⟩`))
        .flat()
        .map((request) => request.action),
    );
    const declared = catalog.flatMap((rule) =>
      (rule.remediation?.calls ?? []).flatMap((call) => call.iamActions),
    );
    expect([...new Set(declared)].filter((action) => !requested.has(action))).toEqual([]);
  });

  it('are not trivially allowed: a role with no policy is refused every one', () => {
    for (const request of Object.values(declaredRequests('eu-west-1', ANY_VALUE)).flat())
      expect(evaluate([], request)).toBe('implicit-deny');
  });
});

describe('two lines of defence, on the one-account remediator', () => {
  const [, template] = templatesOf(oneAccount).find(([name]) => name === 'Gatewatch') as [string, Template];
  const roleId = rolesOf(template).find((id) => isRemediator(template, id)) as string;
  const statementsIn = (region: string) => roleStatements(template, roleId, environmentOf(template, region));

  it('the Allow statements alone reach nothing forbidden but paths below a stage, route or domain name', () => {
    // Stage names, route ids and domain names have no fixed length: IAM's `*` after them runs on
    // across `/`, and only the guard's Deny can stop it there.
    const belowAName = /\/stages\/[^/]+\/|\/routes\/[^/]+\/|\/domainnames\/[^/]+\//;
    const writable = ACTING_REGIONS.flatMap((region) => {
      const allows = statementsIn(region).filter((statement) => statement.Effect === 'Allow');
      return forbiddenRequests(region).filter((request) => evaluate(allows, request) === 'allow');
    });
    expect(writable.length).toBeGreaterThan(0);
    expect(writable.map(label).filter((line) => !belowAName.test(line))).toEqual([]);
  });

  it('the guard alone holds even against apigateway:* and wafv2:* on every resource', () => {
    const writable = ACTING_REGIONS.flatMap((region) => {
      const guard = statementsIn(region).filter((statement) => statement.Effect === 'Deny');
      const broad = { Effect: 'Allow', Action: ['apigateway:*', 'wafv2:*'], Resource: '*' };
      return forbiddenRequests(region)
        .filter((request) => /^(apigateway|wafv2):/.test(request.action) && !request.context)
        .filter((request) => evaluate([broad, ...guard], request) === 'allow');
    });
    expect(writable.map(label)).toEqual([]);
  });
});

describe('the guard', () => {
  it('fits one managed policy (IAM: 6,144 characters) whatever the number of regions', () => {
    const app = appFor({
      regions: ['eu-west-1', 'us-east-1', 'us-west-2', 'ap-southeast-2', 'eu-central-1', 'ap-northeast-1'],
    });
    const [, template] = templatesOf(app).find(([name]) => name === 'Gatewatch') as [string, Template];
    const guards = Object.values(template.Resources).filter(
      (resource) =>
        resource.Type === 'AWS::IAM::ManagedPolicy' &&
        String(resource.Properties.Description ?? '').startsWith('gatewatch remediator guard'),
    );
    expect(guards).toHaveLength(1);
    expect(JSON.stringify(guards[0]?.Properties.PolicyDocument).length).toBeLessThan(6144);
  });
});
