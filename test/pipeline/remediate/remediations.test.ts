// Each remediation, applied through the real SDK v3 clients (aws-sdk-client-mock answers with
// the documented response shapes): the exact calls made, in order, with their exact inputs, and
// the verdict handed on to the notifications.
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  UpdateAccountCommand,
  UpdateDomainNameCommand,
  UpdateMethodCommand,
  UpdateRestApiCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client,
  UpdateApiCommand,
  UpdateRouteCommand,
  UpdateStageCommand as UpdateV2StageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { AssociateWebACLCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import 'aws-sdk-client-mock-jest';
import type { Verdict } from '../../../model/verdict';
import type { Snapshot } from '../../../rules/core/resources';
import {
  $metadata,
  CLOUDWATCH_ROLE,
  harness,
  keptFor,
  knownGood,
  remediateAll,
  resourceIds,
  verdictOn,
} from '../../support/pipeline/remediation';
import { mockClient } from '../../support/sdk';
import {
  ACCESS_LOG_GROUP_ARN,
  account,
  domainName,
  restApi,
  restMethod,
  restStage,
  v2Api,
  v2Route,
  v2Stage,
  WEB_ACL_ARN,
  webSocketStage,
} from '../../support/snapshots';

const apigateway = mockClient(APIGatewayClient);
const apigatewayv2 = mockClient(ApiGatewayV2Client);
const wafv2 = mockClient(WAFV2Client);

beforeEach(() => {
  apigateway.reset();
  apigatewayv2.reset();
  wafv2.reset();
});

/** Every call each client received, as `Operation` and input, in order. */
const sent = () =>
  [apigateway, apigatewayv2, wafv2].flatMap((mock) =>
    mock.calls().map((call) => {
      const command = call.args[0] as { constructor: { name: string }; input: unknown };
      return { operation: command.constructor.name.replace(/Command$/, ''), input: command.input };
    }),
  );

async function remediate(verdict: Verdict, snapshots: readonly Snapshot[], options = {}) {
  // The drift path kept the known good state the message hints at in the table.
  const run = harness(snapshots, { knownGood: keptFor(verdict), ...options });
  await run.remediator.handle([verdict]);
  const [forwarded] = run.forwarded.verdicts;
  return { ...run, forwarded: forwarded as Verdict };
}

const stageResponse = {
  deploymentId: 'dep123',
  stageName: 'prod',
  tracingEnabled: true,
  createdDate: new Date('2026-01-12T10:00:00Z'),
  lastUpdatedDate: new Date('2026-11-23T09:15:11Z'),
  $metadata,
};
const ACCOUNT_WITH_ROLE = account();

describe('rest-stage-execution-logging', () => {
  const stage = restStage({
    methodSettings: {
      '*/*': { loggingLevel: 'OFF', dataTraceEnabled: false, metricsEnabled: true },
      '~1orders/GET': { loggingLevel: 'OFF' },
      '~1health/GET': { loggingLevel: 'INFO' },
    },
  });

  it('sets the stage default and every weaker override to ERROR with one UpdateStage', async () => {
    // Prepare
    apigateway.on(UpdateStageCommand).resolves(stageResponse);
    // Act
    const { forwarded } = await remediate(verdictOn('rest-stage-execution-logging', stage), [
      stage,
      ACCOUNT_WITH_ROLE,
    ]);
    // Assess
    expect(sent()).toEqual([
      {
        operation: 'UpdateStage',
        input: {
          restApiId: 'a1b2c3d4e5',
          stageName: 'prod',
          patchOperations: [
            { op: 'replace', path: '/*/*/logging/loglevel', value: 'ERROR' },
            { op: 'replace', path: '/~1orders/GET/logging/loglevel', value: 'ERROR' },
          ],
        },
      },
    ]);
    expect(forwarded.remediation).toEqual({
      action: 'applied',
      calls: [
        'apigateway:UpdateStage stage prod of API a1b2c3d4e5: /*/*/logging/loglevel → ERROR, /~1orders/GET/logging/loglevel → ERROR',
      ],
      result:
        'Applied: 1 call made; stage prod of REST API orders-api (a1b2c3d4e5) should now comply with rest-stage-execution-logging.',
    });
  });

  it("sets the account's CloudWatch Logs role first when the account settings name none", async () => {
    // Prepare
    apigateway.on(UpdateAccountCommand).resolves({
      cloudwatchRoleArn: CLOUDWATCH_ROLE,
      throttleSettings: { burstLimit: 5000, rateLimit: 10000 },
      features: ['UsagePlans'],
      apiKeyVersion: '4',
      $metadata,
    });
    apigateway.on(UpdateStageCommand).resolves(stageResponse);
    // Act
    const { forwarded } = await remediate(verdictOn('rest-stage-execution-logging', stage), [
      stage,
      account({ cloudwatchRoleArn: null }),
    ]);
    // Assess
    expect(sent().map((call) => call.operation)).toEqual(['UpdateAccount', 'UpdateStage']);
    expect(apigateway).toHaveReceivedNthCommandWith(1, UpdateAccountCommand, {
      patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: CLOUDWATCH_ROLE }],
    });
    expect(forwarded.remediation?.result).toContain('logging does nothing without it');
  });

  it('notifies instead when no CloudWatch Logs role is known to set', async () => {
    // Act
    const { forwarded } = await remediate(
      verdictOn('rest-stage-execution-logging', stage),
      [stage, account({ cloudwatchRoleArn: null })],
      { cloudwatchRoleArn: undefined },
    );
    // Assess
    expect(sent()).toEqual([]);
    expect(forwarded.remediation).toMatchObject({
      action: 'skipped',
      result: expect.stringContaining('name no CloudWatch Logs role'),
    });
  });
});

