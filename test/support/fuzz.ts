// Fuzzing support: the real inputs gatewatch meets at its edges, mutators that break them the
// way real inputs break (a key dropped, a type changed, a huge or strange string, a nested
// array, a prototype-polluting key), fully random values, and a tally of what was tried.
// Every suite runs with the same fixed seed, so a failure is reproduced by running it again;
// GATEWATCH_FUZZ_SCALE=10 runs ten times as many inputs (and GATEWATCH_FUZZ_SEED another seed).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { ValidationError } from '../../rules/core/validation';
import { type EventSet, fixtures, recordings } from './event-sets';

export const SEED = Number(process.env.GATEWATCH_FUZZ_SEED ?? 4242);
const SCALE = Number(process.env.GATEWATCH_FUZZ_SCALE ?? 1);

/** How many inputs a property tries: `base`, scaled by GATEWATCH_FUZZ_SCALE. */
export const runs = (base: number): number => Math.max(1, Math.round(base * SCALE));

/** Fixed seed for every property of the calling test file. */
export function configureFuzzing(): void {
  fc.configureGlobal({ seed: SEED, numRuns: runs(100) });
}

export const ROOT = join(__dirname, '..', '..');

export const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

/** The JSON files of a folder, by name, sorted; [] when the folder does not exist. */
export function jsonFiles(dir: string): { name: string; path: string; json: unknown }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ name, path: join(dir, name), json: readJson(join(dir, name)) }));
}

/** The files of the event sets present: the fixtures, and the recordings of ../shared/events when there. */
const presentFiles = (pick: (set: EventSet) => readonly string[]) =>
  [fixtures, recordings]
    .filter((set) => set.present)
    .flatMap((set) =>
      pick(set).map((name) => ({
        name: `${set.kind}/${name}`,
        path: set.path(name),
        json: set.load<unknown>(name),
      })),
    );

/** The CloudTrail records and EventBridge events (the config-* files are Config invocations). */
export const recordedEvents = () => presentFiles((set) => set.cloudTrailFiles);
/** The AWS Config invoking events and Lambda events. */
export const configEvents = () => presentFiles((set) => set.configFiles);
export const driftEvents = () => jsonFiles(join(ROOT, 'examples', 'drift', 'events'));
export const DEMO_INVENTORY = join(ROOT, 'examples', 'inventory', 'demo.json');

// ─── Values that break parsers ──────────────────────────────────────────────────────────

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Sets an own property, as JSON.parse does: `__proto__` becomes a key, not the prototype. */
const define = (target: object, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

const HUGE = 'A'.repeat(200_000);

function nested(depth: number, asObject: boolean): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) value = asObject ? { a: value } : [value];
  return value;
}

/** Keys that have bitten JavaScript parsers: prototype pollution, shadowed methods, empty. */
export const NASTY_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'toJSON',
  '',
  ' ',
] as const;

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      HUGE,
      '\u0000',
      '\u202eevil',
      '💥🧨',
      '\ud800',
      'null',
      'undefined',
      'NaN',
      '__proto__',
      '9'.repeat(400),
      '2024-02-30T25:61:00Z',
      '../../../../etc/passwd',
      '%s%n%x',
      '"},{"',
      '*',
      'arn:aws:apigateway:us-east-1::/restapis/a1b2c3/stages/prod',
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

const nastyNumber = fc.constantFrom(0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 2, 2 ** 31, 1e-300);

/** Objects whose own keys try to pollute Object.prototype when copied carelessly. */
const polluting = (): unknown =>
  JSON.parse(
    '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"}}',
  );

/** One wrong value: another type, an empty or huge or strange string, deep nesting, a polluting object. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}) },
  { weight: 2, arbitrary: nastyNumber },
  { weight: 4, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.constantFrom(1000, 3000).chain((d) => fc.constant(nested(d, d > 1000))) },
  { weight: 1, arbitrary: fc.constant(null).map(polluting) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

export const nastyKey = (extra: readonly string[] = []): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...NASTY_KEYS) },
    { weight: extra.length > 0 ? 3 : 0, arbitrary: fc.constantFrom('', ...extra) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );

/** Anything at all, including what JSON cannot hold (undefined, NaN, Map, null prototypes…). */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.anything({
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    withTypedArray: true,
  }),
);

