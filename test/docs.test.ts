import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commands } from '../cli/main';
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
  synopsisEnd,
  synopsisStart,
} from '../scripts/docs';
import { LAYERS } from './support/layout';

const root = join(__dirname, '..');
const section = (text: string, start: string, end: string) =>
  text.slice(text.indexOf(start), text.indexOf(end) + end.length);

describe('generated documentation', () => {
  it('README rules table is current (run `npm run docs` after changing a rule)', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');

    expect(section(readme, README_START, README_END)).toBe(renderReadmeSection(catalog));
  });

  // Every command a person runs against AWS or files has its synopsis in the README, from its flag table.
  it.each(
    commands
      .filter((command) => ['scan', 'replay', 'config-event', 'conformance-pack'].includes(command.name))
      .map((command) => [command.name, command] as const),
  )(
    'README synopsis of gatewatch %s is current (run `npm run docs` after changing a flag)',
    (_name, command) => {
      const readme = readFileSync(join(root, 'README.md'), 'utf8');

      expect(readme).toContain(synopsisStart(command.name));
      expect(section(readme, synopsisStart(command.name), synopsisEnd(command.name))).toBe(
        renderSynopsisSection(command),
      );
    },
  );

  it.each(catalog.map((rule) => [rule.id, rule] as const))('runbook header of %s is current', (_id, rule) => {
    const runbook = readFileSync(join(root, runbookPath(rule.id)), 'utf8');

    expect(section(runbook, RUNBOOK_START, RUNBOOK_END)).toBe(renderRunbookHeader(rule));
  });

  it('README starts with the two commands: the main job and the whole test suite', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const commands = readme.split('\n').slice(1, 3);

    expect(commands[0]).toMatch(/^(npm ci && )?npm start\b/);
    expect(commands[1]).toMatch(/^npm test\b/);
  });
});

describe('the bundled drift sequence', () => {
  // Derived from examples/inventory/demo.json by scripts/drift-demo.ts; `npm run docs` rewrites it.
  const { driftEvents, driftStates } =
    require('../scripts/drift-demo') as typeof import('../scripts/drift-demo');
  const { readInventory } =
    require('../aws/read/inventory-file') as typeof import('../aws/read/inventory-file');
  const demo = readInventory(join(root, 'examples/inventory/demo.json'));

  it.each(Object.keys(driftEvents))('event %s is current', (name) => {
    const saved = readFileSync(join(root, 'examples/drift/events', name), 'utf8');

    expect(saved).toBe(`${JSON.stringify(driftEvents[name], null, 2)}\n`);
  });

  it.each(Object.entries(driftStates))('state %s is current', (name, derive) => {
    const saved = readFileSync(join(root, 'examples/drift', name), 'utf8');

    expect(saved).toBe(`${JSON.stringify(derive(demo), null, 2)}\n`);
  });
});

describe('docs/ARCHITECTURE.md', () => {
  const architecture = readFileSync(join(root, 'docs', 'ARCHITECTURE.md'), 'utf8');

  it('says of each folder what test/architecture.test.ts enforces it may import', () => {
    const rows = [...architecture.matchAll(/^\| `([a-z]+)\/` \| .* \| (.*) \|$/gm)].map(
      ([, folder, imports]) =>
        [folder, [...(imports as string).matchAll(/`([a-z]+)\/`/g)].map((match) => match[1]).sort()] as const,
    );
    expect(Object.fromEntries(rows)).toEqual(
      Object.fromEntries(Object.entries(LAYERS).map(([folder, allowed]) => [folder, [...allowed].sort()])),
    );
  });

  it('names only files that exist', () => {
    // Files by their path from the root (a folder named alone, `read/`, is one of its parent's).
    const paths = [...architecture.matchAll(/`((?:[a-z-]+\/)+[a-z.-]+\.(?:ts|md))`/g)].map(
      (match) => match[1],
    );
    const missing = paths.filter((path) => !existsSync(join(root, path as string)));
    expect(missing).toEqual([]);
  });
});
