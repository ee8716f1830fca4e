// The AWS Config rules gatewatch deploys, derived from the catalog: one per rule, named
// `gatewatch-<rule id>`, scoped to the resource types the rule judges. The CDK app
// (infra/constructs/config-rules.ts) and the conformance pack template (conformance-pack.ts)
// are both written from this list, so they cannot disagree.
import { resourceKinds } from '../../rules/core/resources';
import type { AnyRule } from '../../rules/core/rule';
import { catalog } from '../../rules/index';
import { defaultSettings, modeOf, type Settings } from '../../settings/schema';
import { configInputParameters, configRuleName } from './parameters';

/** How often periodic rules run. */
export const PERIODIC_FREQUENCY = 'TwentyFour_Hours';

/**
 * Rules that read what AWS Config does not record, so no configuration item announces their
 * changes: they also run periodically, besides rules declared `periodic` or needing more data.
 */
export const ALSO_PERIODIC: Readonly<Record<string, string>> = {
  'rest-method-authorization': 'a method change takes effect at a deployment; methods are not recorded',
  'rest-method-request-validation': 'methods and request validators are not recorded',
  'rest-stage-client-certificate': 'the integrations a stage serves are not recorded',
  'rest-stage-waf-rules': "a web ACL's rules are not recorded with the stage",
  'v2-route-authorization': 'authorizers are not recorded with the route',
  'http-private-integration-tls': 'integrations are recorded apart from their API',
  'api-default-endpoint-disabled': 'custom domain mappings are not recorded with the API',
};

/** Config limits a rule's input parameters to 1,024 characters and its description to 256. */
const INPUT_PARAMETERS_LIMIT = 1024;
const DESCRIPTION_LIMIT = 256;

export interface ConfigRuleDefinition {
  readonly name: string;
  readonly ruleId: string;
  readonly description: string;
  /** Empty for rules of resources Config does not record (the account settings): periodic only. */
  readonly resourceTypes: readonly string[];
  readonly changeTriggered: boolean;
  readonly periodic: boolean;
  /** `ruleId` and the parameters the settings set, as Config carries them: strings. */
  readonly inputParameters: Readonly<Record<string, string>>;
}

export function configRuleDefinition(
  rule: AnyRule,
  settings: Settings = defaultSettings,
): ConfigRuleDefinition {
  const resourceTypes = resourceKinds[rule.resource as keyof typeof resourceKinds].configResourceTypes;
  const inputParameters = configInputParameters(rule, settings.rules[rule.id]?.parameters ?? {});
  if (JSON.stringify(inputParameters).length > INPUT_PARAMETERS_LIMIT) {
    throw new Error(
      `The parameters of ${rule.id} exceed AWS Config's ${INPUT_PARAMETERS_LIMIT}-character limit for a rule's input parameters.`,
    );
  }
  const description = `gatewatch: ${rule.title}. Runbook: runbooks/${rule.id}.md`;
  return {
    name: configRuleName(rule.id),
    ruleId: rule.id,
    description: description.length <= DESCRIPTION_LIMIT ? description : `${description.slice(0, 255)}…`,
    resourceTypes,
    changeTriggered: resourceTypes.length > 0,
    periodic: Boolean(rule.periodic || (rule.needs?.length ?? 0) > 0 || ALSO_PERIODIC[rule.id]),
    inputParameters,
  };
}

/** One definition per catalog rule the settings do not switch off. */
export function configRuleDefinitions(settings: Settings = defaultSettings): ConfigRuleDefinition[] {
  return catalog
    .filter((rule) => modeOf(settings, rule.id) !== 'off')
    .map((rule) => configRuleDefinition(rule, settings));
}