// ─── Mutating a real input ──────────────────────────────────────────────────────────────

type Step = string | number;

type Mutation =
  | { readonly op: 'drop' }
  | { readonly op: 'replace'; readonly value: unknown }
  | { readonly op: 'add'; readonly key: string; readonly value: unknown }
  | { readonly op: 'wrap' }
  | { readonly op: 'stringify' }
  | { readonly op: 'repeat' };

function pathsOf(value: unknown, at: Step[] = [], out: Step[][] = []): Step[][] {
  out.push(at);
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) pathsOf(item, [...at, index], out);
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) pathsOf(item, [...at, key], out);
  }
  return out;
}

/** A shallow copy of an object or array, keeping `__proto__` keys as own keys. */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return [...value];
  const out = {};
  for (const [key, item] of Object.entries(value as object)) define(out, key, item);
  return out;
}

function changed(value: unknown, mutation: Mutation): unknown {
  switch (mutation.op) {
    case 'replace':
      return mutation.value;
    case 'add': {
      if (Array.isArray(value)) return [...value, mutation.value];
      const out = isObject(value) ? copy(value) : {};
      define(out as object, mutation.key, mutation.value);
      return out;
    }
    case 'wrap':
      return [value];
    case 'stringify':
      return JSON.stringify(value) ?? 'undefined';
    case 'repeat':
      if (Array.isArray(value)) return Array.from({ length: 50 }, () => value).flat();
      if (typeof value === 'string') return value.repeat(Math.ceil(100_000 / Math.max(1, value.length)));
      return value;
    case 'drop':
      return value;
  }
}

/**
 * `root` with `mutation` applied at `path`, copying only the containers on the way (the rest
 * is shared, so a large input costs little per run). A path that no longer resolves (an
 * earlier mutation changed it) stops at the deepest container that still exists.
 */
function applyAt(root: unknown, path: readonly Step[], mutation: Mutation): unknown {
  const [step, ...rest] = path;
  if (step === undefined || !(Array.isArray(root) || isObject(root))) return changed(root, mutation);
  const container = root as Record<Step, unknown>;
  if (!Object.hasOwn(container, step)) return changed(root, mutation);
  const out = copy(root) as Record<Step, unknown> & unknown[];
  if (rest.length === 0 && mutation.op === 'drop') {
    if (Array.isArray(out)) out.splice(step as number, 1);
    else delete out[step];
    return out;
  }
  const next = applyAt(container[step], rest, mutation);
  if (Array.isArray(out)) out[step as number] = next;
  else define(out, String(step), next);
  return out;
}

const mutation = (keys: readonly string[]): fc.Arbitrary<Mutation> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant({ op: 'drop' } as const) },
    { weight: 5, arbitrary: nastyValue.map((value) => ({ op: 'replace', value }) as const) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(nastyKey(keys), nastyValue)
        .map(([key, value]) => ({ op: 'add', key, value }) as const),
    },
    { weight: 1, arbitrary: fc.constant({ op: 'wrap' } as const) },
    { weight: 1, arbitrary: fc.constant({ op: 'stringify' } as const) },
    { weight: 1, arbitrary: fc.constant({ op: 'repeat' } as const) },
  );

/**
 * Inputs made from a real one by 1 to `max` mutations, each at a random place in it.
 * `keys`: names worth adding (the fields the parser reads).
 */
export function mutated(base: unknown, options: { keys?: readonly string[]; max?: number } = {}) {
  const paths = pathsOf(base);
  return fc
    .array(fc.tuple(fc.nat({ max: paths.length - 1 }), mutation(options.keys ?? [])), {
      minLength: 1,
      maxLength: options.max ?? 4,
    })
    .map((steps) =>
      steps.reduce<unknown>((value, [index, step]) => applyAt(value, paths[index] ?? [], step), base),
    );
}

/** Text made from a real file: cut short, a character changed, something inserted, a BOM. */
export function mutatedText(text: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.nat({ max: text.length }).map((at) => text.slice(0, at)),
    fc
      .tuple(fc.nat({ max: Math.max(0, text.length - 1) }), fc.string({ unit: 'binary', maxLength: 3 }))
      .map(([at, insert]) => text.slice(0, at) + insert + text.slice(at + 1)),
    fc
      .tuple(fc.nat({ max: text.length }), fc.constantFrom('{', '}', '[', ',', '"', '\\', 'NaN', '\u0000'))
      .map(([at, insert]) => text.slice(0, at) + insert + text.slice(at)),
    fc.constant(`\ufeff${text}`),
    fc.constant(`${text}${text}`),
    fc.string({ unit: 'binary', maxLength: 60 }),
  );
}

