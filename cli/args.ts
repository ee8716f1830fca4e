// Command-line flags: read with node's parseArgs, then validated with zod like every other input.
import { parseArgs } from 'node:util';
import type * as z from 'zod/mini';
import { formatIssues } from '../rules/core/validation';

/** A mistake in how the command was called: exit code 2 and a message, never a stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type OptionSpec = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

export function parseFlags<T extends z.ZodMiniType>(
  command: string,
  argv: readonly string[],
  options: OptionSpec,
  schema: T,
): { flags: z.output<T>; positionals: string[] } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`gatewatch ${command}: ${(error as Error).message}`);
  }
  const result = schema.safeParse(parsed.values);
  if (!result.success) throw new UsageError(`gatewatch ${command}: ${formatIssues(result.error)}`);
  return { flags: result.data, positionals: parsed.positionals };
}

/** Writes an output file; a path that cannot be written is the caller's mistake (exit 2), not a crash. */
export function writeOutput(command: string, path: string, write: () => void): void {
  try {
    write();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code) {
      throw new UsageError(`gatewatch ${command}: cannot write ${path}: ${(error as Error).message}`);
    }
    throw error;
  }
}
