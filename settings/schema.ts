// The settings document: one validated JSON file (examples/settings/*.json, or gatewatch.config.json
// at deployment) that says, per rule, whether gatewatch stays silent, notifies or remediates,
// with what parameters, which resources are exempt, and where notifications go. The CDK app
// validates it at synth (bad settings fail synth naming the field) and bundles it into the
// functions; `gatewatch replay --settings FILE` reads the same file.
import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { parseParameters } from '../rules/core/judge';
import '../rules/core/validation';
import { catalog, findRule } from '../rules/index';
import { type ArnExpectation, arnPatternProblem, arnProblem } from './arn';
import { dateProblem } from './dates';
import { SettingsError, type SettingsProblem } from './error';
import { refusePlaceholders } from './placeholders';
import { partitionOfRegion, regionProblem } from './regions';

export { SettingsError, type SettingsProblem } from './error';

export const modes = ['off', 'notify', 'remediate'] as const;
export type Mode = (typeof modes)[number];

/** A string `problem` finds nothing wrong with; its message names what is wrong. */
const checkedString = (problem: (value: string) => string | undefined) =>
  z.string().check(
    z.check((context) => {
      const message = problem(context.value);
      if (message) context.issues.push({ code: 'custom', message, input: context.value });
    }),
  );

/** A calendar date or an RFC 3339 date-time (settings/dates.ts). */
const isoDate = checkedString(dateProblem);
const arn = (expected: ArnExpectation) => checkedString((value) => arnProblem(value, expected));
const arnPattern = (expected: ArnExpectation) => checkedString((value) => arnPatternProblem(value, expected));
/** A region AWS has (settings/regions.ts). */
const awsRegion = checkedString(regionProblem);

const ruleSettingsSchema = z.strictObject({
  /** off: not judged; notify: judged and reported; remediate: judged, reported and repaired where safe. */
  mode: z.optional(z.enum(modes)),
  /** The rule's parameters; each rule validates its own. */
  parameters: z.optional(z.record(z.string(), z.unknown())),
});

export const exemptionSchema = z.strictObject({
  /** A rule id, or `*` for every rule. */
  rule: z.string(),
  /** An API Gateway resource ARN; `*` matches any run of characters (`arn:aws:apigateway:*::/restapis/abc123/*`). */
  resource: arnPattern({ services: ['apigateway'], what: 'an API Gateway resource ARN' }),
  reason: z.string().check(z.minLength(3)),
  /** The last day the exemption holds (UTC); after it, the exemption is reported as expired. */
  expires: isoDate,
});

/**
 * gatewatch for an organization (README "Deploying to an organization"): a central stack in the
 * account that deploys it, and a service-managed StackSet that gives every account of the named
 * organizational units, in `memberRegions`, what the central account needs there.
 */
export const organizationSchema = z.strictObject({
  /** Off unless switched on: the same document then deploys `GatewatchOrganization` instead of `Gatewatch`. */
  enabled: z._default(z.boolean(), false),
  /** The organization's id: every cross-account trust and policy is scoped to it (aws:PrincipalOrgID). */
  organizationId: z.optional(
    z.string().check(z.regex(/^o-[a-z0-9]{10,32}$/, 'expected an id like o-a1b2c3d4e5')),
  ),
  /** Where the member stacks go: organizational unit ids, or the root id for every account. */
  organizationalUnitIds: z._default(
    z.array(
      z
        .string()
        .check(
          z.regex(
            /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/,
            'expected an organizational unit id (ou-…) or the root id (r-…)',
          ),
        ),
    ),
    [],
  ),
  /** The regions of the member accounts gatewatch watches. */
  memberRegions: z._default(z.array(awsRegion), []),
  /** Who creates the StackSet: a delegated administrator for CloudFormation StackSets (the usual), or the management account. */
  callAs: z._default(z.enum(['DELEGATED_ADMIN', 'SELF']), 'DELEGATED_ADMIN'),
  /**
   * Member accounts that also get the gatewatch AWS Config rules, evaluated by the central function.
   * Lambda lets AWS Config call a function from another account only account by account (its
   * permissions take no organization condition for a service), hence a list.
   */
  configRuleAccounts: z._default(
    z.array(z.string().check(z.regex(/^\d{12}$/, 'expected a 12-digit account id'))),
    [],
  ),
});