// ─── Judging an outcome ─────────────────────────────────────────────────────────────────

// biome-ignore lint/suspicious/noExplicitAny: any error class
type ErrorClass = abstract new (...args: any[]) => Error;

/**
 * The message names a field (`path: problem`, zod's form, or `field is not JSON`), or, for a
 * file, says it is not JSON or could not be read (with the parser's reason), or names its version.
 */
const NAMES_A_FIELD =
  /is invalid: .+?: |is invalid: \S+ is not JSON|is not JSON: |^Cannot read .+?: .|has version /s;

/**
 * A rejection is clear when it is one of the project's own errors, names the input, and names
 * what in it is wrong. Anything else (a TypeError, a RangeError from deep recursion…) is
 * rethrown: that is a crash, and fast-check reports it with the input that caused it.
 */
export function expectClearRejection(
  error: unknown,
  origin: string,
  kinds: readonly ErrorClass[] = [ValidationError],
): void {
  if (!kinds.some((kind) => error instanceof kind)) throw error;
  const { message } = error as Error;
  if (!message.includes(origin))
    throw new Error(`The rejection does not name the input "${origin}": ${message}`);
  if (!NAMES_A_FIELD.test(message)) throw new Error(`The rejection names no field: ${message}`);
  if (message.includes('[object ')) throw new Error(`The rejection prints an object as text: ${message}`);
}

const prototypeKeys = (target: object) => Object.getOwnPropertyNames(target).sort().join(',');
const pristine = [Object.prototype, Array.prototype, Function.prototype].map(prototypeKeys);

/** No input may add a property to the prototypes every object shares. */
export function expectNoPollution(): void {
  const probe: Record<string, unknown> = {};
  const changedPrototype = [Object.prototype, Array.prototype, Function.prototype].some(
    (target, index) => prototypeKeys(target) !== pristine[index],
  );
  if (probe.polluted !== undefined || changedPrototype)
    throw new Error('An input polluted a shared prototype.');
}

// ─── Counting what was tried ────────────────────────────────────────────────────────────

/** Inputs tried and crashes seen, per parser, printed as one summary line each. */
export class Tally {
  private readonly counts = new Map<
    string,
    { inputs: number; crashes: number; outcomes: Map<string, number> }
  >();

  private entry(parser: string) {
    let entry = this.counts.get(parser);
    if (!entry) {
      entry = { inputs: 0, crashes: 0, outcomes: new Map() };
      this.counts.set(parser, entry);
    }
    return entry;
  }

  /** Wraps a check so each input it sees is counted, and each one it fails on counted as a crash. */
  track<A extends unknown[]>(parser: string, check: (...args: A) => string): (...args: A) => void {
    return (...args) => {
      const entry = this.entry(parser);
      entry.inputs += 1;
      try {
        const outcome = check(...args);
        entry.outcomes.set(outcome, (entry.outcomes.get(outcome) ?? 0) + 1);
      } catch (error) {
        entry.crashes += 1;
        throw error;
      }
    };
  }

  trackAsync<A extends unknown[]>(
    parser: string,
    check: (...args: A) => Promise<string>,
  ): (...args: A) => Promise<void> {
    return async (...args) => {
      const entry = this.entry(parser);
      entry.inputs += 1;
      try {
        const outcome = await check(...args);
        entry.outcomes.set(outcome, (entry.outcomes.get(outcome) ?? 0) + 1);
      } catch (error) {
        entry.crashes += 1;
        throw error;
      }
    };
  }

  summary(): string {
    return [...this.counts]
      .map(([parser, { inputs, crashes, outcomes }]) => {
        const split = [...outcomes]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([outcome, n]) => `${outcome}: ${n}`)
          .join('; ');
        return `fuzz: ${parser} ${inputs} inputs, ${crashes} crashes (${split})`;
      })
      .join('\n');
  }
}
