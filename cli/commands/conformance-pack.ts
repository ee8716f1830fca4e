// `gatewatch conformance-pack`: the gatewatch Config rules as a conformance pack template.
import { writeFileSync } from 'node:fs';
import { conformancePackYaml } from '../../functions/config/conformance-pack';
import { defaultSettings, readSettings } from '../../functions/settings/schema';
import { ValidationError } from '../../rules/core/validation';
import { common, UsageError, writeOutput } from '../args';
import { defineCommand } from '../flags';

export const conformancePackCommand = defineCommand({
  name: 'conformance-pack',
  summary: 'print the gatewatch Config rules as a conformance pack',
  description: `Prints a conformance pack template with one AWS Config rule per gatewatch rule (rules switched
off in the settings are left out; their parameters come from the settings). Deploy it with the
ARN of the stack's Config evaluator (output ConfigEvaluatorArn) as GatewatchEvaluatorArn:

  aws configservice put-conformance-pack --conformance-pack-name gatewatch \\
    --template-body file://pack.yaml \\
    --conformance-pack-input-parameters ParameterName=GatewatchEvaluatorArn,ParameterValue=<arn>`,
  flags: {
    settings: common.file('a gatewatch settings document: rule modes and parameters'),
    output: common.file('write the template to this file instead of standard output'),
  },
  run: ({ flags }, out) => {
    let settings = defaultSettings;
    try {
      if (flags.settings) settings = readSettings(flags.settings);
    } catch (error) {
      if (error instanceof ValidationError)
        throw new UsageError(`gatewatch conformance-pack: ${error.message}`, 'input');
      throw error;
    }
    const template = conformancePackYaml(settings);
    const output = flags.output;
    if (output) writeOutput('conformance-pack', output, () => writeFileSync(output, template));
    else out.write(template);
    return 0;
  },
});