export type OrganizationSettings = z.output<typeof organizationSchema>;

/** Where runbook links point unless `notifications.runbookBaseUrl` says otherwise. */
export const DEFAULT_RUNBOOK_BASE_URL = 'https://github.com/gatewatch/gatewatch/blob/main/';

export const settingsSchema = z.strictObject({
  version: z._default(z.literal(1), 1),
  /** While true, remediation is planned and reported, never applied. New deployments start here. */
  dryRun: z._default(z.boolean(), true),
  /**
   * The mode of rules not named in `rules`. `remediate` here covers only fixes that cannot break
   * clients; a fix that can (a restored authorizer, a TLS policy) needs its rule's own `mode`.
   */
  defaultMode: z._default(z.enum(modes), 'remediate'),
  rules: z._default(z.record(z.string(), ruleSettingsSchema), {}),
  exemptions: z._default(z.array(exemptionSchema), []),
  /** A resource tagged with this key is skipped: value `all`, or rule ids separated by spaces. */
  optOutTagKey: z._default(z.string().check(z.minLength(1)), 'gatewatch:opt-out'),
  /**
   * The home region first (where the stack runs), then the regions whose events are forwarded to
   * it; empty: the region `cdk deploy` deploys to, alone.
   */
  regions: z._default(z.array(awsRegion), []),
  /** The scheduled sweep that catches what EventBridge did not deliver; `everyHours: 0` switches it off. */
  sweep: z._default(
    z.strictObject({ everyHours: z._default(z.number().check(z.int(), z.gte(0), z.lte(24)), 6) }),
    { everyHours: 6 },
  ),
  organization: z.optional(organizationSchema),
  remediation: z._default(
    z.strictObject({
      /** At most this many remediations per resource and rule within `windowMinutes`; past it, escalate. */
      maxPerWindow: z._default(z.number().check(z.int(), z.gte(1)), 3),
      windowMinutes: z._default(z.number().check(z.int(), z.gte(1)), 60),
      /** Principals whose changes are never remediated (ARN patterns with `*`), besides gatewatch's own role. */
      trustedPrincipals: z._default(
        z.array(arnPattern({ services: ['iam', 'sts'], what: 'an IAM or STS principal ARN' })),
        [],
      ),
    }),
    { maxPerWindow: 3, windowMinutes: 60, trustedPrincipals: [] },
  ),
  notifications: z._default(
    z.strictObject({
      /** E-mail addresses subscribed to the topic. */
      emails: z._default(z.array(z.email()), []),
      /** Amazon Q Developer in chat applications (AWS Chatbot) Slack channel. */
      slack: z.optional(
        z.strictObject({
          workspaceId: z
            .string()
            .check(z.regex(/^[0-9A-Z]{1,255}$/, 'expected a Slack workspace id like T0123ABCDEF')),
          channelId: z
            .string()
            .check(z.regex(/^[A-Za-z0-9]{1,255}$/, 'expected a Slack channel id like C0123ABCDEF')),
        }),
      ),
      /** A Secrets Manager secret holding a Slack incoming-webhook URL (the URL itself never appears in settings). */
      slackWebhookSecretArn: z.optional(
        arn({
          services: ['secretsmanager'],
          resource: /^secret:[\w/+=.@-]+$/,
          what: 'a Secrets Manager secret ARN',
        }),
      ),
      /** The same rule, resource and state within this window produce one message. */
      dedupWindowMinutes: z._default(z.number().check(z.int(), z.gte(0)), 60),
      /** Runbook links in messages: this URL followed by the rule's runbook path (`runbooks/<id>.md`). */
      runbookBaseUrl: z._default(
        z.string().check(z.regex(/^https:\/\/\S+\/$/, 'expected an https URL ending in /')),
        DEFAULT_RUNBOOK_BASE_URL,
      ),
      /** IAM principals (role or user ARNs) that may publish to the topic besides gatewatch (`gatewatch replay --notify`). */
      publishers: z._default(
        z.array(arn({ services: ['iam'], resource: /^(role|user)\/.+/, what: 'an IAM role or user ARN' })),
        [],
      ),
      /** E-mail addresses subscribed to the operations topic (gatewatch's own alarms). */
      operationsEmails: z._default(z.array(z.email()), []),
      /** The p99 detection latency (CloudTrail event time to verdict) above which the operations alarm fires. */
      detectionLatencyAlarmMinutes: z._default(z.number().check(z.int(), z.gte(1)), 15),
    }),
    {
      emails: [],
      dedupWindowMinutes: 60,
      runbookBaseUrl: DEFAULT_RUNBOOK_BASE_URL,
      publishers: [],
      operationsEmails: [],
      detectionLatencyAlarmMinutes: 15,
    },
  ),
});

