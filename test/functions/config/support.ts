// Shared by the Config evaluator tests: the recorded events of ../shared/events (used as they
// are, wrapped in the documented Lambda event where a file is only the invoking event), the
// evaluator wired to the real SDK v3 clients, and Config items in Config's own shapes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { regionClients } from '../../../functions/aws/clients';
import { ReadCache } from '../../../functions/config/cache';
import { SdkConfigApi } from '../../../functions/config/config-api';
import type { EvaluatorDependencies } from '../../../functions/config/evaluator';
import { CachedReads } from '../../../functions/config/reads';
import { silentLogger } from '../../../functions/observe/log';
import { MemoryMetrics } from '../../../functions/observe/metrics';
import { fastCaller } from '../../support/sdk';

export { fastCaller };

export const SHARED_EVENTS = join(__dirname, '..', '..', '..', '..', 'shared', 'events');
export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

/** A file of ../shared/events, parsed, unchanged. */
export const recorded = <T = Record<string, unknown>>(name: string): T =>
  JSON.parse(readFileSync(join(SHARED_EVENTS, name), 'utf8')) as T;

/**
 * The documented Lambda event of a change-triggered rule, around an invoking event, as Config
 * would invoke the gatewatch rule `ruleId` (named `gatewatch-<ruleId>`, with the parameter).
 */
export function lambdaEvent(
  invokingEvent: unknown,
  ruleId: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const envelope = recorded('config-lambda-event-ConfigurationItemChange-docsample.json');
  return {
    ...envelope,
    invokingEvent: JSON.stringify(invokingEvent),
    ruleParameters: JSON.stringify({ ruleId }),
    configRuleName: `gatewatch-${ruleId}`,
    configRuleArn: `arn:aws:config:${REGION}:${ACCOUNT}:config-rule/config-rule-0123456`,
    ...overrides,
  };
}

/** The evaluator with the real SDK clients (answered by aws-sdk-client-mock) and a fresh read cache. */
export function evaluatorDeps(
  cache = new ReadCache(30_000),
): EvaluatorDependencies & { metrics: MemoryMetrics } {
  const caller = fastCaller();
  const clients = regionClients({ region: REGION });
  const config = new SdkConfigApi(new ConfigServiceClient({ region: REGION }), caller);
  return {
    reads: new CachedReads(() => ({ clients, caller }), ACCOUNT, config, cache),
    config,
    log: silentLogger,
    metrics: new MemoryMetrics(),
    region: REGION,
  };
}

/** The evaluations Config received, over every PutEvaluations call. */
export function delivered(config: AwsClientStub<ConfigServiceClient>) {
  return config.commandCalls(PutEvaluationsCommand).flatMap((call) => call.args[0].input.Evaluations ?? []);
}

// ─── Configuration items in Config's shape, for the types no public recording was found for ──

/** An item as the invoking event carries it; `configuration` is what the service's describe call returns. */
export function item(
  resourceType: string,
  resourceId: string,
  configuration: Record<string, unknown> | null,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    relatedEvents: [],
    relationships: [],
    configuration,
    supplementaryConfiguration: {},
    tags: {},
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: '2026-11-02T10:15:30.120Z',
    configurationStateId: 1793614530120,
    awsAccountId: ACCOUNT,
    configurationItemStatus: 'OK',
    resourceType,
    resourceId,
    resourceName: resourceId.split('/').pop(),
    ARN: resourceId,
    awsRegion: REGION,
    availabilityZone: 'Not Applicable',
    configurationStateMd5Hash: '',
    resourceCreationTime: '2026-10-01T08:00:00.000Z',
    ...extra,
  };
}

export const changeNotification = (configurationItem: unknown) => ({
  configurationItemDiff: { changedProperties: {}, changeType: 'UPDATE' },
  configurationItem,
  notificationCreationTime: '2026-11-02T10:15:31.000Z',
  messageType: 'ConfigurationItemChangeNotification',
  recordVersion: '1.3',
});
