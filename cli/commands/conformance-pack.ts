// `gatewatch conformance-pack`: the gatewatch Config rules as a conformance pack template.
import { writeFileSync } from 'node:fs';
import { conformancePackYaml } from '../../pipeline/config/conformance-pack';
import { common, writeOutput } from '../args';
import { defineCommand } from '../flags';
import { cliSettings } from '../settings';

export const conformancePackCommand = defineCommand({
  name: 'conformance-pack',
  summary: 'print the gatewatch Config rules as a conformance pack',
  description: `Prints a conformance pack template with one AWS Config rule per gatewatch rule (rules switched
off in the settings are left out; their parameters come from the settings). The settings are
--settings FILE, else gatewatch.config.json in this directory (as cdk synth reads it), else the
defaults. Deploy it with the ARN of the stack's Config evaluator (output ConfigEvaluatorArn) as
GatewatchEvaluatorArn:

  aws configservice put-conformance-pack --conformance-pack-name gatewatch \\
    --template-body file://pack.yaml \\
    --conformance-pack-input-parameters ParameterName=GatewatchEvaluatorArn,ParameterValue=<arn>`,
  flags: {
    settings: common.file(
      'a gatewatch settings document: rule modes and parameters\n(default: gatewatch.config.json in this directory, else the defaults)',
    ),
    output: common.file('write the template to this file instead of standard output'),
  },
  run: ({ flags }, out) => {
    const { settings } = cliSettings('conformance-pack', flags.settings);
    const template = conformancePackYaml(settings);
    const output = flags.output;
    if (output) writeOutput('conformance-pack', output, () => writeFileSync(output, template));
    else out.write(template);
    return 0;
  },
});