describe('rest-stage-access-logging', () => {
  it('writes JSON access logs with the required variables to the configured log group', async () => {
    // Prepare
    const stage = restStage({ accessLog: null });
    apigateway.on(UpdateStageCommand).resolves(stageResponse);
    const settings = remediateAll({
      rules: {
        'rest-stage-access-logging': {
          mode: 'remediate',
          parameters: { defaultDestinationArn: ACCESS_LOG_GROUP_ARN },
        },
      },
    });
    // Act
    const { forwarded } = await remediate(
      verdictOn('rest-stage-access-logging', stage),
      [stage, ACCOUNT_WITH_ROLE],
      {
        settings,
      },
    );
    // Assess
    const [call] = sent();
    expect(call).toEqual({
      operation: 'UpdateStage',
      input: {
        restApiId: 'a1b2c3d4e5',
        stageName: 'prod',
        patchOperations: [
          { op: 'replace', path: '/accessLogSettings/destinationArn', value: ACCESS_LOG_GROUP_ARN },
          { op: 'replace', path: '/accessLogSettings/format', value: expect.any(String) },
        ],
      },
    });
    const format = JSON.parse(
      (call as { input: { patchOperations: { value: string }[] } }).input.patchOperations[1]?.value as string,
    );
    expect(format).toMatchObject({ requestId: '$context.requestId', ip: '$context.identity.sourceIp' });
    expect(forwarded.remediation?.action).toBe('applied');
  });

  it('never picks a log group: without a destination or defaultDestinationArn it notifies', async () => {
    const stage = restStage({ accessLog: null });
    const { forwarded } = await remediate(verdictOn('rest-stage-access-logging', stage), [
      stage,
      ACCOUNT_WITH_ROLE,
    ]);
    expect(sent()).toEqual([]);
    expect(forwarded.remediation).toMatchObject({
      action: 'skipped',
      result: expect.stringContaining('defaultDestinationArn'),
    });
  });
});

describe('rest-stage-data-trace-disabled, rest-stage-xray-tracing, rest-stage-cache-encrypted', () => {
  it('turns data tracing off where it is on', async () => {
    const stage = restStage({
      methodSettings: {
        '*/*': { loggingLevel: 'INFO', dataTraceEnabled: true },
        '~1orders/POST': { dataTraceEnabled: true },
      },
    });
    apigateway.on(UpdateStageCommand).resolves(stageResponse);
    await remediate(verdictOn('rest-stage-data-trace-disabled', stage), [stage]);
    expect(sent()).toEqual([
      {
        operation: 'UpdateStage',
        input: {
          restApiId: 'a1b2c3d4e5',
          stageName: 'prod',
          patchOperations: [
            { op: 'replace', path: '/*/*/logging/dataTrace', value: 'false' },
            { op: 'replace', path: '/~1orders/POST/logging/dataTrace', value: 'false' },
          ],
        },
      },
    ]);
  });

  it('turns X-Ray active tracing on', async () => {
    const stage = restStage({ tracingEnabled: false });
    apigateway.on(UpdateStageCommand).resolves(stageResponse);
    await remediate(verdictOn('rest-stage-xray-tracing', stage), [stage]);
    expect(sent()).toEqual([
      {
        operation: 'UpdateStage',
        input: {
          restApiId: 'a1b2c3d4e5',
          stageName: 'prod',
          patchOperations: [{ op: 'replace', path: '/tracingEnabled', value: 'true' }],
        },
      },
    ]);
  });

  it('encrypts the cache of the stage default and of overrides that say false', async () => {
    const stage = restStage({
      cacheClusterEnabled: true,
      methodSettings: {
        '*/*': { cachingEnabled: true, cacheDataEncrypted: false },
        '~1orders/GET': { cachingEnabled: true, cacheDataEncrypted: false },
        '~1health/GET': { cachingEnabled: false, cacheDataEncrypted: false },
      },
    });
    apigateway.on(UpdateStageCommand).resolves(stageResponse);
    await remediate(verdictOn('rest-stage-cache-encrypted', stage), [stage]);
    expect(sent()).toEqual([
      {
        operation: 'UpdateStage',
        input: {
          restApiId: 'a1b2c3d4e5',
          stageName: 'prod',
          patchOperations: [
            { op: 'replace', path: '/*/*/caching/dataEncrypted', value: 'true' },
            { op: 'replace', path: '/~1orders/GET/caching/dataEncrypted', value: 'true' },
          ],
        },
      },
    ]);
  });
});

