// The layout of the production code, as docs/ARCHITECTURE.md draws it: each top-level folder and
// the folders it may import. Dependencies point one way, from the entry points down to the rules.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** Each folder and what it may import besides itself (and npm packages). */
export const LAYERS = {
  rules: [],
  model: ['rules'],
  observe: ['model'],
  events: ['model', 'rules'],
  settings: ['observe', 'model', 'rules'],
  aws: ['observe', 'events', 'settings', 'model', 'rules'],
  pipeline: ['aws', 'observe', 'events', 'settings', 'model', 'rules'],
  handlers: ['pipeline', 'aws', 'observe', 'events', 'settings', 'model', 'rules'],
  cli: ['pipeline', 'aws', 'observe', 'events', 'settings', 'model', 'rules'],
  infra: ['pipeline', 'aws', 'observe', 'events', 'settings', 'model', 'rules'],
} as const satisfies Record<string, readonly string[]>;

export type Folder = keyof typeof LAYERS;

/** The folders of code that is deployed or run by users (not tests, benchmarks or scripts). */
export const PRODUCTION_FOLDERS = Object.keys(LAYERS) as Folder[];

/** Every `.ts` file under a folder, as a path relative to the repository root. */
export function sourceFiles(folder: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
    });
  return walk(join(ROOT, folder)).map((path) => relative(ROOT, path));
}

/** The relative modules a file imports (values and types, static and `require`/`import()`), resolved to files. */
export function localImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import|require)\s*\(?\s*'(\.[^']*)'/g)].map(
    (match) => match[1] as string,
  );
  return specifiers.map((specifier) => {
    const base = relative(ROOT, join(ROOT, file, '..', specifier));
    for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
      try {
        if (statSync(join(ROOT, candidate)).isFile()) return candidate;
      } catch {
        // not this one
      }
    }
    return base;
  });
}
