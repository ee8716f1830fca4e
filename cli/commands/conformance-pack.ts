// `gatewatch conformance-pack`: the gatewatch Config rules as a conformance pack template.
import { writeFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { conformancePackYaml } from '../../functions/config/conformance-pack';
import { parseFlags, UsageError } from '../args';
import type { Output } from '../output';
import { cliSettings } from '../settings';

export const conformancePackUsage = `Usage: gatewatch conformance-pack [--settings FILE] [--output FILE]

Prints a conformance pack template with one AWS Config rule per gatewatch rule (rules switched
off in the settings are left out; their parameters come from the settings). The settings are
--settings FILE, else gatewatch.config.json in this directory (as cdk synth reads it), else the
defaults. Deploy it with the
ARN of the stack's Config evaluator (output ConfigEvaluatorArn) as GatewatchEvaluatorArn:

  aws configservice put-conformance-pack --conformance-pack-name gatewatch \\
    --template-body file://pack.yaml \\
    --conformance-pack-input-parameters ParameterName=GatewatchEvaluatorArn,ParameterValue=<arn>`;

const flagsSchema = z.object({
  settings: z.optional(z.string()),
  output: z.optional(z.string()),
  help: z.optional(z.boolean()),
});

export function conformancePackCommand(argv: readonly string[], out: Output): number {
  const { flags, positionals } = parseFlags(
    'conformance-pack',
    argv,
    { settings: { type: 'string' }, output: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    flagsSchema,
  );
  if (flags.help) {
    out.write(`${conformancePackUsage}\n`);
    return 0;
  }
  if (positionals.length > 0) {
    throw new UsageError(`gatewatch conformance-pack takes no arguments (got ${positionals.join(' ')}).`);
  }
  const { settings } = cliSettings('conformance-pack', flags.settings);
  const template = conformancePackYaml(settings);
  if (flags.output) writeFileSync(flags.output, template);
  else out.write(template);
  return 0;
}