describe('rest-stage-waf-attached', () => {
  const detached = restStage({ webAclArn: null, webAcl: null });

  it('re-associates the web ACL the stage had before the drift', async () => {
    // Prepare
    wafv2.on(AssociateWebACLCommand).resolves({ $metadata });
    const verdict = verdictOn('rest-stage-waf-attached', detached, { knownGood: knownGood(restStage()) });
    // Act
    const { forwarded } = await remediate(verdict, [detached]);
    // Assess
    expect(sent()).toEqual([
      { operation: 'AssociateWebACL', input: { WebACLArn: WEB_ACL_ARN, ResourceArn: detached.arn } },
    ]);
    expect(forwarded.remediation?.calls).toEqual([
      `wafv2:AssociateWebACL stage prod of API a1b2c3d4e5: associate ${WEB_ACL_ARN} (the web ACL attached before the drift)`,
    ]);
    expect(forwarded).not.toHaveProperty('knownGood');
  });

  it('falls back to the configured default web ACL', async () => {
    wafv2.on(AssociateWebACLCommand).resolves({ $metadata });
    const fallback = WEB_ACL_ARN.replace('orders-protection', 'default-protection');
    const settings = remediateAll({
      rules: { 'rest-stage-waf-attached': { mode: 'remediate', parameters: { defaultWebAclArn: fallback } } },
    });
    await remediate(verdictOn('rest-stage-waf-attached', detached), [detached], { settings });
    expect(wafv2).toHaveReceivedCommandWith(AssociateWebACLCommand, {
      WebACLArn: fallback,
      ResourceArn: detached.arn,
    });
  });

  it('notifies instead of guessing when neither is known', async () => {
    const { forwarded } = await remediate(verdictOn('rest-stage-waf-attached', detached), [detached]);
    expect(sent()).toEqual([]);
    expect(forwarded.remediation).toMatchObject({
      action: 'skipped',
      result: expect.stringContaining('does not guess'),
    });
  });
});

describe('rest-method-authorization', () => {
  const open = restStage({
    deploymentId: 'dep456',
    methods: {
      source: 'deployment',
      served: [restMethod({ authorizationType: 'NONE', authorizer: null })],
    },
  });
  const before = restStage();

  it('puts the authorizer back with UpdateMethod, then deploys the stage', async () => {
    // Prepare
    apigateway.on(UpdateMethodCommand).resolves({
      httpMethod: 'GET',
      authorizationType: 'COGNITO_USER_POOLS',
      authorizerId: 'auth01',
      apiKeyRequired: false,
      $metadata,
    });
    apigateway.on(CreateDeploymentCommand).resolves({
      id: 'dep789',
      description: 'gatewatch: restore authorization on GET /orders',
      createdDate: new Date('2026-11-23T09:15:12Z'),
      $metadata,
    });
    const verdict = verdictOn('rest-method-authorization', open, {
      eventName: 'CreateDeployment',
      knownGood: knownGood(before),
    });
    // Act
    const { forwarded } = await remediate(verdict, [open, restApi()], {
      resourceIds: resourceIds({ '/orders': 'ord01x' }),
    });
    // Assess
    expect(sent()).toEqual([
      {
        operation: 'UpdateMethod',
        input: {
          restApiId: 'a1b2c3d4e5',
          resourceId: 'ord01x',
          httpMethod: 'GET',
          patchOperations: [
            { op: 'replace', path: '/authorizationType', value: 'COGNITO_USER_POOLS' },
            { op: 'replace', path: '/authorizerId', value: 'auth01' },
          ],
        },
      },
      {
        operation: 'CreateDeployment',
        input: {
          restApiId: 'a1b2c3d4e5',
          stageName: 'prod',
          description: 'gatewatch: restore authorization on GET /orders',
        },
      },
    ]);
    expect(forwarded.remediation?.action).toBe('applied');
  });

  it('refuses to deploy when the working copy holds other undeployed changes', async () => {
    const verdict = verdictOn('rest-method-authorization', open, { knownGood: knownGood(before) });
    const { forwarded } = await remediate(verdict, [open, restApi()], {
      resourceIds: resourceIds({ '/orders': 'ord01x' }),
      pending: [open],
    });
    expect(sent()).toEqual([]);
    expect(forwarded.remediation).toMatchObject({
      action: 'skipped',
      result: expect.stringContaining('a deployment would ship them too'),
    });
  });

  it('notifies instead of guessing when no earlier authorizer is known', async () => {
    const { forwarded } = await remediate(verdictOn('rest-method-authorization', open), [open, restApi()]);
    expect(sent()).toEqual([]);
    expect(forwarded.remediation).toMatchObject({
      action: 'skipped',
      result: expect.stringContaining('does not guess'),
    });
  });
});

