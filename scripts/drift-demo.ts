// The bundled drift sequence: five CloudTrail events against the demo estate, and the state of
// the account right after them, derived from examples/inventory/demo.json so the two never
// disagree. `npm run docs` rewrites examples/drift/; a test fails when it is stale.
//
// The events are HAND-MADE after the recorded shapes in ../shared/events/ (the console session
// of the v1 recordings, the Terraform call of apigatewayv2-UpdateRoute-1, the WAF console call
// of wafv2-DisassociateWebACL-1): no public recording of these calls on a REST stage exists.
// Where CloudTrail puts `patchOperations` is unconfirmed; gatewatch does not depend on it.
import type { Inventory } from '../aws/read/schema';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';

const alice = {
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLEALICE00001:alice@tidewater.example',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Developers_0123456789abcdef/alice@tidewater.example`,
  accountId: ACCOUNT,
  accessKeyId: 'ASIAEXAMPLEALICE0001',
  sessionContext: {
    sessionIssuer: {
      type: 'Role',
      principalId: 'AROAEXAMPLEALICE00001',
      arn: `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Developers_0123456789abcdef`,
      accountId: ACCOUNT,
      userName: 'AWSReservedSSO_Developers_0123456789abcdef',
    },
    webIdFederationData: {},
    attributes: { creationDate: '2026-11-23T08:55:02Z', mfaAuthenticated: 'false' },
  },
};
const deployer = {
  type: 'IAMUser',
  principalId: 'AIDAEXAMPLEDEPLOYER01',
  arn: `arn:aws:iam::${ACCOUNT}:user/ci-deployer`,
  accountId: ACCOUNT,
  accessKeyId: 'AKIAEXAMPLEDEPLOYER1',
  userName: 'ci-deployer',
};
const console =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const cli =
  'aws-cli/2.22.4 md/awscrt#0.23.4 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython m/N,b cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#apigateway.update-method';
const terraform =
  'APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io/) terraform-provider-aws/5.80.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.6 os/linux lang/go#1.23.3 md/GOOS#linux md/GOARCH#amd64 api/apigatewayv2#1.24.7';

