// One way to turn zod's issues into a message a person can act on, for every edge that
// parses outside input (rule parameters, events, settings, files, flags).
import { en } from 'zod/locales';
import * as z from 'zod/mini';

// zod/mini ships without messages; English ones name what was expected and what was received.
z.config(en());

/** "field.path: what is wrong; other.field: …" */
export function formatIssues(error: z.core.$ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message}`)
    .join('; ');
}

/** Parses `input` or throws an error whose message starts with `what` and lists every problem. */
export function parseOrThrow<T extends z.ZodMiniType>(schema: T, input: unknown, what: string): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(`${what} is invalid: ${formatIssues(result.error)}`);
}

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
}