describe('v2-route-authorization', () => {
  it('puts the route authorizer back with UpdateRoute', async () => {
    const route = v2Route({ authorizationType: 'NONE', authorizer: null });
    apigatewayv2.on(UpdateRouteCommand).resolves({
      RouteId: 'r0ute01',
      RouteKey: 'GET /items',
      AuthorizationType: 'JWT',
      AuthorizerId: 'jwt001',
      ApiKeyRequired: false,
      $metadata,
    });
    const verdict = verdictOn('v2-route-authorization', route, {
      eventName: 'UpdateRoute',
      knownGood: knownGood(v2Route()),
    });
    await remediate(verdict, [route]);
    expect(sent()).toEqual([
      {
        operation: 'UpdateRoute',
        input: { ApiId: 'h7t7p9a1b2', RouteId: 'r0ute01', AuthorizationType: 'JWT', AuthorizerId: 'jwt001' },
      },
    ]);
  });
});

describe('v2-stage-access-logging, websocket-stage-execution-logging, v2-stage-data-trace-disabled', () => {
  const v2StageResponse = { StageName: 'prod', ApiGatewayManaged: false, AutoDeploy: false, $metadata };

  it('sets JSON access logs on an HTTP stage, to the configured log group', async () => {
    const stage = v2Stage({ accessLog: null });
    apigatewayv2.on(UpdateV2StageCommand).resolves(v2StageResponse);
    const settings = remediateAll({
      rules: {
        'v2-stage-access-logging': {
          mode: 'remediate',
          parameters: { defaultDestinationArn: ACCESS_LOG_GROUP_ARN },
        },
      },
    });
    await remediate(verdictOn('v2-stage-access-logging', stage), [stage], { settings });
    expect(sent()).toEqual([
      {
        operation: 'UpdateStage',
        input: {
          ApiId: 'h7t7p9a1b2',
          StageName: '$default',
          AccessLogSettings: {
            DestinationArn: ACCESS_LOG_GROUP_ARN,
            Format:
              '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","routeKey":"$context.routeKey","status":"$context.status","responseLength":"$context.responseLength"}',
          },
        },
      },
    ]);
  });

  it('raises WebSocket execution logging, keeping every other route setting', async () => {
    const stage = webSocketStage({
      defaultRouteSettings: {
        loggingLevel: 'OFF',
        dataTraceEnabled: false,
        throttlingRateLimit: 500,
        throttlingBurstLimit: 1000,
      },
      routeSettings: {
        $connect: { loggingLevel: 'OFF', throttlingRateLimit: 50 },
        sendMessage: { loggingLevel: 'INFO' },
      },
    });
    apigatewayv2.on(UpdateV2StageCommand).resolves(v2StageResponse);
    await remediate(verdictOn('websocket-stage-execution-logging', stage), [stage, ACCOUNT_WITH_ROLE]);
    expect(sent()).toEqual([
      {
        operation: 'UpdateStage',
        input: {
          ApiId: 'w5s0ck3t01',
          StageName: 'prod',
          DefaultRouteSettings: {
            DataTraceEnabled: false,
            LoggingLevel: 'ERROR',
            ThrottlingBurstLimit: 1000,
            ThrottlingRateLimit: 500,
          },
          RouteSettings: { $connect: { LoggingLevel: 'ERROR', ThrottlingRateLimit: 50 } },
        },
      },
    ]);
  });

  it('turns WebSocket data tracing off', async () => {
    const stage = webSocketStage({
      defaultRouteSettings: { loggingLevel: 'INFO', dataTraceEnabled: true },
    });
    apigatewayv2.on(UpdateV2StageCommand).resolves(v2StageResponse);
    await remediate(verdictOn('v2-stage-data-trace-disabled', stage), [stage]);
    expect(sent()).toEqual([
      {
        operation: 'UpdateStage',
        input: {
          ApiId: 'w5s0ck3t01',
          StageName: 'prod',
          DefaultRouteSettings: { DataTraceEnabled: false, LoggingLevel: 'INFO' },
        },
      },
    ]);
  });
});

