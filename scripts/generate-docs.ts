// `npm run docs`: rewrites the README's rules table and each runbook's header from the catalog.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runbookPath } from '../rules/core/judge';
import { catalog } from '../rules/index';
import {
  README_END,
  README_START,
  RUNBOOK_END,
  RUNBOOK_START,
  renderReadmeSection,
  renderRunbookHeader,
  replaceSection,
} from './docs';

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
  replaceSection(text, README_START, README_END, renderReadmeSection(catalog), 'README.md'),
);
const missing = catalog.map((rule) => runbookPath(rule.id)).filter((file) => !existsSync(join(root, file)));
for (const file of missing)
  console.error(`${file} does not exist: every rule needs a runbook (see an existing one).`);
for (const rule of catalog) {
  const file = runbookPath(rule.id);
  if (missing.includes(file)) continue;
  rewrite(file, (text) => replaceSection(text, RUNBOOK_START, RUNBOOK_END, renderRunbookHeader(rule), file));
}
process.exitCode = missing.length > 0 ? 1 : 0;
