// Flags are declared once per command, in a table: the table drives parsing, validation (zod),
// `--help` and the README's synopsis (scripts/docs.ts). Adding a flag is one table entry.
//
// The parser is small on purpose: node:util's parseArgs rejects `--max-rate -1` with three lines
// about ambiguity and keeps only the last of a repeated flag. Here a value flag takes the next
// word as it is (so `-1` reaches validation), a list flag accumulates, any other flag given twice
// is refused, and every mistake is one line.
import * as z from 'zod/mini';
import '../rules/core/validation';
import { UsageError } from './errors';
import type { Output } from './output';

interface FlagBase {
  /** One line (or a few) for `--help`. */
  readonly help: string;
  /** What the value looks like in the synopsis and `--help` (FILE, N, id,...). */
  readonly placeholder?: string;
}

/** A switch: present or not. */
export interface BooleanFlag extends FlagBase {
  readonly kind: 'boolean';
}

/** One value, given at most once. `schema` parses the string as typed. */
export interface ValueFlag<T> extends FlagBase {
  readonly kind: 'value';
  readonly placeholder: string;
  readonly schema: z.ZodMiniType<T, string | undefined>;
}

/** Repeatable: every occurrence adds to the list (`separator` splits each occurrence too). */
export interface ListFlag<T> extends FlagBase {
  readonly kind: 'list';
  readonly placeholder: string;
  readonly element: z.ZodMiniType<T, string>;
  readonly separator?: string;
}

export type Flag = BooleanFlag | ValueFlag<unknown> | ListFlag<unknown>;
export type FlagTable = Readonly<Record<string, Flag>>;

export type FlagValues<F extends FlagTable> = {
  -readonly [K in keyof F]: F[K] extends BooleanFlag
    ? boolean
    : F[K] extends ValueFlag<infer T>
      ? T
      : F[K] extends ListFlag<infer T>
        ? T[]
        : never;
};

export const flag = {
  boolean: (help: string): BooleanFlag => ({ kind: 'boolean', help }),
  /** An optional value: undefined when not given. */
  optional: <T = string>(
    placeholder: string,
    help: string,
    schema: z.ZodMiniType<T, string> = z.string() as unknown as z.ZodMiniType<T, string>,
  ): ValueFlag<T | undefined> => ({ kind: 'value', placeholder, help, schema: z.optional(schema) }),
  /** A value with a default, used when the flag is not given. */
  withDefault: <T>(
    placeholder: string,
    help: string,
    schema: z.ZodMiniType<T, string>,
    fallback: NoInfer<T>,
  ): ValueFlag<T> => ({
    kind: 'value',
    placeholder,
    help,
    schema: z.pipe(
      z.optional(z.string()),
      z.transform((value: string | undefined, context) => {
        if (value === undefined) return fallback;
        const result = schema.safeParse(value);
        if (result.success) return result.data;
        for (const issue of result.error.issues) context.issues.push({ ...issue, input: value } as never);
        return z.NEVER;
      }),
    ) as unknown as z.ZodMiniType<T, string | undefined>,
  }),
  list: <T = string>(
    placeholder: string,
    help: string,
    element: z.ZodMiniType<T, string> = z.string() as unknown as z.ZodMiniType<T, string>,
    separator?: string,
  ): ListFlag<T> => ({ kind: 'list', placeholder, help, element, ...(separator ? { separator } : {}) }),
};

/** A string that is not empty: `--rules ""` or `--inventory ""` cannot mean anything. */
export const nonEmpty = z.string().check(z.minLength(1, 'expected a value, got an empty string'));

/** A number within (min, max]: "a number above 0 and at most 10". */
export const numberAbove = (min: number, max: number) =>
  z.pipe(
    z.string(),
    z.transform((text: string, context) => {
      const n = text.trim() === '' ? Number.NaN : Number(text);
      if (Number.isFinite(n) && n > min && n <= max) return n;
      context.issues.push({
        code: 'custom',
        input: text,
        message: `expected a number above ${min} and at most ${max}, got ${JSON.stringify(text)}`,
      });
      return z.NEVER;
    }),
  );