export type Settings = z.output<typeof settingsSchema>;
export type Exemption = z.output<typeof exemptionSchema>;

/**
 * Validates settings — the one validation `cdk synth`, every CLI `--settings` and the functions
 * use: the document's shape, then every named rule and its parameters, the exemptions, and the
 * deployment fields together, so a misspelt rule id, an impossible date or a region the
 * organization does not cover fails here, naming the field, not at 3 a.m. Throws a SettingsError.
 */
export function parseSettings(input: unknown, what = 'The settings document'): Settings {
  const result = settingsSchema.safeParse(input);
  if (!result.success) {
    throw SettingsError.invalid(
      what,
      result.error.issues.map((issue) => ({
        field: issue.path.length > 0 ? issue.path.join('.') : '(top level)',
        message: issue.message,
      })),
    );
  }
  const settings = result.data;
  const problems = [
    ...ruleProblems(settings),
    ...exemptionProblems(settings),
    ...deploymentProblems(settings),
  ];
  if (problems.length > 0) throw SettingsError.invalid(what, problems);
  return settings;
}

/** Every named rule exists, its parameters parse, its mode is one it has; an `…Arn` parameter holds an ARN. */
function ruleProblems(settings: Settings): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  for (const [id, rule] of Object.entries(settings.rules)) {
    const declared = findRule(id);
    if (!declared) {
      problems.push({
        field: `rules.${id}`,
        message: `no such rule (known: ${catalog.map((r) => r.id).join(', ')})`,
      });
      continue;
    }
    try {
      parseParameters(declared, rule.parameters ?? {});
    } catch (error) {
      problems.push({
        field: `rules.${id}.parameters`,
        message: (error as Error).message.replace(/^the parameters of \S+ are invalid: /, ''),
      });
      continue;
    }
    for (const [name, value] of Object.entries(rule.parameters ?? {})) {
      const values =
        name.endsWith('Arns') && Array.isArray(value) ? value : name.endsWith('Arn') ? [value] : [];
      values.forEach((one, index) => {
        const problem = typeof one === 'string' ? arnProblem(one) : undefined;
        const field = `rules.${id}.parameters.${name}${name.endsWith('Arns') ? `.${index}` : ''}`;
        if (problem) problems.push({ field, message: problem });
      });
    }
    if (rule.mode === 'remediate' && !declared.remediation) {
      problems.push({
        field: `rules.${id}.mode`,
        message: `${id} has no remediation; use "notify" or "off"`,
      });
    }
  }
  return problems;
}

function exemptionProblems(settings: Settings): SettingsProblem[] {
  return settings.exemptions.flatMap((exemption, index) =>
    exemption.rule !== '*' && !findRule(exemption.rule)
      ? [{ field: `exemptions.${index}.rule`, message: `no such rule "${exemption.rule}"` }]
      : [],
  );
}

/**
 * What the deployment fields need together: regions listed once and in one partition (events
 * do not cross partitions); an organization names itself, where to deploy, and regions the
 * central account covers — the central region (`regions[0]`) among `memberRegions`, every member
 * region among `regions`.
 */
