// The scheduled sweep against the real SDK v3 clients, AWS answered in-process from the demo
// estate (test/support/in-process-aws.ts): a drift no event announced is found and sent to the
// verdicts queue as the drift path would send it, the baseline is refreshed so the next sweep is
// quiet, a deleted API is resolved only when the listing that would show it succeeded, the
// NonCompliantResources gauge is emitted per rule, and a member account whose role cannot be
// assumed is one could-not-evaluate verdict while the other accounts are swept.
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import 'aws-sdk-client-mock-jest';
import { AccountAccess } from '../../../aws/accounts';
import { defaultRates, Pacer, regionClients } from '../../../aws/clients';
import { readInventory } from '../../../aws/read/inventory-file';
import { accountBaseline } from '../../../aws/stores/account-scoped';
import { DynamoBaselineStore } from '../../../aws/stores/baseline-dynamodb';
import { QueueSink } from '../../../aws/verdict-queue';
import { COULD_NOT_EVALUATE } from '../../../model/finding';
import { parseVerdictMessage } from '../../../model/verdict-message';
import { silentLogger } from '../../../observe/log';
import { MemoryMetrics } from '../../../observe/metrics';
import { baselineFromScan } from '../../../pipeline/drift/baseline-from-scan';
import { withKnownGood } from '../../../pipeline/remediate/known-good';
import { scanInventory } from '../../../pipeline/scan/scan';
import {
  SWEEP_ACTOR,
  SWEEP_EVENT_NAME,
  type SweepDependencies,
  sweepRegion,
} from '../../../pipeline/sweep/sweep';
import { activeRules, defaultSettings } from '../../../settings/schema';
import { sdkFault } from '../../support/aws-faults';
import {
  answerFrom,
  FakeAccount,
  InMemoryQueues,
  InMemoryTable,
  metadata,
} from '../../support/in-process-aws';

