// `gatewatch rules [--format table|json]`: the catalog, for people and for tools.
import { resourceLabel, summarise } from '../../rules/core/summary';
import { catalog } from '../../rules/index';
import { common } from '../args';
import { defineCommand } from '../flags';
import { type Output, severityColour, table } from '../output';

export const rulesCommand = defineCommand({
  name: 'rules',
  summary: 'list the rule catalog',
  description:
    'Lists every rule in the catalog: id, severity, the resource it judges, its remediation kind and\n' +
    'the state it requires. --format json prints an array of {id, title, severity, resource,\n' +
    'remediation, runbook, references, parameters}.',
  flags: { format: common.format(['table', 'json'], 'table (default) or json') },
  run: ({ flags }, out) => listRules(flags.format, out),
});

function listRules(format: 'table' | 'json', out: Output): number {
  if (format === 'json') {
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