describe('api-default-endpoint-disabled', () => {
  it('turns the REST default endpoint off and deploys a stage that serves the working copy already', async () => {
    // Prepare
    const api = restApi({ customDomainNames: ['api.example.com'] });
    apigateway
      .on(UpdateRestApiCommand)
      .resolves({ id: 'a1b2c3d4e5', name: 'orders-api', disableExecuteApiEndpoint: true, $metadata });
    apigateway
      .on(CreateDeploymentCommand)
      .resolves({ id: 'dep900', createdDate: new Date('2026-11-23T09:15:12Z'), $metadata });
    const staging = restStage({ stageName: 'staging' });
    // Act
    await remediate(
      verdictOn('api-default-endpoint-disabled', api, { eventName: 'UpdateRestApi' }),
      [api, restStage(), staging],
      { pending: [staging] },
    );
    // Assess
    expect(sent()).toEqual([
      {
        operation: 'UpdateRestApi',
        input: {
          restApiId: 'a1b2c3d4e5',
          patchOperations: [{ op: 'replace', path: '/disableExecuteApiEndpoint', value: 'true' }],
        },
      },
      {
        operation: 'CreateDeployment',
        input: {
          restApiId: 'a1b2c3d4e5',
          stageName: 'prod',
          description: 'gatewatch: apply disableExecuteApiEndpoint',
        },
      },
    ]);
  });

  it('refuses when every stage has undeployed changes', async () => {
    const api = restApi({ customDomainNames: ['api.example.com'] });
    const prod = restStage();
    const { forwarded } = await remediate(verdictOn('api-default-endpoint-disabled', api), [api, prod], {
      pending: [prod],
    });
    expect(sent()).toEqual([]);
    expect(forwarded.remediation).toMatchObject({
      action: 'skipped',
      result: expect.stringContaining('would ship them'),
    });
  });

  it('turns an HTTP API default endpoint off with UpdateApi', async () => {
    const api = v2Api({ customDomainNames: ['catalog.example.com'] });
    apigatewayv2.on(UpdateApiCommand).resolves({
      ApiId: 'h7t7p9a1b2',
      Name: 'catalog-http',
      ProtocolType: 'HTTP',
      DisableExecuteApiEndpoint: true,
      $metadata,
    });
    await remediate(verdictOn('api-default-endpoint-disabled', api), [api]);
    expect(sent()).toEqual([
      { operation: 'UpdateApi', input: { ApiId: 'h7t7p9a1b2', DisableExecuteApiEndpoint: true } },
    ]);
  });
});

describe('domain-tls-policy and account-cloudwatch-role', () => {
  it('sets the custom domain security policy to TLS_1_2', async () => {
    const domain = domainName({ securityPolicy: 'TLS_1_0' });
    apigateway
      .on(UpdateDomainNameCommand)
      .resolves({ domainName: 'api.example.com', securityPolicy: 'TLS_1_2', $metadata });
    await remediate(verdictOn('domain-tls-policy', domain), [domain]);
    expect(sent()).toEqual([
      {
        operation: 'UpdateDomainName',
        input: {
          domainName: 'api.example.com',
          patchOperations: [{ op: 'replace', path: '/securityPolicy', value: 'TLS_1_2' }],
        },
      },
    ]);
  });

  it("sets the account's CloudWatch Logs role, the configured one before gatewatch's own", async () => {
    const bare = account({ cloudwatchRoleArn: null });
    const configured = 'arn:aws:iam::123456789012:role/platform/apigateway-logs';
    apigateway.on(UpdateAccountCommand).resolves({ cloudwatchRoleArn: configured, $metadata });
    const settings = remediateAll({
      rules: { 'account-cloudwatch-role': { mode: 'remediate', parameters: { roleArn: configured } } },
    });
    await remediate(verdictOn('account-cloudwatch-role', bare), [bare], { settings });
    expect(sent()).toEqual([
      {
        operation: 'UpdateAccount',
        input: { patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: configured }] },
      },
    ]);
  });
});