function envelope(n: number, source: string, detail: Record<string, unknown>) {
  return {
    version: '0',
    id: `5f1e6a2b-0c3d-4e5f-8a9b-00000000000${n}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source,
    account: ACCOUNT,
    time: detail.eventTime,
    region: REGION,
    resources: [],
    detail: {
      eventVersion: '1.10',
      awsRegion: REGION,
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: ACCOUNT,
      eventCategory: 'Management',
      requestID: `7c9d0e1f-2a3b-4c5d-9e8f-00000000000${n}`,
      eventID: `3b8e4f10-6d2c-4a7e-b5f9-00000000000${n}`,
      ...detail,
    },
  };
}

export const driftEvents: Record<string, unknown> = {
  '01-disassociate-web-acl.json': envelope(1, 'aws.wafv2', {
    eventTime: '2026-11-23T09:12:04Z',
    eventSource: 'wafv2.amazonaws.com',
    eventName: 'DisassociateWebACL',
    apiVersion: '2019-04-23',
    userIdentity: alice,
    sourceIPAddress: '198.51.100.24',
    userAgent: console,
    sessionCredentialFromConsole: true,
    requestParameters: { resourceArn: `arn:aws:apigateway:${REGION}::/restapis/p7m2v8c4rt/stages/prod` },
    responseElements: null,
  }),
  '02-update-stage-logging-off.json': envelope(2, 'aws.apigateway', {
    eventTime: '2026-11-23T09:14:40Z',
    eventSource: 'apigateway.amazonaws.com',
    eventName: 'UpdateStage',
    userIdentity: alice,
    sourceIPAddress: '198.51.100.24',
    userAgent: console,
    sessionCredentialFromConsole: true,
    requestParameters: {
      restApiId: 'a9d3f5g7h1',
      stageName: 'prod',
      updateStageInput: { patchOperations: [{ op: 'replace', path: '/*/*/logging/loglevel', value: 'OFF' }] },
      template: false,
    },
    responseElements: { stageName: 'prod', deploymentId: 'bo7d2m', tracingEnabled: true },
  }),
  '03-update-method-authorization-none.json': envelope(3, 'aws.apigateway', {
    eventTime: '2026-11-23T09:20:11Z',
    eventSource: 'apigateway.amazonaws.com',
    eventName: 'UpdateMethod',
    userIdentity: alice,
    sourceIPAddress: '198.51.100.24',
    userAgent: cli,
    requestParameters: {
      restApiId: 'k3x9p2a7qd',
      resourceId: 'ord01x',
      httpMethod: 'GET',
      updateMethodInput: {
        patchOperations: [
          { op: 'replace', path: '/authorizationType', value: 'NONE' },
          { op: 'remove', path: '/authorizerId' },
        ],
      },
      template: false,
    },
    responseElements: { httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: false },
  }),
  '04-create-deployment-prod.json': envelope(4, 'aws.apigateway', {
    eventTime: '2026-11-23T09:21:37Z',
    eventSource: 'apigateway.amazonaws.com',
    eventName: 'CreateDeployment',
    userIdentity: deployer,
    sourceIPAddress: '203.0.113.80',
    userAgent: cli.replace('apigateway.update-method', 'apigateway.create-deployment'),
    requestParameters: {
      restApiId: 'k3x9p2a7qd',
      createDeploymentInput: { stageName: 'prod', description: 'hotfix: orders list for the status page' },
      template: false,
    },
    responseElements: {
      id: 'dpl8n3',
      description: 'hotfix: orders list for the status page',
      createdDate: 'Nov 23, 2026 9:21:37 AM',
    },
  }),
  '05-update-route-authorization-none.json': envelope(5, 'aws.apigateway', {
    eventTime: '2026-11-23T09:30:52Z',
    eventSource: 'apigateway.amazonaws.com',
    eventName: 'UpdateRoute',
    userIdentity: deployer,
    sourceIPAddress: '203.0.113.80',
    userAgent: terraform,
    requestParameters: {
      apiId: 'h2t4r6k8m0',
      routeId: 'tr2eta',
      routeKey: 'GET /shipments/{shipmentId}/eta',
    },
    responseElements: {
      authorizationType: 'NONE',
      routeId: 'tr2eta',
      apiKeyRequired: false,
      routeKey: 'GET /shipments/{shipmentId}/eta',
      target: 'integrations/ti7vpl',
    },
  }),
};

type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };

/** The account right after event 3 (the working copy changed, prod still serves the old deployment). */
export function stateAfterUpdateMethod(demo: Inventory): Inventory {
  const state = structuredClone(demo) as Mutable<Inventory>;
  state.collectedAt = '2026-11-23T09:20:30.000Z';
  const region = state.regions.find((r) => r.region === REGION);
  if (!region) throw new Error(`The demo inventory has no ${REGION}.`);
  const api = (id: string) => {
    const entry = region.restApis.find((e) => e.api.id === id);
    if (!entry) throw new Error(`The demo inventory has no REST API ${id}.`);
    return entry;
  };
  const stage = (id: string, name: string) => {
    const found = api(id).stages.find((s) => s.stageName === name);
    if (!found) throw new Error(`The demo inventory has no stage ${name} of ${id}.`);
    return found;
  };
  // 1. DisassociateWebACL: payments-api prod loses its web ACL.
  delete stage('p7m2v8c4rt', 'prod').webAclArn;
  // 2. UpdateStage: backoffice-admin prod stops writing execution logs.
  const backoffice = stage('a9d3f5g7h1', 'prod').methodSettings?.['*/*'];
  if (!backoffice) throw new Error('backoffice-admin prod has no */* method settings.');
  backoffice.loggingLevel = 'OFF';
  // 3. UpdateMethod: GET /orders loses its authorizer in the working copy.
  const orders = api('k3x9p2a7qd').resources.find((r) => r.path === '/orders')?.resourceMethods?.GET;
  if (!orders) throw new Error('orders-api has no GET /orders.');
  orders.authorizationType = 'NONE';
  delete orders.authorizerId;
  return state as Inventory;
}

/** The account after event 5: prod serves a deployment of that working copy, and a route is open. */
export function stateAfterDrift(demo: Inventory): Inventory {
  const state = structuredClone(stateAfterUpdateMethod(demo)) as Mutable<Inventory>;
  state.collectedAt = '2026-11-23T09:31:10.000Z';
  const region = state.regions.find((r) => r.region === REGION);
  const orders = region?.restApis.find((e) => e.api.id === 'k3x9p2a7qd');
  const prod = orders?.stages.find((s) => s.stageName === 'prod');
  if (!orders || !prod) throw new Error('The demo inventory lacks orders-api prod.');
  // 4. CreateDeployment: prod now serves the working copy as it is.
  const apiSummary: Record<
    string,
    Record<string, { authorizationType: string; apiKeyRequired: boolean }>
  > = {};
  for (const resource of orders.resources) {
    for (const [verb, method] of Object.entries(resource.resourceMethods ?? {})) {
      apiSummary[resource.path] = {
        ...apiSummary[resource.path],
        [verb]: {
          authorizationType: method.authorizationType ?? 'NONE',
          apiKeyRequired: method.apiKeyRequired ?? false,
        },
      };
    }
  }
  orders.deployments.dpl8n3 = { id: 'dpl8n3', createdDate: '2026-11-23T09:21:37.000Z', apiSummary };
  prod.deploymentId = 'dpl8n3';
  // 5. UpdateRoute: tracking-http's ETA route is open to anyone.
  const route = region?.v2Apis
    .find((e) => e.api.ApiId === 'h2t4r6k8m0')
    ?.routes.find((r) => r.RouteId === 'tr2eta');
  if (!route) throw new Error('The demo inventory lacks route tr2eta of tracking-http.');
  route.AuthorizationType = 'NONE';
  delete route.AuthorizerId;
  delete (route as Record<string, unknown>).AuthorizationScopes;
  return state as Inventory;
}

export const driftStates = {
  'state-1-after-update-method.json': stateAfterUpdateMethod,
  'state-2-after-drift.json': stateAfterDrift,
};
