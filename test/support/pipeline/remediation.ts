// What the remediator tests share: a reader that answers with given snapshots, verdicts as the
// drift pipeline makes them, the real SDK clients (mocked by aws-sdk-client-mock by class), and
// a remediator wired like the Lambda one, with its verdicts collected.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import type { ReadResult, TargetReader } from '../../../aws/read/reader';
import type { Target } from '../../../events/targets';
import { MemoryRemediationStore } from '../../../model/ledger';
import type { KnownGoodRecord } from '../../../model/stores';
import type { Verdict } from '../../../model/verdict';
import { type Logger, silentLogger } from '../../../observe/log';
import { MemoryMetrics } from '../../../observe/metrics';
import { MemoryKnownGoodStore } from '../../../pipeline/remediate/known-good';
import { Remediator, type RemediatorDependencies } from '../../../pipeline/remediate/remediator';
import { CollectingSink } from '../../../pipeline/sinks';
import { judge } from '../../../rules/core/judge';
import type { RestStageSnapshot, Snapshot } from '../../../rules/core/resources';
import type { AnyRule, ResourceIds } from '../../../rules/core/rule';
import { findRule } from '../../../rules/index';
import { parseSettings, type Settings } from '../../../settings/schema';
import { REGION } from '../snapshots';

export const ALICE =
  'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Developers_0123456789abcdef/alice@example.com';
export const OWN_ROLE = 'arn:aws:iam::123456789012:role/Gatewatch-RemediationHandlerRole-1A2B3C';
export const CLOUDWATCH_ROLE =
  'arn:aws:iam::123456789012:role/Gatewatch-RemediationApiGatewayCloudWatchRole-4D5E6F';
export const NOW = new Date('2026-11-23T09:15:10Z');

/** examples/settings/remediate-all.json: every remediation switched on, no exemptions. */
export function remediateAll(overrides: Record<string, unknown> = {}): Settings {
  const file = JSON.parse(
    readFileSync(join(__dirname, '../../../examples/settings/remediate-all.json'), 'utf8'),
  );
  return parseSettings({ ...file, ...overrides });
}

/** Answers every read with the given snapshots (the remediator picks by ARN); records the targets. */
export class FakeReader implements TargetReader {
  readonly targets: Target[] = [];

  constructor(
    private readonly snapshots: readonly Snapshot[],
    private readonly extra: Partial<Omit<ReadResult, 'snapshots'>> = {},
  ) {}

  async read(target: Target): Promise<ReadResult> {
    this.targets.push(target);
    return {
      snapshots: this.snapshots,
      pending: this.extra.pending ?? [],
      workingCopyCompared: this.extra.workingCopyCompared ?? [],
      gone: this.extra.gone ?? [],
      problems: this.extra.problems ?? [],
    };
  }
}

/** A verdict as the drift pipeline hands it on: the rule's finding on `snapshot`, news, with the event's fields. */
export function verdictOn(ruleId: string, snapshot: Snapshot, overrides: Partial<Verdict> = {}): Verdict {
  const finding = judge(findRule(ruleId) as AnyRule, snapshot);
  return {
    ...finding,
    change: 'new',
    eventName: 'UpdateStage',
    eventTime: '2026-11-23T09:14:40Z',
    eventId: 'c2f1a7d4-6b0e-4f5a-9d3c-8e7b6a5f4d3c',
    eventSource: 'apigateway.amazonaws.com',
    actor: ALICE,
    sourceIp: '198.51.100.24',
    userAgent: 'aws-cli/2.22.4 md/awscrt#0.23.4 ua/2.1 os/linux#6.8.0',
    invokedBy: null,
    before: null,
    after: finding.observed ?? null,
    latencyMs: 30_000,
    ...overrides,
  };
}

export const knownGood = (snapshot: Snapshot) => ({ snapshot, observedAt: '2026-11-23T08:00:00Z' });

/** The known-good record the drift path keeps in the table for a verdict it sends with a hint. */
export const recordOf = (verdict: Verdict): KnownGoodRecord => {
  if (!verdict.knownGood) throw new Error(`the verdict of ${verdict.ruleId} carries no known good state`);
  return {
    ...verdict.knownGood,
    arn: verdict.resourceArn,
    ruleId: verdict.ruleId,
    eventId: verdict.eventId,
    actor: verdict.actor,
  };
};

/** The table as the drift path leaves it after sending these verdicts: a record for each one with a hint. */
export function keptFor(...verdicts: readonly Verdict[]): MemoryKnownGoodStore {
  const store = new MemoryKnownGoodStore();
  for (const verdict of verdicts.filter((v) => v.knownGood)) {
    store.records.set(`${verdict.resourceArn}#${verdict.ruleId}`, recordOf(verdict));
  }
  return store;
}

export const resourceIds = (ids: Record<string, string> = {}): ResourceIds => ({
  resourceId: async (_region, _apiId, path) => ids[path],
});

export function writeClients() {
  return {
    apigateway: new APIGatewayClient({ region: REGION }),
    apigatewayv2: new ApiGatewayV2Client({ region: REGION }),
    wafv2: new WAFV2Client({ region: REGION }),
  };
}

export interface Harness {
  readonly remediator: Remediator;
  readonly forwarded: CollectingSink;
  readonly store: MemoryRemediationStore;
  readonly audit: { level: string; message: string; fields: Record<string, unknown> }[];
  readonly metrics: MemoryMetrics;
}

/** A remediator as the Lambda builds it, with writes through the real (mocked) SDK clients. */
export function harness(
  snapshots: readonly Snapshot[],
  options: Partial<RemediatorDependencies> & { pending?: readonly RestStageSnapshot[] } = {},
): Harness {
  const forwarded = new CollectingSink();
  const store = new MemoryRemediationStore();
  const audit: Harness['audit'] = [];
  const log: Logger = {
    log: (level, message, fields = {}) => audit.push({ level, message, fields: { ...fields } }),
  };
  const metrics = new MemoryMetrics();
  const clients = writeClients();
  const { pending, ...deps } = options;
  const remediator = new Remediator({
    settings: remediateAll(),
    reader: new FakeReader(snapshots, { pending: pending ?? [] }),
    store,
    resourceIds: resourceIds(),
    write: { clients: () => clients },
    ownRoleArn: OWN_ROLE,
    cloudwatchRoleArn: CLOUDWATCH_ROLE,
    next: forwarded,
    log: log ?? silentLogger,
    metrics,
    now: () => NOW,
    ...deps,
  });
  return { remediator, forwarded, store, audit, metrics };
}

/** The SDK's response metadata, as every output carries it. */
export const $metadata = {
  httpStatusCode: 200,
  requestId: '7c9a1e52-3b4d-4f6a-8e2b-1d0c9f8e7a6b',
  attempts: 1,
  totalRetryDelay: 0,
};
