// What several commands share: the flags they declare alike, and writing an output file.
import * as z from 'zod/mini';
import { awsRegionSchema } from '../aws/regions';
import { catalog, findRule } from '../rules/index';
import { UsageError } from './errors';
import { flag, nonEmpty } from './flags';

export { UsageError } from './errors';

/** A rule id from the catalog; anything else is refused with the list of valid ones. */
export const ruleIdSchema = z.string().check(
  z.refine((id: string) => findRule(id) !== undefined, {
    error: (issue) =>
      issue.input === ''
        ? 'expected rule ids, got an empty value'
        : `unknown rule ${JSON.stringify(issue.input)}; known rules: ${catalog.map((rule) => rule.id).join(', ')}`,
  }),
);

export const common = {
  rules: (help = 'judge only these rules; repeat or separate with commas') =>
    flag.list('id,...', help, ruleIdSchema, ','),
  endpointUrl: (help: string) => flag.optional('URL', help, z.url()),
  region: (help: string) => flag.optional('R', help, awsRegionSchema),
  regions: (help: string) => flag.list('R', help, awsRegionSchema),
  file: (help: string) => flag.optional('FILE', help, nonEmpty),
  files: (help: string) => flag.list('FILE', help, nonEmpty),
  format: <const F extends readonly [string, ...string[]]>(formats: F, help: string) =>
    flag.withDefault(formats.join('|'), help, z.enum(formats), formats[0]),
};

/** Writes an output file; a path that cannot be written is the caller's mistake (exit 2), not a crash. */
export function writeOutput(command: string, path: string, write: () => void): void {
  try {
    write();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code) {
      const why =
        code === 'EISDIR'
          ? 'it is a folder; name a file'
          : code === 'ENOENT'
            ? 'its folder does not exist'
            : code === 'EACCES' || code === 'EPERM'
              ? 'permission denied'
              : code;
      throw new UsageError(`gatewatch ${command}: cannot write ${path}: ${why}.`, 'file');
    }
    throw error;
  }
}
