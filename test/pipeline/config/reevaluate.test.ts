// The drift path asks AWS Config to re-evaluate the rules whose verdicts changed, within
// StartConfigRulesEvaluation's limits: 25 rules a request, one request a minute.
import {
  ConfigServiceClient,
  ConfigServiceServiceException,
  StartConfigRulesEvaluationCommand,
} from '@aws-sdk/client-config-service';
import 'aws-sdk-client-mock-jest';
import type { Verdict } from '../../../model/verdict';
import { silentLogger } from '../../../observe/log';
import { MemoryMetrics } from '../../../observe/metrics';
import { ConfigReevaluationSink, reevaluationFromEnvironment } from '../../../pipeline/config/reevaluate';
import { catalog } from '../../../rules/index';
import { mockClient } from '../../support/sdk';

const config = mockClient(ConfigServiceClient);
beforeEach(() => {
  config.reset();
  config.on(StartConfigRulesEvaluationCommand).resolves({});
});

const verdict = (ruleId: string, change: Verdict['change'] = 'new') => ({ ruleId, change }) as Verdict;

function sink(now: { value: number }, ruleIds = catalog.map((rule) => rule.id)) {
  const metrics = new MemoryMetrics();
  const reevaluation = new ConfigReevaluationSink(new ConfigServiceClient({ region: 'eu-west-1' }), {
    ruleIds: new Set(ruleIds),
    log: silentLogger,
    metrics,
    now: () => now.value,
  });
  return { reevaluation, metrics };
}

describe('ConfigReevaluationSink', () => {
  it('asks for the gatewatch rules whose verdicts changed, once each', async () => {
    const { reevaluation } = sink({ value: 0 });

    await reevaluation.handle([
      verdict('rest-stage-waf-attached'),
      verdict('rest-stage-waf-attached', 'resolved'),
      verdict('rest-stage-xray-tracing', 'unchanged'),
      verdict('could-not-evaluate'),
    ]);

    expect(config).toHaveReceivedCommandTimes(StartConfigRulesEvaluationCommand, 1);
    expect(config).toHaveReceivedCommandWith(StartConfigRulesEvaluationCommand, {
      ConfigRuleNames: ['gatewatch-rest-stage-waf-attached'],
    });
  });

  it('sends at most 25 rules a request and at most one request a minute; the rest wait', async () => {
    // Prepare
    const now = { value: 0 };
    const { reevaluation } = sink(now);
    const many = catalog.map((rule) => verdict(rule.id));

    // Act
    await reevaluation.handle(many);
    now.value = 30_000;
    await reevaluation.handle([verdict('account-cloudwatch-role')]);
    const waitingAfter30s = reevaluation.waiting.length;
    now.value = 61_000;
    await reevaluation.handle([]);

    // Assess
    const requests = config.commandCalls(StartConfigRulesEvaluationCommand);
    expect(requests.map((call) => call.args[0].input.ConfigRuleNames?.length)).toEqual([
      25,
      catalog.length - 25,
    ]);
    expect(waitingAfter30s).toBe(catalog.length - 25);
    expect(reevaluation.waiting).toEqual([]);
  });

  it('keeps the rules for later when Config says an evaluation is still running, and never throws', async () => {
    const now = { value: 0 };
    const { reevaluation, metrics } = sink(now);
    config.on(StartConfigRulesEvaluationCommand).rejectsOnce(
      new ConfigServiceServiceException({
        name: 'LimitExceededException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'An evaluation is in progress',
      }),
    );

    await expect(reevaluation.handle([verdict('rest-stage-waf-attached')])).resolves.toBeUndefined();
    now.value = 60_000;
    await reevaluation.handle([]);

    expect(config).toHaveReceivedCommandTimes(StartConfigRulesEvaluationCommand, 2);
    expect(metrics.points.map((point) => point.dimensions.outcome)).toEqual(['deferred', 'requested']);
  });

  it('is off unless the stack deploys the Config rules', () => {
    const options = { log: silentLogger, metrics: new MemoryMetrics() };
    const client = () => new ConfigServiceClient({ region: 'eu-west-1' });

    expect(reevaluationFromEnvironment(client, options, {})).toBeUndefined();
    expect(
      reevaluationFromEnvironment(client, options, { CONFIG_RULE_IDS: 'rest-stage-waf-attached' }),
    ).toBeInstanceOf(ConfigReevaluationSink);
  });
});
