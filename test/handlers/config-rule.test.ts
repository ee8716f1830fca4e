// The Lambda adapter: access denied is told apart from an internal error in the logs, a fault
// is thrown (Lambda retries; Config shows the failed invocation), and one execution
// environment reads a resource once for the burst of rules a change brings.
import {
  APIGatewayClient,
  APIGatewayServiceException,
  GetDeploymentCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetStageCommand,
} from '@aws-sdk/client-api-gateway';
import {
  ConfigServiceClient,
  ConfigServiceServiceException,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import 'aws-sdk-client-mock-jest';
import { handler } from '../../handlers/config-rule';
import { ValidationError } from '../../rules/core/validation';
import { lambdaEvent, recorded } from '../support/pipeline/config';
import { mockClient } from '../support/sdk';

const apigateway = mockClient(APIGatewayClient);
const config = mockClient(ConfigServiceClient);
let lines: Record<string, unknown>[];

beforeEach(() => {
  apigateway.reset();
  config.reset();
  config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  lines = [];
  // The function's log lines (Powertools writes them to stdout, as the EMF documents it skips).
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    for (const line of String(chunk)
      .split('\n')
      .filter((line) => line.trim() !== '')) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if (!('_aws' in parsed)) lines.push(parsed);
    }
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());

/** A stage item of the fixtures, moved to its own stage so each test reads afresh. */
function stageEvent(stageName: string, ruleId: string) {
  const event = recorded<{ configurationItem: Record<string, unknown> }>(
    'config-invokingEvent-ApiGatewayStage-2.json',
  );
  const arn = `arn:aws:apigateway:us-east-1::/restapis/k7m2p9q4ab/stages/${stageName}`;
  event.configurationItem = {
    ...event.configurationItem,
    resourceId: arn,
    ARN: arn,
    resourceName: stageName,
  };
  (event.configurationItem.configuration as Record<string, unknown>).stageName = stageName;
  return lambdaEvent(event, ruleId);
}

const serviceError = (name: string, status: number, fault: 'client' | 'server' = 'client') =>
  new APIGatewayServiceException({
    name,
    $fault: fault,
    $metadata: { httpStatusCode: status },
    message: name,
  });

describe('Config evaluator handler', () => {
  it('reads a stage once for several rules invoked within seconds', async () => {
    apigateway.on(GetRestApiCommand).resolves({ id: 'k7m2p9q4ab', name: 'billing-api' });
    apigateway.on(GetStageCommand).resolves({ stageName: 'burst', deploymentId: 'd1', methodSettings: {} });
    apigateway.on(GetResourcesCommand).resolves({ items: [{ id: 'r00t', path: '/' }] });
    apigateway.on(GetDeploymentCommand).resolves({ id: 'd1', apiSummary: {} });

    await handler(stageEvent('burst', 'rest-stage-waf-attached'));
    await handler(stageEvent('burst', 'rest-method-authorization'));
    await handler(stageEvent('burst', 'rest-stage-waf-rules'));

    expect(apigateway).toHaveReceivedCommandTimes(GetStageCommand, 1);
    expect(config).toHaveReceivedCommandTimes(PutEvaluationsCommand, 3);
  });

  it('access denied on a read: an evaluation that says so, logged as access-denied', async () => {
    apigateway.on(GetRestApiCommand).rejects(serviceError('AccessDeniedException', 403));

    await handler(stageEvent('denied', 'rest-stage-waf-attached'));

    const evaluation = config.commandCalls(PutEvaluationsCommand)[0]?.args[0].input.Evaluations?.[0];
    expect(evaluation?.ComplianceType).toBe('NON_COMPLIANT');
    expect(evaluation?.Annotation).toContain('access denied');
    expect(lines).toContainEqual(
      expect.objectContaining({ errorKind: 'access-denied', operation: 'GetRestApi' }),
    );
  });

  it('access denied on PutEvaluations: thrown, logged as access-denied', async () => {
    config.on(PutEvaluationsCommand).rejects(
      new ConfigServiceServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'not authorized to perform config:PutEvaluations',
      }),
    );

    await expect(handler(stageEvent('any', 'rest-stage-xray-tracing'))).rejects.toThrow(
      'config:PutEvaluations',
    );
    expect(lines).toContainEqual(expect.objectContaining({ level: 'error', errorKind: 'access-denied' }));
  });

  it('AWS failing after retries: an internal error, thrown, and nothing delivered', async () => {
    apigateway.on(GetRestApiCommand).rejects(serviceError('ServiceUnavailableException', 503, 'server'));

    await expect(handler(stageEvent('failing', 'rest-stage-waf-attached'))).rejects.toThrow();

    expect(config).toHaveReceivedCommandTimes(PutEvaluationsCommand, 0);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'error', errorKind: 'internal' }));
  });

  it('an invocation that does not parse is rejected with what is wrong', async () => {
    await expect(handler({ configRuleName: 'gatewatch-api-unused' })).rejects.toThrow(ValidationError);
    expect(lines).toContainEqual(
      expect.objectContaining({ message: 'invocation rejected: it does not parse' }),
    );
  });
});
