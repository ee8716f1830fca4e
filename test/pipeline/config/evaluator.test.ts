// The AWS Config evaluator, end to end inside the process: a Config rule invocation in, the
// evaluations Config receives out (PutEvaluations), with the real SDK v3 clients answered by
// aws-sdk-client-mock in the shapes the SDK returns. The Config events of test/fixtures/events
// are used as they are, and so are the recordings of ../shared/events when present.
import {
  APIGatewayClient,
  GetAccountCommand,
  GetAuthorizersCommand,
  GetDeploymentCommand,
  GetRequestValidatorsCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStageCommand,
  GetStagesCommand,
  GetDomainNamesCommand as GetV1DomainNamesCommand,
  type RestApi,
  type Stage,
} from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client,
  GetApiCommand,
  GetApiMappingsCommand,
  GetApisCommand,
  GetDomainNamesCommand,
  GetIntegrationsCommand,
  GetRouteCommand,
  GetStageCommand as GetV2StageCommand,
} from '@aws-sdk/client-apigatewayv2';
import {
  ConfigServiceClient,
  ConfigServiceServiceException,
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import 'aws-sdk-client-mock-jest';
import { APIGatewayServiceException } from '@aws-sdk/client-api-gateway';
import { parseInvocation } from '../../../events/config-invocation';
import { ReadCache } from '../../../pipeline/config/cache';
import { handleInvocation } from '../../../pipeline/config/evaluator';
import { describeEachSet } from '../../support/event-sets';
import {
  ACCOUNT,
  CHANGE_DOCSAMPLE,
  changeNotification,
  configFacts,
  delivered,
  evaluatorDeps,
  lambdaEvent as fixtureLambdaEvent,
  item,
  OVERSIZED_DOCSAMPLE,
  REGION,
  SCHEDULED_DOCSAMPLE,
  STAGE_1,
  STAGE_2,
  V2_STAGE_1,
  V2_STAGE_2,
} from '../../support/pipeline/config';
import { mockClient } from '../../support/sdk';

const apigateway = mockClient(APIGatewayClient);
const apigatewayv2 = mockClient(ApiGatewayV2Client);
const config = mockClient(ConfigServiceClient);

beforeEach(() => {
  apigateway.reset();
  apigatewayv2.reset();
  config.reset();
  config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
});

async function run(event: unknown, deps = evaluatorDeps()) {
  return handleInvocation(parseInvocation(event), deps);
}

describeEachSet('the Config evaluator on the stage items and documented events', (set) => {
  const f = configFacts[set.kind];
  const recorded = <T = Record<string, unknown>>(name: string) => set.load<T>(name);
  const lambdaEvent = (invokingEvent: unknown, ruleId: string, overrides: Record<string, unknown> = {}) =>
    fixtureLambdaEvent(invokingEvent, ruleId, overrides, set);
  const LIMIT_ARN = f.stage1.arn;
  const TEST_ARN = f.stage2.arn;

  // ─── SDK-shaped answers for the REST API of the recorded stage items ────────────────────

  const restApi: RestApi = {
    id: f.restApi.id,
    name: f.restApi.name,
    createdDate: new Date('2018-12-04T10:00:00.000Z'),
    endpointConfiguration: { types: ['REGIONAL'] },
    apiKeySource: 'HEADER',
  };
  const limitStage: Stage = {
    deploymentId: f.stage1.deploymentId,
    stageName: f.stage1.name,
    cacheClusterEnabled: false,
    cacheClusterStatus: 'NOT_AVAILABLE',
    methodSettings: {
      [f.stage1.overrideKey]: { metricsEnabled: false, loggingLevel: 'OFF', dataTraceEnabled: false },
      '*/*': { metricsEnabled: false, loggingLevel: 'INFO', dataTraceEnabled: true },
    },
    tracingEnabled: false,
    createdDate: new Date(f.stage1.createdDate),
    lastUpdatedDate: new Date(f.stage1.lastUpdatedDate),
  };

  /** The REST API serves GET `openPath` without authorization from the stage's deployment. */
  function answerRestReads(stage: Stage = limitStage) {
    apigateway.on(GetRestApiCommand).resolves(restApi);
    apigateway.on(GetStageCommand).resolves(stage);
    apigateway.on(GetResourcesCommand).resolves({
      items: [
        { id: 'r00t', path: '/' },
        {
          id: 'pr0xy',
          path: f.stage1.openPath,
          resourceMethods: {
            GET: {
              httpMethod: 'GET',
              authorizationType: 'NONE',
              apiKeyRequired: false,
              methodIntegration: { type: 'HTTP_PROXY', uri: 'https://backend.example.com/{proxy}' },
            },
          },
        },
      ],
    });
    apigateway.on(GetAuthorizersCommand).resolves({ items: [] });
    apigateway.on(GetRequestValidatorsCommand).resolves({ items: [] });
    apigateway.on(GetDeploymentCommand).resolves({
      id: f.stage1.deploymentId,
      apiSummary: { [f.stage1.openPath]: { GET: { authorizationType: 'NONE', apiKeyRequired: false } } },
    });
  }

  describe('configuration item change: the REST stage items', () => {
    it('judges what the item records without reading AWS, and reports against the stage with its capture time', async () => {
      // Prepare
      const event = lambdaEvent(recorded(STAGE_1), 'rest-stage-xray-tracing');

      // Act
      await run(event);

      // Assess
      expect(config).toHaveReceivedCommandTimes(PutEvaluationsCommand, 1);
      expect(config).toHaveReceivedCommandWith(PutEvaluationsCommand, {
        ResultToken: f.docsamples.resultToken,
      });
      expect(delivered(config)).toEqual([
        {
          ComplianceResourceType: 'AWS::ApiGateway::Stage',
          ComplianceResourceId: LIMIT_ARN,
          ComplianceType: 'NON_COMPLIANT',
          Annotation: `Stage ${f.stage1.name} of REST API ${f.restApi.name} (${f.restApi.id}) has AWS X-Ray active tracing off; active tracing is expected.`,
          OrderingTimestamp: new Date(f.stage1.captureTime),
        },
      ]);
      expect(apigateway.calls()).toHaveLength(0);
    });

    it.each([
      [STAGE_1, 'rest-stage-execution-logging', 'NON_COMPLIANT', 'OFF'],
      [STAGE_1, 'rest-stage-data-trace-disabled', 'NON_COMPLIANT', 'full request and response data'],
      [STAGE_1, 'rest-stage-access-logging', 'NON_COMPLIANT', 'access logging is off'],
      [STAGE_1, 'rest-stage-cache-encrypted', 'NOT_APPLICABLE', 'no cache cluster'],
      [STAGE_1, 'rest-stage-throttling', 'COMPLIANT', '10000 requests/s'],
      [STAGE_1, 'stage-no-secrets-in-variables', 'COMPLIANT', 'no stage variables'],
      [STAGE_2, 'rest-stage-execution-logging', 'COMPLIANT', 'at INFO'],
      [STAGE_2, 'rest-stage-xray-tracing', 'COMPLIANT', 'tracing on'],
      [STAGE_2, 'rest-stage-data-trace-disabled', 'COMPLIANT', 'data tracing off'],
    ])('%s, %s: %s from the item alone', async (file, ruleId, complianceType, words) => {
      await run(lambdaEvent(recorded(file), ruleId));

      const [evaluation] = delivered(config);
      expect(evaluation?.ComplianceType).toBe(complianceType);
      expect(evaluation?.Annotation).toContain(words);
      expect(apigateway.calls()).toHaveLength(0);
    });

    it('reads the stage live for what Config does not record: the methods the stage serves', async () => {
      // Prepare
      answerRestReads();

      // Act
      await run(lambdaEvent(recorded(STAGE_1), 'rest-method-authorization'));

      // Assess
      const [evaluation] = delivered(config);
      expect(evaluation).toMatchObject({
        ComplianceResourceId: LIMIT_ARN,
        ComplianceType: 'NON_COMPLIANT',
        OrderingTimestamp: new Date(f.stage1.captureTime),
      });
      expect(evaluation?.Annotation).toContain(`GET ${f.stage1.openPath}`);
      expect(apigateway).toHaveReceivedCommandWith(GetDeploymentCommand, {
        restApiId: f.restApi.id,
        deploymentId: f.stage1.deploymentId,
      });
    });

    it('reads once for several rules on the same stage within seconds', async () => {
      // Prepare: one execution environment, one cache, three Config rules invoked for one change
      answerRestReads();
      const deps = evaluatorDeps(new ReadCache(30_000));

      // Act
      for (const ruleId of [
        'rest-method-authorization',
        'rest-stage-waf-attached',
        'rest-stage-client-certificate',
      ]) {
        await run(lambdaEvent(recorded(STAGE_1), ruleId), deps);
      }

      // Assess
      expect(apigateway).toHaveReceivedCommandTimes(GetStageCommand, 1);
      expect(apigateway).toHaveReceivedCommandTimes(GetRestApiCommand, 1);
      expect(delivered(config).map((evaluation) => evaluation.ComplianceType)).toEqual([
        'NON_COMPLIANT',
        'NON_COMPLIANT',
        'NON_COMPLIANT',
      ]);
    });

    it('reads again once the reuse window has passed', async () => {
      answerRestReads();
      let now = 0;
      const deps = evaluatorDeps(new ReadCache(30_000, () => now));

      await run(lambdaEvent(recorded(STAGE_1), 'rest-stage-waf-attached'), deps);
      now = 31_000;
      await run(lambdaEvent(recorded(STAGE_1), 'rest-stage-waf-attached'), deps);

      expect(apigateway).toHaveReceivedCommandTimes(GetStageCommand, 2);
    });

    it('takes the web ACL from an item that names it', async () => {
      // Prepare
      const event = recorded<{ configurationItem: { configuration: Record<string, unknown> } }>(STAGE_2);
      event.configurationItem.configuration.webAclArn =
        'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/orders/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';

      // Act
      await run(lambdaEvent(event, 'rest-stage-waf-attached'));

      // Assess
      expect(delivered(config)[0]?.ComplianceType).toBe('COMPLIANT');
      expect(apigateway.calls()).toHaveLength(0);
    });
  });

  describe('configuration item change: the HTTP/WebSocket stage items', () => {
    function answerV2Reads(stageName: string) {
      apigatewayv2.on(GetApiCommand).resolves({
        ApiId: f.v2Api.id,
        Name: f.v2Api.name,
        ProtocolType: 'WEBSOCKET',
        RouteSelectionExpression: '$request.body.action',
        CreatedDate: new Date('2019-04-13T17:00:00.000Z'),
      });
      apigatewayv2.on(GetV2StageCommand).resolves({
        StageName: stageName,
        DeploymentId: f.v2Api.deploymentId,
        DefaultRouteSettings: {
          DetailedMetricsEnabled: false,
          LoggingLevel: 'OFF',
          DataTraceEnabled: false,
          ThrottlingBurstLimit: 5000,
          ThrottlingRateLimit: 10000,
        },
        RouteSettings: {},
        StageVariables: {},
        CreatedDate: new Date(f.v2Api.createdDate),
        LastUpdatedDate: new Date(f.v2Api.createdDate),
        Tags: {},
      });
    }

    it.each([
      [V2_STAGE_1, f.v2Api.stage1],
      [V2_STAGE_2, f.v2Api.stage2],
    ])('%s: execution logging turned off on a WebSocket stage is non-compliant', async (file, stageName) => {
      // Prepare: the item does not say whether the API is HTTP or WebSocket, so the stage is read
      answerV2Reads(stageName);

      // Act
      await run(lambdaEvent(recorded(file), 'websocket-stage-execution-logging'));

      // Assess
      const [evaluation] = delivered(config);
      expect(evaluation).toMatchObject({
        ComplianceResourceType: 'AWS::ApiGatewayV2::Stage',
        ComplianceResourceId: `arn:aws:apigateway:us-east-1::/apis/${f.v2Api.id}/stages/${stageName}`,
        ComplianceType: 'NON_COMPLIANT',
      });
      expect(evaluation?.Annotation).toContain(`WebSocket API ${f.v2Api.name}`);
    });
  });

  describe('the protocol of an HTTP/WebSocket API, once read', () => {
    it('lets later stage items be judged from the item alone', async () => {
      // Prepare: one environment; the first rule reads the stage and learns the API is WebSocket
      apigatewayv2
        .on(GetApiCommand)
        .resolves({ ApiId: f.v2Api.id, Name: f.v2Api.name, ProtocolType: 'WEBSOCKET' });
      apigatewayv2
        .on(GetV2StageCommand)
        .resolves({ StageName: f.v2Api.stage1, DefaultRouteSettings: { LoggingLevel: 'OFF' } });
      let now = 0;
      const deps = evaluatorDeps(new ReadCache(30_000, () => now));
      await run(lambdaEvent(recorded(V2_STAGE_1), 'websocket-stage-execution-logging'), deps);
      now = 3_600_000;

      // Act: an hour later, another change to another stage of the same API
      await run(lambdaEvent(recorded(V2_STAGE_2), 'v2-stage-data-trace-disabled'), deps);

      // Assess
      expect(apigatewayv2.calls()).toHaveLength(2);
      const second = delivered(config)[1];
      expect(second?.ComplianceType).toBe('COMPLIANT');
      expect(second?.Annotation).toContain(`WebSocket API ${f.v2Api.name}`);
    });
  });

  describe('deleted, unrecorded and out-of-scope resources', () => {
    const deletedStage = () => {
      const event = recorded<{ configurationItem: Record<string, unknown> }>(STAGE_1);
      event.configurationItem.configurationItemStatus = 'ResourceDeleted';
      event.configurationItem.configuration = null;
      return event;
    };

    const notRecorded = () => {
      const event = recorded<{ configurationItem: Record<string, unknown> }>(STAGE_2);
      event.configurationItem.configurationItemStatus = 'ResourceNotRecorded';
      return event;
    };

    it.each([
      ['deleted', deletedStage, {}, 'was deleted'],
      ['not recorded', notRecorded, {}, 'not recorded'],
      ['out of scope', () => recorded(STAGE_2), { eventLeftScope: true }, 'no longer in the scope'],
    ])('%s: NOT_APPLICABLE, without reading anything', async (_case, invokingEvent, overrides, words) => {
      await run(lambdaEvent(invokingEvent(), 'rest-method-authorization', overrides));

      const [evaluation] = delivered(config);
      expect(evaluation?.ComplianceType).toBe('NOT_APPLICABLE');
      expect(evaluation?.Annotation).toContain(words);
      expect(apigateway.calls()).toHaveLength(0);
    });

    it('a stage deleted between the change and the read: NOT_APPLICABLE', async () => {
      apigateway.on(GetRestApiCommand).resolves(restApi);
      apigateway.on(GetStageCommand).rejects(
        new APIGatewayServiceException({
          name: 'NotFoundException',
          $fault: 'client',
          $metadata: { httpStatusCode: 404 },
          message: 'Invalid Stage identifier specified',
        }),
      );

      await run(lambdaEvent(recorded(STAGE_1), 'rest-method-authorization'));

      expect(delivered(config)[0]).toMatchObject({ ComplianceType: 'NOT_APPLICABLE' });
      expect(delivered(config)[0]?.Annotation).toContain('no longer exists');
    });
  });

  describe('oversized configuration items', () => {
    const summaryOf = (status = 'OK') => {
      const docsample = recorded<{ invokingEvent: string }>(OVERSIZED_DOCSAMPLE);
      const invoking = JSON.parse(docsample.invokingEvent);
      invoking.configurationItemSummary = {
        ...invoking.configurationItemSummary,
        configurationItemCaptureTime: f.stage1.captureTime,
        configurationItemStatus: status,
        resourceType: 'AWS::ApiGateway::Stage',
        resourceId: LIMIT_ARN,
        ARN: LIMIT_ARN,
        awsRegion: REGION,
        resourceName: f.stage1.name,
      };
      return invoking;
    };

    /** The recorded stage item as GetResourceConfigHistory returns it: configuration as a JSON string. */
    function historyAnswer() {
      const { configurationItem: recordedItem } = recorded<{ configurationItem: Record<string, unknown> }>(
        STAGE_1,
      );
      config.on(GetResourceConfigHistoryCommand).resolves({
        configurationItems: [
          {
            version: '1.3',
            accountId: ACCOUNT,
            configurationItemCaptureTime: new Date(f.stage1.captureTime),
            configurationItemStatus: 'OK',
            configurationStateId: f.stage1.stateId,
            arn: LIMIT_ARN,
            resourceType: 'AWS::ApiGateway::Stage',
            resourceId: LIMIT_ARN,
            resourceName: f.stage1.name,
            awsRegion: REGION,
            availabilityZone: 'Not Applicable',
            resourceCreationTime: new Date(f.stage1.resourceCreationTime),
            tags: {},
            relatedEvents: [],
            relationships: [
              {
                resourceType: 'AWS::ApiGateway::RestApi',
                resourceId: `arn:aws:apigateway:us-east-1::/restapis/${f.restApi.id}`,
                resourceName: f.restApi.name,
                relationshipName: 'Is contained in ',
              },
            ],
            configuration: JSON.stringify(recordedItem.configuration),
            supplementaryConfiguration: {},
          },
        ],
      });
    }

    it('fetches the item from the configuration history and judges it like any other', async () => {
      historyAnswer();
      const event = lambdaEvent(summaryOf(), 'rest-stage-xray-tracing', {});

      await run(event);

      expect(config).toHaveReceivedCommandWith(GetResourceConfigHistoryCommand, {
        resourceType: 'AWS::ApiGateway::Stage',
        resourceId: LIMIT_ARN,
        laterTime: new Date(f.stage1.captureTime),
        limit: 1,
      });
      expect(delivered(config)[0]).toMatchObject({
        ComplianceResourceId: LIMIT_ARN,
        ComplianceType: 'NON_COMPLIANT',
      });
    });

    it('a deleted resource is NOT_APPLICABLE without fetching anything', async () => {
      await run(lambdaEvent(summaryOf('ResourceDeleted'), 'rest-stage-xray-tracing'));

      expect(config).toHaveReceivedCommandTimes(GetResourceConfigHistoryCommand, 0);
      expect(delivered(config)[0]?.ComplianceType).toBe('NOT_APPLICABLE');
    });

    it('access denied to the history is an evaluation that says so', async () => {
      config.on(GetResourceConfigHistoryCommand).rejects(
        new ConfigServiceServiceException({
          name: 'AccessDeniedException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
          message: 'User is not authorized to perform config:GetResourceConfigHistory',
        }),
      );

      await run(lambdaEvent(summaryOf(), 'rest-stage-xray-tracing'));

      expect(delivered(config)[0]?.ComplianceType).toBe('NON_COMPLIANT');
      expect(delivered(config)[0]?.Annotation).toContain('access denied');
    });
  });

  describe('periodic runs', () => {
    const scheduled = (ruleId: string) => {
      const docsample = recorded(SCHEDULED_DOCSAMPLE);
      return {
        ...docsample,
        configRuleName: `gatewatch-${ruleId}`,
        ruleParameters: JSON.stringify({ ruleId }),
        configRuleArn: `arn:aws:config:${REGION}:${ACCOUNT}:config-rule/config-rule-6543210`,
      };
    };
    const NOTIFIED = new Date(f.docsamples.scheduledAt);

    /** One REST API with `count` stages, all serving an open GET /orders. */
    function answerRegion(count: number) {
      apigateway
        .on(GetAccountCommand)
        .resolves({ cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/apigw-logs` });
      apigateway.on(GetRestApisCommand).resolves({ items: [restApi] });
      apigateway.on(GetRestApiCommand).resolves(restApi);
      apigateway.on(GetStagesCommand).resolves({
        item: Array.from({ length: count }, (_, index) => ({ ...limitStage, stageName: `s${index}` })),
      });
      answerRestReads();
      apigatewayv2.on(GetApisCommand).resolves({ Items: [] });
      apigatewayv2.on(GetDomainNamesCommand).resolves({ Items: [] });
      apigatewayv2.on(GetApiMappingsCommand).resolves({ Items: [] });
      apigateway.on(GetV1DomainNamesCommand).resolves({ items: [] });
    }

    it('evaluates every stage of the region and delivers in batches of at most 100', async () => {
      // Prepare
      answerRegion(130);

      // Act
      const result = await run(scheduled('rest-method-authorization'));

      // Assess
      const calls = config.commandCalls(PutEvaluationsCommand);
      expect(calls.map((call) => call.args[0].input.Evaluations?.length)).toEqual([100, 30]);
      expect(calls.every((call) => call.args[0].input.ResultToken === f.docsamples.resultToken)).toBe(true);
      expect(result.evaluations).toHaveLength(130);
      expect(new Set(delivered(config).map((evaluation) => evaluation.ComplianceType))).toEqual(
        new Set(['NON_COMPLIANT']),
      );
      expect(
        delivered(config).every(
          (evaluation) => evaluation.OrderingTimestamp?.getTime() === NOTIFIED.getTime(),
        ),
      ).toBe(true);
    });

    it('marks resources reported before and gone now NOT_APPLICABLE', async () => {
      // Prepare
      answerRegion(1);
      config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
        EvaluationResults: [
          {
            EvaluationResultIdentifier: {
              EvaluationResultQualifier: {
                ConfigRuleName: 'gatewatch-rest-method-authorization',
                ResourceType: 'AWS::ApiGateway::Stage',
                ResourceId: TEST_ARN,
              },
            },
            ComplianceType: 'NON_COMPLIANT',
          },
        ],
      });

      // Act
      await run(scheduled('rest-method-authorization'));

      // Assess
      expect(config).toHaveReceivedCommandWith(GetComplianceDetailsByConfigRuleCommand, {
        ConfigRuleName: 'gatewatch-rest-method-authorization',
        ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'],
      });
      expect(
        delivered(config).find((evaluation) => evaluation.ComplianceResourceId === TEST_ARN),
      ).toMatchObject({
        ComplianceType: 'NOT_APPLICABLE',
        Annotation: `${TEST_ARN} no longer exists.`,
      });
    });

    it('clears nothing when the region could not be read, and says why', async () => {
      answerRegion(1);
      apigateway.on(GetRestApisCommand).rejects(
        new APIGatewayServiceException({
          name: 'AccessDeniedException',
          $fault: 'client',
          $metadata: { httpStatusCode: 403 },
          message: 'not authorized to perform apigateway:GET',
        }),
      );

      await run(scheduled('rest-method-authorization'));

      expect(config).toHaveReceivedCommandTimes(GetComplianceDetailsByConfigRuleCommand, 0);
      expect(delivered(config)).toEqual([
        expect.objectContaining({
          ComplianceResourceType: 'AWS::::Account',
          ComplianceResourceId: f.docsamples.accountId,
          ComplianceType: 'NON_COMPLIANT',
          Annotation: expect.stringContaining('access denied'),
        }),
      ]);
    });

    it('the account settings: reported against the account', async () => {
      apigateway.on(GetAccountCommand).resolves({ throttleSettings: { burstLimit: 5000, rateLimit: 10000 } });

      // The evaluator's own account: the account settings are read there, not through a member role.
      await run({ ...scheduled('account-cloudwatch-role'), accountId: ACCOUNT });

      expect(delivered(config)).toEqual([
        expect.objectContaining({
          ComplianceResourceType: 'AWS::::Account',
          ComplianceResourceId: ACCOUNT,
          ComplianceType: 'NON_COMPLIANT',
        }),
      ]);
    });
  });

  describe('rule parameters', () => {
    it.each([
      [
        'a value of the wrong type',
        { ruleId: 'rest-stage-throttling', maxRateLimit: 'lots' },
        'maxRateLimit',
      ],
      ['an unknown parameter', { ruleId: 'rest-stage-throttling', maxRate: '100' }, 'maxRate'],
      ['an unknown rule', { ruleId: 'rest-stage-everything' }, 'rest-stage-everything'],
    ])('%s gives a clear error evaluation, not a crash', async (_case, parameters, words) => {
      await run(
        lambdaEvent(recorded(STAGE_1), 'rest-stage-throttling', {
          ruleParameters: JSON.stringify(parameters),
        }),
      );

      const [evaluation] = delivered(config);
      expect(evaluation).toMatchObject({ ComplianceResourceId: LIMIT_ARN, ComplianceType: 'NON_COMPLIANT' });
      expect(evaluation?.Annotation).toContain(words);
    });

    it('are strings, as Config passes them: numbers and comma-separated lists are read as such', async () => {
      const parameters = { ruleId: 'rest-stage-throttling', maxRateLimit: '500', maxBurstLimit: '100' };

      await run(
        lambdaEvent(recorded(STAGE_2), 'rest-stage-throttling', {
          ruleParameters: JSON.stringify(parameters),
        }),
      );

      expect(delivered(config)[0]?.ComplianceType).toBe('NON_COMPLIANT');
      expect(delivered(config)[0]?.Annotation).toContain('500');
    });

    it('the Config rule name stands in for a missing ruleId, conformance pack suffix included', async () => {
      const event = lambdaEvent(recorded(STAGE_1), 'x', {
        configRuleName: 'gatewatch-rest-stage-xray-tracing-conformance-pack-a1b2c3d4',
        ruleParameters: '{}',
      });

      const result = await run(event);

      expect(result.evaluations[0]).toMatchObject({
        ruleId: 'rest-stage-xray-tracing',
        complianceType: 'NON_COMPLIANT',
      });
    });
  });

  describe('the documented Config Lambda events, used as they are', () => {
    it.each([
      [CHANGE_DOCSAMPLE, 'AWS::EC2::Instance', f.docsamples.instanceId],
      [OVERSIZED_DOCSAMPLE, 'AWS::EC2::Instance', f.docsamples.instanceId],
      [SCHEDULED_DOCSAMPLE, 'AWS::::Account', f.docsamples.accountId],
    ])('%s names no gatewatch rule: an error evaluation says so', async (file, resourceType, resourceId) => {
      await run(recorded(file));

      expect(config).toHaveReceivedCommandWith(PutEvaluationsCommand, {
        ResultToken: f.docsamples.resultToken,
      });
      expect(delivered(config)).toEqual([
        expect.objectContaining({
          ComplianceResourceType: resourceType,
          ComplianceResourceId: resourceId,
          ComplianceType: 'NON_COMPLIANT',
          Annotation: expect.stringContaining('gatewatch-<rule id>'),
        }),
      ]);
      expect(config).toHaveReceivedCommandTimes(GetResourceConfigHistoryCommand, 0);
    });

    it.each([CHANGE_DOCSAMPLE, OVERSIZED_DOCSAMPLE])(
      '%s as a gatewatch rule: an EC2 instance is not applicable',
      async (file) => {
        await run({
          ...recorded<Record<string, unknown>>(file),
          configRuleName: 'gatewatch-rest-stage-waf-attached',
        });

        expect(delivered(config)[0]).toMatchObject({ ComplianceType: 'NOT_APPLICABLE' });
        expect(delivered(config)[0]?.Annotation).toContain('not AWS::EC2::Instance');
        expect(config).toHaveReceivedCommandTimes(GetResourceConfigHistoryCommand, 0);
      },
    );
  });
});

describe('configuration item change: each resource type gatewatch uses', () => {
  const API = `arn:aws:apigateway:${REGION}::/restapis/a1b2c3d4e5`;
  const V2_API = `arn:aws:apigateway:${REGION}::/apis/h7t7p9a1b2`;

  it('AWS::ApiGateway::RestApi: the endpoint type from the item', async () => {
    const restApiItem = item('AWS::ApiGateway::RestApi', API, {
      id: 'a1b2c3d4e5',
      name: 'orders-api',
      createdDate: 'Mar 1, 2024 9:00:00 AM',
      apiKeySource: 'HEADER',
      endpointConfiguration: { types: ['EDGE'] },
    });

    await run(fixtureLambdaEvent(changeNotification(restApiItem), 'rest-api-endpoint-type'));

    expect(delivered(config)[0]).toMatchObject({
      ComplianceResourceType: 'AWS::ApiGateway::RestApi',
      ComplianceResourceId: API,
      ComplianceType: 'NON_COMPLIANT',
    });
    expect(apigateway.calls()).toHaveLength(0);
  });

  it('AWS::ApiGatewayV2::Api: integrations are read live', async () => {
    apigatewayv2.on(GetApiCommand).resolves({ ApiId: 'h7t7p9a1b2', Name: 'catalog', ProtocolType: 'HTTP' });
    apigatewayv2.on(GetIntegrationsCommand).resolves({
      Items: [
        {
          IntegrationId: 'int01',
          IntegrationType: 'HTTP_PROXY',
          ConnectionType: 'VPC_LINK',
          IntegrationUri:
            'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/catalog/50dc6c495c0c9188/0467ef3c8400ae65',
        },
      ],
    });
    apigatewayv2.on(GetDomainNamesCommand).resolves({ Items: [] });
    const apiItem = item('AWS::ApiGatewayV2::Api', V2_API, {
      apiId: 'h7t7p9a1b2',
      name: 'catalog',
      protocolType: 'HTTP',
      apiEndpoint: 'https://h7t7p9a1b2.execute-api.us-east-1.amazonaws.com',
    });

    await run(fixtureLambdaEvent(changeNotification(apiItem), 'http-private-integration-tls'));

    expect(delivered(config)[0]).toMatchObject({
      ComplianceResourceType: 'AWS::ApiGatewayV2::Api',
      ComplianceResourceId: V2_API,
      ComplianceType: 'NON_COMPLIANT',
    });
    expect(apigatewayv2).toHaveReceivedCommandWith(GetIntegrationsCommand, { ApiId: 'h7t7p9a1b2' });
  });

  it('AWS::ApiGatewayV2::Route: a route opened to anyone', async () => {
    apigatewayv2.on(GetApiCommand).resolves({ ApiId: 'h7t7p9a1b2', Name: 'catalog', ProtocolType: 'HTTP' });
    apigatewayv2
      .on(GetRouteCommand)
      .resolves({ RouteId: 'rt01', RouteKey: 'GET /items', AuthorizationType: 'NONE' });
    const routeItem = item(
      'AWS::ApiGatewayV2::Route',
      `${V2_API}/routes/rt01`,
      { routeId: 'rt01', routeKey: 'GET /items', authorizationType: 'NONE', apiKeyRequired: false },
      {
        relationships: [
          {
            resourceId: V2_API,
            resourceName: 'catalog',
            resourceType: 'AWS::ApiGatewayV2::Api',
            name: 'Is contained in ',
          },
        ],
      },
    );

    await run(fixtureLambdaEvent(changeNotification(routeItem), 'v2-route-authorization'));

    const [evaluation] = delivered(config);
    expect(evaluation).toMatchObject({
      ComplianceResourceType: 'AWS::ApiGatewayV2::Route',
      ComplianceResourceId: `${V2_API}/routes/rt01`,
      ComplianceType: 'NON_COMPLIANT',
    });
    expect(evaluation?.Annotation).toContain('Route GET /items of HTTP API catalog');
  });

  it('AWS::ApiGateway::DomainName: the security policy from the item', async () => {
    const domainItem = item(
      'AWS::ApiGateway::DomainName',
      'api.example.com',
      {
        domainName: 'api.example.com',
        securityPolicy: 'TLS_1_0',
        endpointConfiguration: { types: ['REGIONAL'] },
        regionalDomainName: 'd-abcdef1234.execute-api.us-east-1.amazonaws.com',
      },
      { ARN: `arn:aws:apigateway:${REGION}::/domainnames/api.example.com` },
    );

    await run(fixtureLambdaEvent(changeNotification(domainItem), 'domain-tls-policy'));

    expect(delivered(config)[0]).toMatchObject({
      ComplianceResourceType: 'AWS::ApiGateway::DomainName',
      ComplianceResourceId: 'api.example.com',
      ComplianceType: 'NON_COMPLIANT',
    });
    expect(apigatewayv2.calls()).toHaveLength(0);
  });
});

describe('other message types', () => {
  it('a snapshot delivery notice evaluates nothing and sends nothing', async () => {
    const notice = {
      messageType: 'ConfigurationSnapshotDeliveryCompleted',
      notificationCreationTime: '2026-11-02T10:00:00.000Z',
    };

    const result = await run(fixtureLambdaEvent(notice, 'rest-stage-xray-tracing'));

    expect(result.evaluations).toEqual([]);
    expect(config).toHaveReceivedCommandTimes(PutEvaluationsCommand, 0);
  });
});