/** A whole number within [min, max]. */
export const wholeNumber = (min: number, max: number) =>
  z.pipe(
    z.string(),
    z.transform((text: string, context) => {
      const n = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
      if (Number.isInteger(n) && n >= min && n <= max) return n;
      context.issues.push({
        code: 'custom',
        input: text,
        message: `expected a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`,
      });
      return z.NEVER;
    }),
  );

export interface CommandSpec<F extends FlagTable> {
  readonly name: string;
  /** One line for `gatewatch --help`. */
  readonly summary: string;
  /** The operands after the flags, for the synopsis (`FILE...`), and how many are allowed. */
  readonly operands?: { readonly synopsis: string; readonly min: number; readonly max: number };
  /** Paragraphs for `--help`, after the usage line. */
  readonly description: string;
  readonly flags: F;
  /** Text after the options in `--help` (examples, exit codes). */
  readonly epilogue?: string;
}

export interface Parsed<F extends FlagTable> {
  readonly flags: FlagValues<F>;
  readonly operands: string[];
}

/** Reads argv against the table; throws a one-line UsageError for any mistake. */
export function parseCommandLine<F extends FlagTable>(
  spec: CommandSpec<F>,
  argv: readonly string[],
): Parsed<F> {
  const prefix = `gatewatch ${spec.name}`;
  const seen = new Map<string, string[]>();
  const switches = new Set<string>();
  const operands: string[] = [];
  const lookup = (name: string): Flag | undefined =>
    Object.hasOwn(spec.flags, name) ? spec.flags[name] : undefined;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (word === '-' || !word.startsWith('-')) {
      operands.push(word);
      continue;
    }
    const equals = word.indexOf('=');
    const name = word.startsWith('--') ? word.slice(2, equals < 0 ? undefined : equals) : word.slice(1);
    const declared = lookup(name);
    if (!declared)
      throw new UsageError(
        `${prefix}: unknown option ${word.slice(0, equals < 0 ? undefined : equals)}${suggestion(name, spec)}; \`gatewatch ${spec.name} --help\` lists the options.`,
      );
    if (declared.kind === 'boolean') {
      if (equals >= 0) throw new UsageError(`${prefix}: --${name} takes no value.`);
      if (switches.has(name)) throw new UsageError(`${prefix}: --${name} is given twice; give it once.`);
      switches.add(name);
      continue;
    }
    let value: string | undefined;
    if (equals >= 0) value = word.slice(equals + 1);
    else {
      const next = argv[i + 1];
      // `--format --all`: the next word is a flag, so this one has no value.
      const isFlag =
        next?.startsWith('--') && (next === '--' || lookup(next.slice(2).split('=')[0] as string));
      if (next === undefined || isFlag)
        throw new UsageError(`${prefix}: --${name} needs a value (${declared.placeholder}).`);
      value = next;
      i++;
    }
    const values = seen.get(name) ?? [];
    if (declared.kind === 'value' && values.length > 0) {
      throw new UsageError(`${prefix}: --${name} is given twice (${values[0]}, ${value}); give it once.`);
    }
    values.push(value);
    seen.set(name, values);
  }
  if (spec.operands) {
    const { min, max, synopsis } = spec.operands;
    if (operands.length < min)
      throw new UsageError(
        `${prefix}: name ${min === 1 && max === 1 ? 'one' : 'at least one'} ${synopsis.replace(/\.\.\.$/, '')}; \`gatewatch ${spec.name} --help\` says more.`,
      );
    if (operands.length > max)
      throw new UsageError(
        `${prefix}: expected ${max === 1 ? 'one' : `at most ${max}`} ${synopsis.replace(/\.\.\.$/, '')}, got ${operands.length}: ${operands.join(' ')}.`,
      );
  } else if (operands.length > 0) {
    throw new UsageError(`${prefix} takes no arguments (got ${operands.join(' ')}).`);
  }

  const flags: Record<string, unknown> = {};
  for (const [name, declared] of Object.entries(spec.flags)) {
    if (declared.kind === 'boolean') {
      flags[name] = switches.has(name);
      continue;
    }
    const given = seen.get(name) ?? [];
    if (declared.kind === 'value') {
      flags[name] = check(prefix, name, declared.schema, given[0]);
      continue;
    }
    const parts = declared.separator
      ? given.flatMap((value) =>
          value === '' ? [value] : value.split(declared.separator as string).map((part) => part.trim()),
        )
      : given;
    flags[name] = parts.map((part) => check(prefix, name, declared.element, part));
  }
  return { flags: flags as FlagValues<F>, operands };
}

