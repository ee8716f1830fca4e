// `gatewatch rules [--format table|json]`: the catalog, for people and for tools.
import * as z from 'zod/mini';
import { resourceLabel, summarise } from '../../rules/core/summary';
import { catalog } from '../../rules/index';
import { parseFlags, UsageError } from '../args';
import { type Output, severityColour, table } from '../output';

const flagsSchema = z.object({
  format: z._default(z.enum(['table', 'json']), 'table'),
  help: z.optional(z.boolean()),
});

export const rulesUsage = `Usage: gatewatch rules [--format table|json]

Lists every rule in the catalog: id, severity, the resource it judges, its remediation kind and
the state it requires. --format json prints an array of {id, title, severity, resource,
remediation, runbook, references, parameters}.`;

export function rulesCommand(argv: readonly string[], out: Output): number {
  const { flags, positionals } = parseFlags(
    'rules',
    argv,
    { format: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    flagsSchema,
  );
  if (flags.help) {
    out.write(`${rulesUsage}\n`);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(`gatewatch rules takes no arguments (got ${positionals.join(' ')}).`);

  if (flags.format === 'json') {
    out.write(`${JSON.stringify(catalog.map(summarise), null, 2)}\n`);
    return 0;
  }
  const rows = catalog.map((rule) => [
    rule.id,
    rule.severity,
    resourceLabel(rule),
    rule.remediation?.kind ?? 'none',
    rule.title,
  ]);
  out.write(
    `${table(out, ['RULE', 'SEVERITY', 'JUDGES', 'REMEDIATION', 'COMPLIANT WHEN'], rows, (row, column) => {
      const rule = catalog[row];
      return column === 1 && rule ? severityColour[rule.severity] : undefined;
    })}\n\n${catalog.length} rules. Runbooks: runbooks/<rule>.md. JSON: gatewatch rules --format json\n`,
  );
  return 0;
}
