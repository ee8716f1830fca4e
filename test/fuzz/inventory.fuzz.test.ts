// Fuzzing the files gatewatch reads back: saved inventories (parseInventory, readInventory)
// and baselines (FileBaselineStore.open). A file is read, or rejected with a ValidationError
// naming the file and the field; an inventory that is read can be judged and replayed against.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { InventoryReader } from '../../aws/read/from-inventory';
import { parseInventory, readInventory } from '../../aws/read/inventory-file';
import type { Inventory } from '../../aws/read/schema';
import { FileBaselineStore } from '../../aws/stores/baseline-file';
import { baselineFromScan } from '../../pipeline/drift/baseline-from-scan';
import { scanInventory } from '../../pipeline/scan/scan';
import { catalog } from '../../rules/index';
import {
  anyValue,
  configureFuzzing,
  DEMO_INVENTORY,
  expectClearRejection,
  expectNoPollution,
  mutated,
  mutatedText,
  nastyValue,
  ROOT,
  readJson,
  runs,
  Tally,
} from '../support/fuzz';

configureFuzzing();
const tally = new Tally();
afterAll(() => console.log(tally.summary()));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatewatch-fuzz-files-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WHAT = 'Fuzzed inventory';

const inventories = [
  DEMO_INVENTORY,
  join(ROOT, 'examples', 'drift', 'state-1-after-update-method.json'),
  join(ROOT, 'examples', 'drift', 'state-2-after-drift.json'),
].map(readJson);

const INVENTORY_KEYS = [
  'version',
  'collectedAt',
  'calls',
  'regions',
  'accountId',
  'region',
  'restApis',
  'v2Apis',
  'domainNames',
  'webAcls',
  'invocations',
  'errors',
  'stages',
  'resources',
  'deployments',
  'methodSettings',
  'policy',
  'webAclArn',
  'accessLogSettings',
  'routes',
];

/** What a read inventory is for: judged by a scan, read by the drift path. */
function use(inventory: Inventory): void {
  scanInventory(inventory, { rules: catalog });
  new InventoryReader(inventory);
}

const checkInventory = (input: unknown): string => {
  let inventory: Inventory;
  try {
    inventory = parseInventory(input, WHAT);
  } catch (error) {
    expectClearRejection(error, WHAT);
    expectNoPollution();
    return 'rejected';
  }
  expectNoPollution();
  use(inventory);
  return 'accepted';
};

describe('parseInventory', () => {
  it('accepts or clearly rejects every mutation of the bundled inventories', () => {
    fc.assert(
      fc.property(fc.oneof(...inventories.map((base) => mutated(base, { keys: INVENTORY_KEYS }))), (input) =>
        tally.track('parseInventory (mutated inventories)', checkInventory)(input),
      ),
      { numRuns: runs(400) },
    );
  });

  it('accepts or clearly rejects any value at all', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyValue,
          fc.dictionary(fc.constantFrom(...INVENTORY_KEYS), nastyValue),
          fc.record({ version: anyValue }),
        ),
        (input) => tally.track('parseInventory (random values)', checkInventory)(input),
      ),
      // {"version": {"toString": 1}} made String(version) throw a TypeError (fixed in file.ts).
      {
        numRuns: runs(400),
        examples: [[{ version: { toString: 1 } }], [{ version: {} }], [{ version: 2n }]],
      },
    );
  });
});

describe('readInventory', () => {
  it('reads or clearly rejects every damaged inventory file', () => {
    const text = JSON.stringify(inventories[0], null, 2);
    fc.assert(
      fc.property(mutatedText(text), (content) =>
        tally.track('readInventory (damaged files)', (body: string) => {
          const path = join(dir, 'inventory.json');
          writeFileSync(path, body);
          try {
            use(readInventory(path));
            return 'accepted';
          } catch (error) {
            expectClearRejection(error, path);
            return 'rejected';
          }
        })(content),
      ),
      { numRuns: runs(200) },
    );
  });
});

// ─── Baseline files ─────────────────────────────────────────────────────────────────────

const demo = readInventory(DEMO_INVENTORY);
const scanned = scanInventory(demo, { rules: catalog });
const entries = baselineFromScan(scanned.estate, scanned.findings, demo.collectedAt);
/** Two entries of each kind of resource: every shape a baseline holds, small enough to rewrite each run. */
const sample = entries.filter(
  (entry, index) => entries.findIndex((other) => other.snapshot.kind === entry.snapshot.kind) >= index - 1,
);
const savedBaseline = {
  version: 1,
  entries: sample,
  handledEvents: { '6b1a2d3c-0000-4000-8000-000000000001': '2026-11-23T09:30:00Z' },
};
const BASELINE_KEYS = [
  'version',
  'entries',
  'handledEvents',
  'arn',
  'snapshot',
  'rules',
  'observedAt',
  'kind',
];

function checkBaseline(body: string): string {
  const path = join(dir, 'baseline.json');
  writeFileSync(path, body);
  let store: FileBaselineStore;
  try {
    store = FileBaselineStore.open(path);
  } catch (error) {
    expectClearRejection(error, path);
    expectNoPollution();
    return 'rejected';
  }
  expectNoPollution();
  // An opened baseline is saved back as it was read.
  store.save();
  FileBaselineStore.open(path);
  return 'opened';
}

/** JSON text, or `null` when the value has none (undefined at the top). */
const asText = (value: unknown) => JSON.stringify(value) ?? 'null';

describe('FileBaselineStore.open', () => {
  it('opens or clearly rejects every mutation of a saved baseline', () => {
    fc.assert(
      fc.property(mutated(savedBaseline, { keys: BASELINE_KEYS }), (value) =>
        tally.track('FileBaselineStore.open (mutated baselines)', checkBaseline)(asText(value)),
      ),
      { numRuns: runs(250) },
    );
  });

  it('opens or clearly rejects damaged files and random JSON', () => {
    fc.assert(
      fc.property(fc.oneof(mutatedText(JSON.stringify(savedBaseline)), fc.jsonValue().map(asText)), (body) =>
        tally.track('FileBaselineStore.open (damaged files, random JSON)', checkBaseline)(body),
      ),
      { numRuns: runs(200) },
    );
  });
});