function check<T>(prefix: string, name: string, schema: z.ZodMiniType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const message = result.error.issues.map((issue) => issue.message).join('; ');
  throw new UsageError(`${prefix}: --${name}: ${message}.`.replace(/\.\.$/, '.'));
}

/** " (did you mean --region?)" for a near miss: same letters give or take two edits. */
function suggestion(name: string, spec: CommandSpec<FlagTable>): string {
  const candidates = [...Object.keys(spec.flags), 'help'];
  const best = candidates
    .map((candidate) => ({ candidate, distance: editDistance(name, candidate) }))
    .sort((a, b) => a.distance - b.distance)[0];
  return best && best.distance <= 2 ? ` (did you mean --${best.candidate}?)` : '';
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        (row[j] as number) + 1,
        (next[j - 1] as number) + 1,
        (row[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[b.length] as number;
}

// ─── Help and synopsis, from the same table ───────────────────────────────────────────────

const HELP_FLAG: BooleanFlag = { kind: 'boolean', help: 'show this help' };

const flagWords = (name: string, declared: Flag) =>
  declared.kind === 'boolean'
    ? `--${name}`
    : `--${name} ${declared.placeholder}${declared.kind === 'list' && !declared.separator ? ' ...' : ''}`;

/** `gatewatch scan [--region R ...] [--profile NAME] …`, wrapped at `width` columns. */
export function synopsis(spec: CommandSpec<FlagTable>, width = 100): string {
  const head = `gatewatch ${spec.name}${spec.operands ? ` ${spec.operands.synopsis}` : ''}`;
  const words = Object.entries(spec.flags).map(([name, declared]) => `[${flagWords(name, declared)}]`);
  const indent = ' '.repeat(`gatewatch ${spec.name} `.length);
  const lines: string[] = [head];
  for (const word of words) {
    const last = lines[lines.length - 1] as string;
    if (`${last} ${word}`.length > width) lines.push(`${indent}${word}`);
    else lines[lines.length - 1] = `${last} ${word}`;
  }
  return lines.join('\n');
}

/** The text `gatewatch <command> --help` prints. */
export function usage(spec: CommandSpec<FlagTable>): string {
  const rows = [...Object.entries(spec.flags), ['help', HELP_FLAG] as const].map(
    ([name, declared]) =>
      [name === 'help' ? '-h, --help' : flagWords(name, declared), declared.help] as const,
  );
  const column = Math.min(26, Math.max(...rows.map(([words]) => words.length)) + 2);
  const options = rows.flatMap(([words, help]) => {
    const [first = '', ...rest] = help.split('\n');
    const lead =
      words.length + 2 > column
        ? [`  ${words}`, `  ${' '.repeat(column)}${first}`]
        : [`  ${words.padEnd(column)}${first}`];
    return [...lead, ...rest.map((line) => `  ${' '.repeat(column)}${line}`)];
  });
  return [
    `Usage: ${synopsis(spec, 100).replace(/\n/g, '\n       ')}`,
    '',
    spec.description,
    '',
    'Options:',
    ...options,
    '',
    spec.epilogue ?? EXIT_CODES,
  ].join('\n');
}

/** A command: its flag table and what it does with the parsed flags. `main` handles --help. */
export interface Command<F extends FlagTable = FlagTable> extends CommandSpec<F> {
  run(parsed: Parsed<F>, out: Output): number | Promise<number>;
}

export const defineCommand = <F extends FlagTable>(command: Command<F>): Command<F> => command;

export const EXIT_CODES =
  'Exit codes: 0 done; 2 a usage, file, credential, network, region or permission problem (one line on\n' +
  'stderr saying what to do); 70 a bug in gatewatch (run again with --debug for the stack trace).';
