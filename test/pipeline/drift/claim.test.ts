// Exactly once where it matters: an event is claimed before anything is read (a conditional
// write), so concurrent deliveries of one event are judged once, notified once and remediated
// once; a claim whose work failed is given back, and one whose holder died expires, so a retry
// is never lost. The memory, file and DynamoDB baselines keep the same semantics (DynamoDB: a
// Powertools idempotency record, through the real clients against an in-memory table that
// honours the conditions as DynamoDB does; Powertools reads Date.now, which the test moves).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InventoryReader } from '../../../aws/read/from-inventory';
import { readInventory } from '../../../aws/read/inventory-file';
import type { TargetReader } from '../../../aws/read/reader';
import { DynamoBaselineStore } from '../../../aws/stores/baseline-dynamodb';
import { FileBaselineStore } from '../../../aws/stores/baseline-file';
import { MemoryBaselineStore } from '../../../aws/stores/baseline-memory';
import { IDEMPOTENCY_TTL_SECONDS, LONGEST_INVOCATION_MS } from '../../../aws/stores/idempotency';
import { parseEvents } from '../../../events/schema';
import { type BaselineEntry, type BaselineStore, EVENT_CLAIM_MS } from '../../../model/stores';
import { silentLogger } from '../../../observe/log';
import { MemoryMetrics } from '../../../observe/metrics';
import { baselineFromScan } from '../../../pipeline/drift/baseline-from-scan';
import { type DriftDependencies, processEvent } from '../../../pipeline/drift/detect';
import { scanInventory } from '../../../pipeline/scan/scan';
import { CollectingSink } from '../../../pipeline/sinks';
import { catalog } from '../../../rules/index';
import { InMemoryTable } from '../../support/in-process-aws';

const root = join(__dirname, '..', '..', '..');
const EVENT_TIME = '2026-11-23T09:12:04Z';
const START = Date.parse('2026-11-23T09:30:00Z');

function demoEntries(): BaselineEntry[] {
  const inventory = readInventory(join(root, 'examples/inventory/demo.json'));
  const result = scanInventory(inventory, { rules: catalog });
  return baselineFromScan(result.estate, result.findings, inventory.collectedAt);
}

let table: InMemoryTable | undefined;
afterEach(() => {
  table?.restore();
  table = undefined;
  jest.restoreAllMocks();
});

/** Each store, seeded with `entries`, on a clock the test moves. */
const stores: [string, (entries: readonly BaselineEntry[], now: () => number) => Promise<BaselineStore>][] = [
  ['memory', async (entries, now) => new MemoryBaselineStore(entries, {}, now)],
  [
    'file',
    async (entries) =>
      FileBaselineStore.create(join(mkdtempSync(join(tmpdir(), 'gatewatch-claim-')), 'b.json'), entries),
  ],
  [
    'DynamoDB',
    async (entries, now) => {
      table = new InMemoryTable();
      jest.spyOn(Date, 'now').mockImplementation(now);
      const store = new DynamoBaselineStore(
        new DynamoDBClient({ region: 'eu-west-1' }),
        'gatewatch-baseline',
      );
      for (const entry of entries) await store.put(entry);
      return store;
    },
  ],
];

