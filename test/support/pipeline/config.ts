// Shared by the Config evaluator tests: the Config events of test/fixtures/events (and of the
// recordings in ../shared/events, when present), used as they are and wrapped in the documented
// Lambda event where a file is only the invoking event; what each set holds (configFacts); the
// evaluator wired to the real SDK v3 clients; and Config items in Config's own shapes.
import { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { regionClients } from '../../../aws/clients';
import { SdkConfigApi } from '../../../aws/config/api';
import { silentLogger } from '../../../observe/log';
import { MemoryMetrics } from '../../../observe/metrics';
import { ReadCache } from '../../../pipeline/config/cache';
import type { EvaluatorDependencies } from '../../../pipeline/config/evaluator';
import { CachedReads } from '../../../pipeline/config/reads';
import { fastPacer } from '../../support/sdk';
import { type BySet, type EventSet, fixtures } from '../event-sets';

export { fastPacer };

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

/** A fixture of test/fixtures/events, parsed, unchanged. */
export const recorded = <T = Record<string, unknown>>(name: string): T => fixtures.load<T>(name);

export const STAGE_1 = 'config-invokingEvent-ApiGatewayStage-1.json';
export const STAGE_2 = 'config-invokingEvent-ApiGatewayStage-2.json';
export const V2_STAGE_1 = 'config-invokingEvent-ApiGatewayV2Stage-1.json';
export const V2_STAGE_2 = 'config-invokingEvent-ApiGatewayV2Stage-2.json';
export const CHANGE_DOCSAMPLE = 'config-lambda-event-ConfigurationItemChange-docsample.json';
export const OVERSIZED_DOCSAMPLE = 'config-lambda-event-OversizedConfigurationItemChange-docsample.json';
export const SCHEDULED_DOCSAMPLE = 'config-lambda-event-ScheduledNotification-docsample.json';

/** What the Config files of a set hold: the same situations, each set on its own resources. */
export interface ConfigFacts {
  /** The REST API of both stage items. */
  readonly restApi: { readonly id: string; readonly name: string };
  /** STAGE_1: a per-method override turns execution logging OFF on `openPath`; tracing off. */
  readonly stage1: {
    readonly name: string;
    readonly arn: string;
    readonly deploymentId: string;
    readonly captureTime: string;
    readonly stateId: string;
    readonly resourceCreationTime: string;
    readonly createdDate: string;
    readonly lastUpdatedDate: string;
    /** The resource path of the method override, e.g. `/test/{proxy}`. */
    readonly openPath: string;
    readonly overrideKey: string;
  };
  /** STAGE_2: the stage default logs at INFO; tracing on. */
  readonly stage2: { readonly name: string; readonly arn: string };
  /** The WebSocket API of both V2 stage items. */
  readonly v2Api: {
    readonly id: string;
    readonly name: string;
    readonly stage1: string;
    readonly stage2: string;
    readonly deploymentId: string;
    readonly createdDate: string;
  };
  /** The documented Lambda events (an EC2 instance). */
  readonly docsamples: {
    readonly resultToken: string;
    readonly instanceId: string;
    readonly accountId: string;
    readonly scheduledAt: string;
  };
}

export const configFacts: BySet<ConfigFacts> = {
  fixtures: {
    restApi: { id: 'k7m2p9q4ab', name: 'billing-api' },
    stage1: {
      name: 'sandbox',
      arn: 'arn:aws:apigateway:us-east-1::/restapis/k7m2p9q4ab/stages/sandbox',
      deploymentId: 'w4v8z1',
      captureTime: '2026-02-03T09:44:53.418Z',
      stateId: '1770111893418',
      resourceCreationTime: '2026-01-12T11:20:37.604Z',
      createdDate: '2026-01-12T11:20:37.000Z',
      lastUpdatedDate: '2026-02-03T09:44:52.000Z',
      openPath: '/invoices/{proxy}',
      overrideKey: '~1invoices~1{proxy}/GET',
    },
    stage2: { name: 'staging', arn: 'arn:aws:apigateway:us-east-1::/restapis/k7m2p9q4ab/stages/staging' },
    v2Api: {
      id: 'r5t8w2y6ux',
      name: 'Ticker WebSocket API',
      stage1: 'beta',
      stage2: 'canary',
      deploymentId: 'q3n7c2',
      createdDate: '2026-02-10T06:30:12.000Z',
    },
    docsamples: {
      resultToken: 'fixture-result-token-7f3c',
      instanceId: 'i-0a1b2c3d4e5f67890',
      accountId: '111122223333',
      scheduledAt: '2026-02-15T03:00:00.512Z',
    },
  },
  recordings: {
    restApi: { id: 'abcd123fgh', name: 'resource1' },
    stage1: {
      name: 'limit',
      arn: 'arn:aws:apigateway:us-east-1::/restapis/abcd123fgh/stages/limit',
      deploymentId: 'tex2hz',
      captureTime: '2019-04-13T18:06:02.230Z',
      stateId: '1555178762230',
      resourceCreationTime: '2019-02-21T08:10:53.890Z',
      createdDate: '2019-02-21T08:10:53.000Z',
      lastUpdatedDate: '2019-04-13T18:06:01.000Z',
      openPath: '/test/{proxy}',
      overrideKey: '~1test~1{proxy}/GET',
    },
    stage2: { name: 'test', arn: 'arn:aws:apigateway:us-east-1::/restapis/abcd123fgh/stages/test' },
    v2Api: {
      id: 'qwert123yu',
      name: 'My Chat API-WebSocket',
      stage1: 'test',
      stage2: 'config4',
      deploymentId: 'fncu8d',
      createdDate: '2019-04-13T17:18:04.000Z',
    },
    docsamples: {
      resultToken: 'myResultToken',
      instanceId: 'i-00000000',
      accountId: '123456789012',
      scheduledAt: '2016-07-13T21:50:00.373Z',
    },
  },
};

/**
 * The documented Lambda event of a change-triggered rule, around an invoking event, as Config
 * would invoke the gatewatch rule `ruleId` (named `gatewatch-<ruleId>`, with the parameter).
 */
export function lambdaEvent(
  invokingEvent: unknown,
  ruleId: string,
  overrides: Record<string, unknown> = {},
  set: EventSet = fixtures,
): Record<string, unknown> {
  const envelope = set.load(CHANGE_DOCSAMPLE);
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
  const clients = regionClients({ region: REGION, pacer: fastPacer() });
  const config = new SdkConfigApi(
    clients.pacer.attach(new ConfigServiceClient({ region: REGION }), 'config'),
  );
  return {
    reads: new CachedReads(() => clients, ACCOUNT, config, cache),
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
