// `gatewatch demo` (what `npm start` runs): the main job on the embedded default, with no AWS
// account: the bundled inventory of a realistic estate, judged by the same path as a live scan.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readInventory } from '../../aws/read/inventory-file';
import { MemoryBaselineStore } from '../../aws/stores/baseline-memory';
import { baselineFromScan } from '../../pipeline/drift/baseline-from-scan';
import { scanInventory } from '../../pipeline/scan/scan';
import { catalog } from '../../rules/index';
import { defineCommand } from '../flags';
import { type Output, paint } from '../output';
import { scanReport } from '../report/model';
import { tableReport } from '../report/table';
import { readEvents, readerFor, replayEvents } from './replay';
import { replayTable } from './replay-report';

export const DEMO_INVENTORY = join(__dirname, '..', '..', 'examples', 'inventory', 'demo.json');

const DRIFT = join(__dirname, '..', '..', 'examples', 'drift');

export const demoCommand = defineCommand({
  name: 'demo',
  summary: 'judge the bundled example estate, without AWS (npm start)',
  description:
    'Judges the bundled example estate (examples/inventory/demo.json) without AWS, then replays\n' +
    'the bundled drift events (examples/drift/events) against it as the drift handler would.',
  flags: {},
  run: (_parsed, out) => demo(out),
});

async function demo(out: Output): Promise<number> {
  const inventory = readInventory(DEMO_INVENTORY);
  out.write(
    `${paint(out, 'bold', 'gatewatch demo')}: judging the bundled estate in examples/inventory/demo.json ` +
      `(collected ${inventory.collectedAt}) with ${catalog.length} rules, as \`gatewatch scan --inventory\` would.\n\n`,
  );
  const scan = scanInventory(inventory, { rules: catalog });
  out.write(tableReport(scanReport(scan), out));

  // Real-time drift: five CloudTrail events against the same estate, judged by the drift
  // handler with the scan above as the baseline, each read from the state right after it.
  const events = readdirSync(join(DRIFT, 'events'))
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap((name) => readEvents(join(DRIFT, 'events', name)));
  const baseline = new MemoryBaselineStore(
    baselineFromScan(scan.estate, scan.findings, inventory.collectedAt),
  );
  const reader = readerFor(
    ['state-1-after-update-method.json', 'state-2-after-drift.json'].map((name) => join(DRIFT, name)),
    undefined,
  );
  out.write(
    `\n${paint(out, 'bold', 'Then, in real time')}: ${events.length} CloudTrail events from examples/drift/events, ` +
      'as the drift handler judges them (gatewatch replay):\n\n',
  );
  out.write(replayTable(await replayEvents(events, reader, baseline, catalog), false, out));
  out.write(
    '\nJudge your own account: npx gatewatch scan --region REGION   (JSON: --format json; SARIF: --format sarif)\n',
  );
  return 0;
}
