// Fuzzing the message verdicts travel in between functions (parseVerdictMessage): a body is
// read as verdicts, or rejected naming the message and the field (a ValidationError), or, when
// it is not JSON at all, as a SyntaxError that says so.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { InventoryReader } from '../../aws/read/from-inventory';
import { readInventory } from '../../aws/read/inventory-file';
import { MemoryBaselineStore } from '../../aws/stores/baseline-memory';
import { parseEvents } from '../../events/schema';
import type { Verdict } from '../../model/verdict';
import { parseVerdictMessage, verdictMessage } from '../../model/verdict-message';
import { silentLogger } from '../../observe/log';
import { MemoryMetrics } from '../../observe/metrics';
import { baselineFromScan } from '../../pipeline/drift/baseline-from-scan';
import { processEvent } from '../../pipeline/drift/detect';
import { scanInventory } from '../../pipeline/scan/scan';
import { CollectingSink } from '../../pipeline/sinks';
import { ValidationError } from '../../rules/core/validation';
import { catalog } from '../../rules/index';
import {
  anyValue,
  configureFuzzing,
  DEMO_INVENTORY,
  driftEvents,
  expectClearRejection,
  expectNoPollution,
  mutated,
  mutatedText,
  nastyString,
  ROOT,
  runs,
  Tally,
} from '../support/fuzz';

configureFuzzing();
const tally = new Tally();
afterAll(() => console.log(tally.summary()));

const WHAT = 'Fuzzed verdict message';

/** The verdicts of the bundled drift, as the drift function sends them (unchanged ones included). */
async function realVerdicts(): Promise<Verdict[]> {
  const demo = readInventory(DEMO_INVENTORY);
  const scan = scanInventory(demo, { rules: catalog });
  const baseline = new MemoryBaselineStore(baselineFromScan(scan.estate, scan.findings, demo.collectedAt));
  const reader = new InventoryReader(
    readInventory(join(ROOT, 'examples', 'drift', 'state-2-after-drift.json')),
  );
  const verdicts: Verdict[] = [];
  for (const { path, name } of driftEvents()) {
    for (const event of parseEvents(JSON.parse(readFileSync(path, 'utf8')), name)) {
      const outcome = await processEvent(event, {
        reader,
        baseline,
        rules: catalog,
        sink: new CollectingSink(),
        metrics: new MemoryMetrics(),
        log: silentLogger,
        now: () => new Date('2026-11-23T09:31:30Z'),
      });
      if (outcome.kind === 'judged') verdicts.push(...outcome.verdicts);
    }
  }
  return verdicts;
}

const VERDICT_KEYS = [
  'version',
  'verdicts',
  'ruleId',
  'severity',
  'status',
  'change',
  'resourceArn',
  'sourceIp',
  'latencyMs',
  'before',
  'after',
  'remediation',
  'knownGood',
];

const checkMessage = (body: string): string => {
  let verdicts: Verdict[];
  try {
    verdicts = parseVerdictMessage(body, WHAT);
  } catch (error) {
    // Not JSON at all is a SyntaxError by design; everything else is the schema's ValidationError.
    expectClearRejection(error, WHAT, [ValidationError, SyntaxError]);
    if (error instanceof SyntaxError) expect(error.message).toContain(`${WHAT} is not JSON: `);
    expectNoPollution();
    return 'rejected';
  }
  expectNoPollution();
  // What was accepted can be sent on again.
  expect(parseVerdictMessage(verdictMessage(verdicts), WHAT)).toHaveLength(verdicts.length);
  return 'accepted';
};

/** JSON text of any value, or a placeholder when it has none (undefined, a function). */
const asText = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    return 'not serialisable';
  }
};

describe('parseVerdictMessage', () => {
  let message: { version: number; verdicts: Verdict[] };
  beforeAll(async () => {
    message = { version: 1, verdicts: (await realVerdicts()).slice(0, 6) };
    expect(message.verdicts.length).toBeGreaterThan(0);
  });

  it('accepts or clearly rejects every mutation of a real message', () => {
    fc.assert(
      fc.property(mutated(message, { keys: VERDICT_KEYS, max: 3 }), (value) =>
        tally.track('parseVerdictMessage (mutated messages)', checkMessage)(asText(value)),
      ),
      { numRuns: runs(700) },
    );
  });

  it('accepts or clearly rejects damaged bodies, random text and random JSON', () => {
    fc.assert(
      fc.property(fc.oneof(mutatedText(JSON.stringify(message)), nastyString, anyValue.map(asText)), (body) =>
        tally.track('parseVerdictMessage (damaged and random bodies)', checkMessage)(body),
      ),
      { numRuns: runs(500) },
    );
  });
});
