// The layout holds: each folder imports only the folders below it (test/support/layout.ts, drawn in
// docs/ARCHITECTURE.md), no module imports itself back through others, no two folders depend on each
// other, no production module is over 450 lines, and no production code types a partition.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Folder, LAYERS, localImports, PRODUCTION_FOLDERS, ROOT, sourceFiles } from './support/layout';

const files = PRODUCTION_FOLDERS.flatMap(sourceFiles);
const imports = new Map(files.map((file) => [file, localImports(file)]));
const folderOf = (file: string) => file.split('/')[0] as Folder;
/**
 * The unit of the folder-pair check: in the layers with sub-folders of their own jobs (aws/read,
 * pipeline/drift, …) the sub-folder, and the files at its top as one more; elsewhere the folder.
 */
const unitOf = (file: string) => {
  const parts = file.split('/');
  if (!['aws', 'pipeline', 'rules', 'model', 'events'].includes(parts[0] as string))
    return parts[0] as string;
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : `${parts[0]}/*`;
};

/** Strongly connected components of more than one node (or a self-loop): the cycles. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const lowLinks = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    indices.set(node, index);
    lowLinks.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!indices.has(next)) {
        visit(next);
        lowLinks.set(node, Math.min(lowLinks.get(node) as number, lowLinks.get(next) as number));
      } else if (onStack.has(next)) {
        lowLinks.set(node, Math.min(lowLinks.get(node) as number, indices.get(next) as number));
      }
    }
    if (lowLinks.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}

describe('the layout', () => {
  it('has the production code in the folders it names, and no other', () => {
    const topLevel = readdirSync(ROOT).filter(
      (name) => existsSync(join(ROOT, name, '.')) && !name.includes('.'),
    );
    expect(topLevel).not.toContain('functions');
    for (const folder of PRODUCTION_FOLDERS) expect(existsSync(join(ROOT, folder))).toBe(true);
  });

  it('imports only downwards: each folder from itself and the folders below it', () => {
    const upwards: string[] = [];
    for (const [file, targets] of imports) {
      const from = folderOf(file);
      for (const target of targets.filter((path) => path.includes('/'))) {
        const to = folderOf(target);
        if (to !== from && !(LAYERS[from] as readonly string[]).includes(to))
          upwards.push(`${file} → ${target}`);
      }
    }
    expect(upwards).toEqual([]);
  });

  it('has no import cycle between modules', () => {
    expect(cycles(imports)).toEqual([]);
  });

  it('has no two folders that import each other', () => {
    const folders = new Map<string, string[]>();
    for (const [file, targets] of imports) {
      const from = unitOf(file);
      const edges = folders.get(from) ?? [];
      for (const target of targets) {
        const to = unitOf(target);
        if (to !== from && !edges.includes(to)) edges.push(to);
      }
      folders.set(from, edges);
    }
    expect(cycles(folders)).toEqual([]);
  });

  it('keeps the rules free of the AWS SDK, Lambda and Node I/O', () => {
    const impure = sourceFiles('rules').filter((file) =>
      /from '(@aws-sdk|@smithy|@aws-lambda-powertools|node:fs|node:http)/.test(
        readFileSync(join(ROOT, file), 'utf8'),
      ),
    );
    expect(impure).toEqual([]);
  });

  it('has no production module over 450 lines', () => {
    const long = files
      .map((file) => ({ file, lines: readFileSync(join(ROOT, file), 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 450);
    expect(long).toEqual([]);
  });

  it('types no partition: every ARN is made by model/identity for its region', () => {
    // Comments may show an example ARN; code and messages may not name a partition.
    const code = (file: string) =>
      readFileSync(join(ROOT, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
    const typed = files.filter((file) => /arn:aws:/.test(code(file)));
    expect(typed).toEqual([]);
  });
});
