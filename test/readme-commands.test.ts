// The README's commands work as written from a fresh clone: every repository file they name
// (example settings, inventories, drift events, runbooks) exists, and every file they write at the
// repository root (a copied settings file, a baseline) is git-ignored, so `npm test` does not lint
// it. Files a reader brings (a saved Config event, a dead letter's body) are named below.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Files the reader provides, not the repository. */
const BROUGHT_BY_THE_READER: Record<string, string> = {
  'invocation.json': 'a Config Lambda event the reader saved',
  'item-change.json': 'a Config invoking event the reader saved',
  'event.json': "a dead-lettered event's body",
};

/** Each command line of the sh code blocks, continuation lines joined, comments dropped. */
const commands = [...readme.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)]
  .flatMap((match) => (match[1] ?? '').replace(/\\\n/g, ' ').split('\n'))
  .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
  .filter((line) => line !== '');

const words = (command: string) =>
  command
    .split(/\s+/)
    .map((word) => word.replace(/^["']|["']$/g, ''))
    .map((word) => word.replace(/^file:\/\//, '').replace(/^[\w-]+=/, ''));

const FILE = /^[\w.-]+(\/[\w.*{}-]+)*\.(json|ya?ml|md|ts|js|txt)$/;

/** Files the commands write: a copy's destination, a saved baseline or inventory, a redirect. */
const written = new Set(
  commands.flatMap((command) => {
    const list = words(command);
    const out: string[] = [];
    list.forEach((word, index) => {
      const next = list[index + 1];
      if (next && ['--save-baseline', '--save-inventory', '--output', '>'].includes(word)) out.push(next);
    });
    if (list[0] === 'cp' && list[2]) out.push(list[2]);
    return out.filter((word) => FILE.test(word));
  }),
);

const named = [...new Set(commands.flatMap(words).filter((word) => FILE.test(word)))].sort();

/** Whether a path exists; `*` in its last segment matches any run of characters. */
function exists(path: string): boolean {
  const file = path.split('/').pop() ?? '';
  if (!file.includes('*')) return existsSync(join(ROOT, path));
  const dir = join(ROOT, dirname(path));
  const pattern = new RegExp(`^${file.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`);
  return existsSync(dir) && readdirSync(dir).some((name) => pattern.test(name));
}

describe('the commands of README.md', () => {
  it('name the example settings, inventories and events (so this test checks something)', () => {
    expect(named).toEqual(
      expect.arrayContaining([
        'gatewatch.config.example.json',
        'examples/settings/organization.json',
        'examples/inventory/demo.json',
        'examples/drift/events/*.json',
      ]),
    );
  });

  it.each(named.filter((path) => !written.has(path) && !(path in BROUGHT_BY_THE_READER)))(
    '%s exists in the repository',
    (path) => {
      expect(exists(path)).toBe(true);
    },
  );

  it.each([...written].filter((path) => !path.includes('/')))(
    '%s, written at the repository root, is git-ignored',
    (path) => {
      const ignored = readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n');

      expect(ignored).toContain(`/${path}`);
    },
  );
});