const ROOT = join(__dirname, '../../..');
const ACCOUNT = '111122223333';
const MEMBER = '444455556666';
const REGION = 'eu-west-1';
const TABLE = 'gatewatch-baseline';
const VERDICTS_QUEUE = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/gatewatch-verdicts`;
const BEFORE = new Date('2026-11-23T06:00:00.000Z');
const NOW = new Date('2026-11-23T12:00:00.000Z');
const ORDERS = 'k3x9p2a7qd';
const ORDERS_PROD = `arn:aws:apigateway:${REGION}::/restapis/${ORDERS}/stages/prod`;

const fast = Object.fromEntries(
  Object.keys(defaultRates).map((name) => [name, { perSecond: 1e6, burst: 1e6 }]),
);
const rules = activeRules(defaultSettings);

function estate() {
  const inventory = readInventory(join(ROOT, 'examples/inventory/demo.json'));
  const region = inventory.regions.find((candidate) => candidate.region === REGION);
  if (!region) throw new Error('the demo has no eu-west-1');
  return { inventory: { ...inventory, regions: [region] }, region };
}

/** The demo account in AWS, its baseline as a scan before the drift wrote it, the queue. */
function world() {
  const { inventory, region } = estate();
  const account = new FakeAccount(structuredClone(region));
  const answers = answerFrom(account);
  const table = new InMemoryTable();
  const queues = new InMemoryQueues();
  const store = new DynamoBaselineStore(new DynamoDBClient({ region: REGION }), TABLE);
  const scan = scanInventory(inventory, { rules });
  const entries = baselineFromScan(scan.estate, scan.findings, BEFORE.toISOString());
  return { account, answers, table, queues, store, entries };
}

function dependencies(
  store: SweepDependencies['baseline'],
  metrics = new MemoryMetrics(),
  overrides: Partial<SweepDependencies> = {},
): SweepDependencies {
  const access = regionClients({ region: REGION, maxAttempts: 1, pacer: new Pacer(fast) });
  return {
    access: () => access,
    baseline: store,
    rules,
    sink: new QueueSink(new SQSClient({ region: REGION }), VERDICTS_QUEUE, (verdicts) =>
      withKnownGood(verdicts, store),
    ),
    metrics,
    log: silentLogger,
    now: () => NOW,
    ...overrides,
  };
}

const sentVerdicts = (queues: InMemoryQueues) =>
  queues.on(VERDICTS_QUEUE).flatMap((message) => parseVerdictMessage(message.body, message.messageId));

let active: ReturnType<typeof world> | undefined;
afterEach(() => {
  active?.answers.restore();
  active?.table.restore();
  active?.queues.stub.restore();
  active = undefined;
});

describe('a drift no event announced', () => {
  it('is found by the sweep, sent to the verdicts queue with what a restore needs, and announced once', async () => {
    // Prepare: the web ACL of orders-api prod was detached; EventBridge never delivered the event.
    active = world();
    const { account, queues, store, entries } = active;
    for (const entry of entries) await store.put(entry);
    account.restStage(ORDERS, 'prod').webAclArn = undefined;
    const metrics = new MemoryMetrics();

    // Act
    const first = await sweepRegion({ accountId: ACCOUNT, region: REGION }, dependencies(store, metrics));
    const second = await sweepRegion(
      { accountId: ACCOUNT, region: REGION },
      dependencies(store, new MemoryMetrics(), { now: () => new Date(NOW.getTime() + 6 * 3600_000) }),
    );

    // Assess: one piece of news, carried as the drift path carries it.
    expect(first.kind).toBe('swept');
    expect(first.news.map((verdict) => [verdict.ruleId, verdict.resourceArn, verdict.change])).toEqual([
      ['rest-stage-waf-attached', ORDERS_PROD, 'new'],
    ]);
    const [sent] = sentVerdicts(queues);
    expect(sent).toMatchObject({
      ruleId: 'rest-stage-waf-attached',
      status: 'NON_COMPLIANT',
      accountId: ACCOUNT,
      region: REGION,
      eventName: SWEEP_EVENT_NAME,
      actor: SWEEP_ACTOR,
      eventTime: NOW.toISOString(),
      after: null,
    });
    expect(sent?.before).toMatch(/^arn:aws:wafv2:eu-west-1:111122223333:regional\/webacl\//);
    // The restore remediation puts back the web ACL the baseline last saw compliant.
    expect(sent?.knownGood?.observedAt).toBe(BEFORE.toISOString());
    // The baseline now knows the drift: the next sweep has no news.
    expect(second.news).toEqual([]);
    expect(sentVerdicts(queues)).toHaveLength(1);
    // Metrics: the drift, and the gauge for every rule (api-unused too: its metrics were read).
    expect(metrics.total('DriftDetected')).toBe(1);
    const gauge = metrics.points.filter((point) => point.name === 'NonCompliantResources');
    expect(gauge.map((point) => point.dimensions.ruleId).sort()).toEqual(rules.map((rule) => rule.id).sort());
    const waf = gauge.find((point) => point.dimensions.ruleId === 'rest-stage-waf-attached');
    expect(waf?.dimensions.severity).toBe('HIGH');
    expect(waf?.value).toBe(first.nonCompliant?.['rest-stage-waf-attached']);
    expect(waf?.value).toBeGreaterThanOrEqual(1);
  });

  it('resolves the findings of an API deleted since, and only when the listing succeeded', async () => {
    // Prepare: shipping-quotes-v1 (non-compliant in the baseline) was deleted.
    active = world();
    const { account, answers, queues, store, entries } = active;
    for (const entry of entries) await store.put(entry);
    const shipping = 'e4h6j8l0n2';
    const known = entries.filter((entry) => entry.arn.includes(`/restapis/${shipping}`));
    expect(known.length).toBeGreaterThan(0);
    (account as unknown as { rest: Map<string, unknown> }).rest.delete(shipping);

    // Act 1: the REST API listing is denied — nothing may be declared deleted.
    answers.setFault((call) =>
      call.operation === 'GetRestApis' ? sdkFault('denied', 'apigateway', 'GetRestApis') : undefined,
    );
    const metrics = new MemoryMetrics();
    const denied = await sweepRegion({ accountId: ACCOUNT, region: REGION }, dependencies(store, metrics));

    // Assess 1: could not evaluate, no resolution, no gauge (its counts would be low).
    expect(denied.news.filter((verdict) => verdict.change === 'resolved')).toEqual([]);
    expect(denied.news.map((verdict) => verdict.ruleId)).toContain(COULD_NOT_EVALUATE);
    expect(denied.nonCompliant).toBeUndefined();
    expect(metrics.points.filter((point) => point.name === 'NonCompliantResources')).toEqual([]);

    // Act 2: the listing works again.
    answers.setFault(undefined);
    const swept = await sweepRegion({ accountId: ACCOUNT, region: REGION }, dependencies(store));

    // Assess 2: the deleted API's open findings are resolved as no longer applicable.
    const resolved = swept.news.filter((verdict) => verdict.change === 'resolved');
    expect(resolved.length).toBeGreaterThan(0);
    expect(resolved.every((verdict) => verdict.resourceArn.includes(`/restapis/${shipping}`))).toBe(true);
    expect(resolved.every((verdict) => verdict.status === 'NOT_APPLICABLE')).toBe(true);
    expect((await store.get(known[0]?.arn ?? ''))?.deleted).toBe(true);
    expect(sentVerdicts(queues).some((verdict) => verdict.change === 'resolved')).toBe(true);
  });

  it('rejects, for a retry, when a read is still throttled after the SDK retries: nothing half-judged is sent or stored', async () => {
    // Prepare
    active = world();
    const { answers, queues, store, entries } = active;
    for (const entry of entries) await store.put(entry);
    answers.setFault((call) =>
      call.operation === 'GetStages' ? sdkFault('throttled', 'apigateway', 'GetStages') : undefined,
    );

    // Act / Assess
    await expect(sweepRegion({ accountId: ACCOUNT, region: REGION }, dependencies(store))).rejects.toThrow();
    expect(sentVerdicts(queues)).toEqual([]);
    expect(await store.get(ORDERS_PROD)).toEqual(entries.find((entry) => entry.arn === ORDERS_PROD));
  });
});

describe('an organization', () => {
  it('sweeps each account with its own baseline; an account whose role is refused is reported and the others go on', async () => {
    // Prepare: the member role in 444455556666 cannot be assumed (no member stack there).
    active = world();
    const { answers, queues, store, entries } = active;
    const sts = answers.stubs[5];
    sts?.on(AssumeRoleCommand).callsFake(async () => {
      throw sdkFault('denied', 'sts', 'AssumeRole', 'is not authorized to perform: sts:AssumeRole');
    });
    const members = new AccountAccess({
      homeAccountId: ACCOUNT,
      role: 'reader',
      sessionName: 'gatewatch-sweep',
    });
    const home = accountBaseline(store, ACCOUNT);
    for (const entry of entries) await home.put(entry);
    const member = accountBaseline(store, MEMBER);

    // Act
    const refused = await sweepRegion(
      { accountId: MEMBER, region: REGION },
      dependencies(member, new MemoryMetrics(), {
        access: members.forAccount(MEMBER),
        reach: () => members.credentials(MEMBER, REGION),
      }),
    );
    const swept = await sweepRegion({ accountId: ACCOUNT, region: REGION }, dependencies(home));

    // Assess: one verdict for the member, naming the account, the region and the role.
    expect(refused.kind).toBe('unreachable');
    expect(refused.news).toHaveLength(1);
    expect(refused.news[0]).toMatchObject({
      ruleId: COULD_NOT_EVALUATE,
      status: 'ERROR',
      change: 'new',
      accountId: MEMBER,
      region: REGION,
      resourceArn: `arn:aws:iam::${MEMBER}:role/gatewatch-reader-${REGION}`,
      eventName: SWEEP_EVENT_NAME,
    });
    expect(refused.news[0]?.reason).toMatch(
      /could not sweep account 444455556666 in eu-west-1.*AccessDenied/,
    );
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: `arn:aws:iam::${MEMBER}:role/gatewatch-reader-${REGION}`,
      RoleSessionName: 'gatewatch-sweep',
    });
    // The home account was swept with its own role: nothing changed since the scan, no news.
    expect(swept.kind).toBe('swept');
    expect(swept.news).toEqual([]);
    expect(swept.resources).toBeGreaterThan(0);
    // Each account's state is under its own keys.
    expect(await member.list()).toEqual([]);
    expect((await home.list()).length).toBe(entries.length);
    expect(sentVerdicts(queues).map((verdict) => verdict.accountId)).toEqual([MEMBER]);
  });

  it('assumes a member role once and uses its credentials for the reads', async () => {
    // Prepare
    active = world();
    const { answers, store } = active;
    const sts = answers.stubs[5];
    sts?.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIAEXAMPLEMEMBER001',
        SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        SessionToken: 'FwoGZXIvYXdzEXAMPLE',
        Expiration: new Date(NOW.getTime() + 3600_000),
      },
      AssumedRoleUser: {
        AssumedRoleId: 'AROAEXAMPLEREADER:gatewatch-sweep',
        Arn: `arn:aws:sts::${MEMBER}:assumed-role/gatewatch-reader-${REGION}/gatewatch-sweep`,
      },
      $metadata: metadata,
    });
    const members = new AccountAccess({
      homeAccountId: ACCOUNT,
      role: 'reader',
      sessionName: 'gatewatch-sweep',
      now: () => NOW,
      rates: fast,
    });

    // Act
    const swept = await sweepRegion(
      { accountId: MEMBER, region: REGION },
      dependencies(accountBaseline(store, MEMBER), new MemoryMetrics(), {
        access: members.forAccount(MEMBER),
        reach: () => members.credentials(MEMBER, REGION),
      }),
    );
    const credentials = await members.regionAccess(MEMBER, REGION).apigateway.config.credentials();

    // Assess: one AssumeRole for the whole sweep; the reads were signed with the member's keys.
    expect(swept.kind).toBe('swept');
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
    expect(credentials.accessKeyId).toBe('ASIAEXAMPLEMEMBER001');
    expect(swept.news.every((verdict) => verdict.accountId === MEMBER)).toBe(true);
  });
});
