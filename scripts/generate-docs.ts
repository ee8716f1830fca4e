// `npm run docs`: rewrites the README's rules table and each runbook's header from the catalog.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readInventory } from '../aws/read/inventory-file';
import { commands } from '../cli/main';
import { conformancePackYaml } from '../pipeline/config/conformance-pack';
import { runbookPath } from '../rules/core/judge';
import { catalog } from '../rules/index';
import {
  README_END,
  README_START,
  RUNBOOK_END,
  RUNBOOK_START,
  renderReadmeSection,
  renderRunbookHeader,
  renderSynopsisSection,
  replaceSection,
  synopsisEnd,
  synopsisStart,
} from './docs';
import { driftEvents, driftStates } from './drift-demo';

const root = join(__dirname, '..');

function rewrite(file: string, update: (text: string) => string): void {
  const path = join(root, file);
  const before = readFileSync(path, 'utf8');
  const after = update(before);
  if (after !== before) {
    writeFileSync(path, after);
    console.log(`updated ${file}`);
  }
}

rewrite('README.md', (text) =>
  commands
    .filter((command) => text.includes(synopsisStart(command.name)))
    .reduce(
      (readme, command) =>
        replaceSection(
          readme,
          synopsisStart(command.name),
          synopsisEnd(command.name),
          renderSynopsisSection(command),
          'README.md',
        ),
      replaceSection(text, README_START, README_END, renderReadmeSection(catalog), 'README.md'),
    ),
);
const missing = catalog.map((rule) => runbookPath(rule.id)).filter((file) => !existsSync(join(root, file)));
for (const file of missing)
  console.error(`${file} does not exist: every rule needs a runbook (see an existing one).`);
for (const rule of catalog) {
  const file = runbookPath(rule.id);
  if (missing.includes(file)) continue;
  rewrite(file, (text) => replaceSection(text, RUNBOOK_START, RUNBOOK_END, renderRunbookHeader(rule), file));
}
// The drift demo's events and states, derived from the demo inventory.
const demo = readInventory(join(root, 'examples/inventory/demo.json'));
for (const [name, event] of Object.entries(driftEvents)) {
  writeIfChanged(`examples/drift/events/${name}`, `${JSON.stringify(event, null, 2)}\n`);
}
for (const [name, derive] of Object.entries(driftStates)) {
  writeIfChanged(`examples/drift/${name}`, `${JSON.stringify(derive(demo), null, 2)}\n`);
}

// The conformance pack of the gatewatch Config rules, with the default settings.
writeIfChanged('examples/conformance-pack/gatewatch.yaml', conformancePackYaml());

function writeIfChanged(file: string, text: string): void {
  const path = join(root, file);
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return;
  writeFileSync(path, text);
  console.log(`updated ${file}`);
}

process.exitCode = missing.length > 0 ? 1 : 0;