describe.each(stores)('the %s baseline claims events', (name, storeOf) => {
  let now = START;
  const clock = () => now;
  beforeEach(() => {
    now = START;
  });

  it('gives one of two concurrent claims the event, the other sees it in progress', async () => {
    const store = await storeOf([], clock);

    const claims = await Promise.all([store.claim('e1', EVENT_TIME), store.claim('e1', EVENT_TIME)]);

    expect(claims.map((claim) => claim.kind).sort()).toEqual(['claimed', 'in-progress']);
  });

  it('answers handled once the event is marked handled, and handled() agrees', async () => {
    const store = await storeOf([], clock);
    await store.claim('e1', EVENT_TIME);

    await store.markHandled('e1', EVENT_TIME);

    expect(await store.claim('e1', EVENT_TIME)).toEqual({ kind: 'handled' });
    expect(await store.handled('e1')).toBe(true);
  });

  it('gives a released claim to the next delivery', async () => {
    const store = await storeOf([], clock);
    const first = await store.claim('e1', EVENT_TIME);
    if (first.kind !== 'claimed') throw new Error('expected a claim');

    const whileHeld = await store.claim('e1', EVENT_TIME);
    await store.release('e1', first.token);
    const afterRelease = await store.claim('e1', EVENT_TIME);

    expect(whileHeld).toEqual({ kind: 'in-progress' });
    expect(afterRelease.kind).toBe('claimed');
    expect(await store.handled('e1')).toBe(false);
  });

  // Powertools deletes a record whoever releases it: in DynamoDB the guarantee is that no
  // delivery takes a claim over while its holder lives (the claim outlasts any invocation, the
  // test below), so the only release is the holder's.
  if (name !== 'DynamoDB') {
    it('ignores a release by another token', async () => {
      const store = await storeOf([], clock);
      await store.claim('e1', EVENT_TIME);

      await store.release('e1', 'not-the-token');

      expect(await store.claim('e1', EVENT_TIME)).toEqual({ kind: 'in-progress' });
      expect(await store.handled('e1')).toBe(false);
    });
  }

  if (name === 'DynamoDB') {
    it('keeps the claim as a Powertools record in the drift partition, held past the longest invocation', async () => {
      const store = await storeOf([], clock);
      await store.claim('e1', EVENT_TIME);
      const [claimKey, claimed] = [...(table?.items ?? new Map()).entries()].find(([key]) =>
        key.startsWith('idempotency#drift|drift#'),
      ) ?? ['', {}];

      await store.markHandled('e1', EVENT_TIME);

      expect(claimed).toMatchObject({ status: 'INPROGRESS', in_progress_expiration: START + EVENT_CLAIM_MS });
      expect(EVENT_CLAIM_MS).toBeGreaterThan(LONGEST_INVOCATION_MS);
      expect(table?.items.get(claimKey)).toMatchObject({
        status: 'COMPLETED',
        expiresAt: START / 1000 + IDEMPOTENCY_TTL_SECONDS,
      });
      expect(table?.completed('drift', 'e1')).toBe(true);
    });
  }

  if (name !== 'file') {
    it('lets a claim whose holder died expire, so the redelivery judges the event', async () => {
      const store = await storeOf([], clock);
      await store.claim('e1', EVENT_TIME);

      now += EVENT_CLAIM_MS - 1;
      const stillHeld = await store.claim('e1', EVENT_TIME);
      now += 2;
      const expired = await store.claim('e1', EVENT_TIME);

      expect(stillHeld).toEqual({ kind: 'in-progress' });
      expect(expired.kind).toBe('claimed');
    });
  }

  it('judges two concurrent deliveries of one event once: one verdict set, one notification', async () => {
    // Prepare: the web ACL detached from payments-api prod (the bundled drift sequence, step 1).
    const store = await storeOf(demoEntries(), clock);
    const [event] = parseEvents(
      JSON.parse(
        require('node:fs').readFileSync(
          join(root, 'examples/drift/events/01-disassociate-web-acl.json'),
          'utf8',
        ),
      ),
      'event',
    );
    if (!event) throw new Error('no event');
    const inner = new InventoryReader(
      readInventory(join(root, 'examples/drift/state-1-after-update-method.json')),
    );
    const reads: string[] = [];
    // Reads take a few turns, so both deliveries are in flight at once.
    const reader: TargetReader = {
      read: async (target, previous) => {
        reads.push(target.kind);
        for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
        return inner.read(target, previous);
      },
    };
    const sink = new CollectingSink();
    const handled = jest.fn(sink.handle.bind(sink));
    const metrics = new MemoryMetrics();
    const deps: DriftDependencies = {
      reader,
      baseline: store,
      rules: catalog,
      sink: { handle: handled },
      metrics,
      log: silentLogger,
      now: () => new Date(now),
    };

    // Act
    const outcomes = await Promise.all([processEvent(event, deps), processEvent(event, deps)]);

    // Assess
    expect(outcomes.map((outcome) => outcome.kind).sort()).toEqual(['duplicate', 'judged']);
    expect(handled).toHaveBeenCalledTimes(1);
    expect(sink.verdicts.map((verdict) => [verdict.ruleId, verdict.status, verdict.change])).toEqual([
      ['rest-stage-waf-attached', 'NON_COMPLIANT', 'new'],
    ]);
    expect(reads).toHaveLength(1);
    expect(await store.handled(event.record.eventID)).toBe(true);
  });

  it('gives the claim back when judging fails, so the retry judges the event', async () => {
    const store = await storeOf(demoEntries(), clock);
    const [event] = parseEvents(
      JSON.parse(
        require('node:fs').readFileSync(
          join(root, 'examples/drift/events/02-update-stage-logging-off.json'),
          'utf8',
        ),
      ),
      'event',
    );
    if (!event) throw new Error('no event');
    const inner = new InventoryReader(readInventory(join(root, 'examples/drift/state-2-after-drift.json')));
    let fail = true;
    const deps: DriftDependencies = {
      reader: {
        read: async (target, previous) => {
          if (fail) throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
          return inner.read(target, previous);
        },
      },
      baseline: store,
      rules: catalog,
      sink: new CollectingSink(),
      metrics: new MemoryMetrics(),
      log: silentLogger,
      now: () => new Date(now),
    };

    const release = jest.spyOn(store, 'release');
    await expect(processEvent(event, deps)).rejects.toThrow('Rate exceeded');
    expect(release).toHaveBeenCalledTimes(1);
    fail = false;
    const retry = await processEvent(event, deps);

    expect(retry.kind).toBe('judged');
  });

  it('throws the judging fault, not the release fault, when both fail; the claim then expires', async () => {
    const store = await storeOf([], clock);
    const [event] = parseEvents(
      JSON.parse(
        require('node:fs').readFileSync(
          join(root, 'examples/drift/events/02-update-stage-logging-off.json'),
          'utf8',
        ),
      ),
      'event',
    );
    if (!event) throw new Error('no event');
    jest.spyOn(store, 'release').mockRejectedValueOnce(new Error('table unavailable'));
    const deps: DriftDependencies = {
      reader: { read: async () => Promise.reject(new Error('Rate exceeded')) },
      baseline: store,
      rules: catalog,
      sink: new CollectingSink(),
      metrics: new MemoryMetrics(),
      log: silentLogger,
      now: () => new Date(now),
    };

    await expect(processEvent(event, deps)).rejects.toThrow('Rate exceeded');

    expect(await store.claim(event.record.eventID, event.record.eventTime)).toEqual({ kind: 'in-progress' });
    if (name !== 'file') {
      now += EVENT_CLAIM_MS + 1;
      expect((await store.claim(event.record.eventID, event.record.eventTime)).kind).toBe('claimed');
    }
  });
});