function deploymentProblems(settings: Settings): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  const twice = (field: string, list: readonly string[]) => {
    for (const item of new Set(list.filter((one, index) => list.indexOf(one) !== index)))
      problems.push({ field, message: `${item} is listed twice` });
  };
  twice('regions', settings.regions);
  const home = settings.regions[0];
  const homePartition = home === undefined ? undefined : partitionOfRegion(home);
  settings.regions.forEach((region, index) => {
    const partition = partitionOfRegion(region);
    if (homePartition && partition && partition !== homePartition) {
      problems.push({
        field: `regions.${index}`,
        message: `${region} is in partition ${partition}, the home region ${home} in ${homePartition}: events cannot be forwarded across partitions`,
      });
    }
  });
  const organization = settings.organization;
  if (!organization?.enabled) return problems;
  if (!organization.organizationId) {
    problems.push({
      field: 'organization.organizationId',
      message: 'required when organization.enabled is true',
    });
  }
  if (organization.organizationalUnitIds.length === 0) {
    problems.push({
      field: 'organization.organizationalUnitIds',
      message: 'name at least one organizational unit (or the root) to deploy the member stacks to',
    });
  }
  twice('organization.organizationalUnitIds', organization.organizationalUnitIds);
  if (organization.memberRegions.length === 0) {
    problems.push({
      field: 'organization.memberRegions',
      message: 'name at least one region of the member accounts',
    });
  }
  twice('organization.memberRegions', organization.memberRegions);
  twice('organization.configRuleAccounts', organization.configRuleAccounts);
  if (home === undefined) {
    problems.push({
      field: 'regions',
      message:
        'name the central region first when organization.enabled is true (the member Config rules and the aggregator live there)',
    });
  } else if (organization.memberRegions.length > 0 && !organization.memberRegions.includes(home)) {
    problems.push({
      field: 'organization.memberRegions',
      message: `the central region ${home} (regions.0) must be one of the member regions`,
    });
  }
  organization.memberRegions.forEach((region, index) => {
    if (home !== undefined && !settings.regions.includes(region)) {
      problems.push({
        field: `organization.memberRegions.${index}`,
        message: `${region} is not in regions: the central functions read and repair only the regions listed there`,
      });
    }
  });
  return problems;
}

/** The home region the settings name, if any (else the region `cdk deploy` deploys to). */
export const homeRegionOf = (settings: Settings): string | undefined => settings.regions[0];

/** Whether the settings deploy gatewatch for an organization. */
export const organizationOf = (settings: Settings): OrganizationSettings | undefined =>
  settings.organization?.enabled ? settings.organization : undefined;

/**
 * The environment variable that names the settings file when none is given (`--settings`,
 * `cdk deploy -c settings=…`): it comes before gatewatch.config.json, for CI jobs and for the test
 * suite, which must not depend on a settings file someone keeps in their clone.
 */
export const SETTINGS_FILE_VARIABLE = 'GATEWATCH_SETTINGS_FILE';

export const settingsFileFromEnvironment = (): string | undefined => {
  const value = process.env[SETTINGS_FILE_VARIABLE]?.trim();
  return value ? value : undefined;
};

export function readSettings(path: string): Settings {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw SettingsError.unreadable(`Cannot read settings file ${path}: ${(error as Error).message}`);
  }
  refusePlaceholders(json, path);
  return parseSettings(json, `Settings file ${path}`);
}

/**
 * The settings a new deployment uses (examples/settings/default.json): dry-run, so remediation
 * is planned and reported and nothing is changed until `dryRun` is switched off.
 */
export const defaultSettings: Settings = parseSettings({});

export const modeOf = (settings: Settings, ruleId: string): Mode =>
  settings.rules[ruleId]?.mode ?? settings.defaultMode;

/** Rule parameters by rule id, as the pipelines take them. */
export const parametersOf = (settings: Settings): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(settings.rules).flatMap(([id, rule]) => (rule.parameters ? [[id, rule.parameters]] : [])),
  );

/** The rules a deployment judges: every catalog rule not switched off. */
export const activeRules = (settings: Settings) =>
  catalog.filter((rule) => modeOf(settings, rule.id) !== 'off');
