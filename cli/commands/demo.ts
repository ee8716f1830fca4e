// `gatewatch demo` (what `npm start` runs): the main job on the embedded default, with no AWS
// account: the bundled inventory of a realistic estate, judged by the same path as a live scan.
import { join } from 'node:path';
import { readInventory } from '../../functions/inventory/file';
import { scanInventory } from '../../functions/pipeline/scan';
import { catalog } from '../../rules/index';
import { UsageError } from '../args';
import { type Output, paint } from '../output';
import { tableReport } from '../report/table';

export const DEMO_INVENTORY = join(__dirname, '..', '..', 'examples', 'inventory', 'demo.json');

export function demoCommand(argv: readonly string[], out: Output): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    out.write(
      'Usage: gatewatch demo\n\nJudges the bundled example estate (examples/inventory/demo.json) without AWS.\n',
    );
    return 0;
  }
  if (argv.length > 0) throw new UsageError(`gatewatch demo takes no arguments (got ${argv.join(' ')}).`);
  const inventory = readInventory(DEMO_INVENTORY);
  out.write(
    `${paint(out, 'bold', 'gatewatch demo')}: judging the bundled estate in examples/inventory/demo.json ` +
      `(collected ${inventory.collectedAt}) with ${catalog.length} rules, as \`gatewatch scan --inventory\` would.\n\n`,
  );
  out.write(tableReport(scanInventory(inventory, { rules: catalog }), out));
  out.write(
    '\nJudge your own account: npx gatewatch scan --region REGION   (JSON: --format json; SARIF: --format sarif)\n',
  );
  return 0;
}
