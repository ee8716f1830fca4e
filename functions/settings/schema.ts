// The settings document: one validated JSON file (examples/settings/*.json, or gatewatch.config.json
// at deployment) that says, per rule, whether gatewatch stays silent, notifies or remediates,
// with what parameters, which resources are exempt, and where notifications go. The CDK app
// validates it at synth (bad settings fail synth naming the field) and bundles it into the
// functions; `gatewatch replay --settings FILE` reads the same file.
import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { parseParameters } from '../../rules/core/judge';
import { parseOrThrow, ValidationError } from '../../rules/core/validation';
import { catalog, findRule } from '../../rules/index';

export const modes = ['off', 'notify', 'remediate'] as const;
export type Mode = (typeof modes)[number];

const isoDate = z
  .string()
  .check(z.regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/, 'expected a date like 2027-01-31'));

const ruleSettingsSchema = z.strictObject({
  /** off: not judged; notify: judged and reported; remediate: judged, reported and repaired where safe. */
  mode: z.optional(z.enum(modes)),
  /** The rule's parameters; each rule validates its own. */
  parameters: z.optional(z.record(z.string(), z.unknown())),
});

export const exemptionSchema = z.strictObject({
  /** A rule id, or `*` for every rule. */
  rule: z.string(),
  /** A resource ARN; `*` matches any run of characters (`arn:aws:apigateway:*::/restapis/abc123/*`). */
  resource: z.string().check(z.minLength(1)),
  reason: z.string().check(z.minLength(3)),
  /** The last day the exemption holds (UTC); after it, the exemption is reported as expired. */
  expires: isoDate,
});

const awsRegion = z
  .string()
  .check(z.regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, 'expected an AWS region like eu-west-1'));

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
      trustedPrincipals: z._default(z.array(z.string()), []),
    }),
    { maxPerWindow: 3, windowMinutes: 60, trustedPrincipals: [] },
  ),
  notifications: z._default(
    z.strictObject({
      /** E-mail addresses subscribed to the topic. */
      emails: z._default(z.array(z.email()), []),
      /** Amazon Q Developer in chat applications (AWS Chatbot) Slack channel. */
      slack: z.optional(z.strictObject({ workspaceId: z.string(), channelId: z.string() })),
      /** A Secrets Manager secret holding a Slack incoming-webhook URL (the URL itself never appears in settings). */
      slackWebhookSecretArn: z.optional(
        z.string().check(z.regex(/^arn:aws[a-z-]*:secretsmanager:/, 'expected a Secrets Manager ARN')),
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
        z.array(
          z
            .string()
            .check(z.regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\//, 'expected an IAM role or user ARN')),
        ),
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
 * Validates settings: the document's shape, then every named rule and its parameters, so a
 * misspelt rule id or a bad parameter fails here, naming the field, not at 3 a.m.
 */
export function parseSettings(input: unknown, what = 'The settings document'): Settings {
  const settings = parseOrThrow(settingsSchema, input, what);
  const problems: string[] = [];
  for (const [id, rule] of Object.entries(settings.rules)) {
    const declared = findRule(id);
    if (!declared) {
      problems.push(`rules.${id}: no such rule (known: ${catalog.map((r) => r.id).join(', ')})`);
      continue;
    }
    try {
      parseParameters(declared, rule.parameters ?? {});
    } catch (error) {
      problems.push(
        `rules.${id}.parameters: ${(error as Error).message.replace(/^the parameters of \S+ are invalid: /, '')}`,
      );
    }
    if (rule.mode === 'remediate' && !declared.remediation) {
      problems.push(`rules.${id}.mode: ${id} has no remediation; use "notify" or "off"`);
    }
  }
  settings.exemptions.forEach((exemption, index) => {
    if (exemption.rule !== '*' && !findRule(exemption.rule)) {
      problems.push(`exemptions.${index}.rule: no such rule "${exemption.rule}"`);
    }
  });
  problems.push(...deploymentProblems(settings));
  if (problems.length > 0) throw new ValidationError(`${what} is invalid: ${problems.join('; ')}`);
  return settings;
}

/** What the deployment fields need together: an organization names itself, where to deploy and in which regions. */
function deploymentProblems(settings: Settings): string[] {
  const problems: string[] = [];
  const twice = (list: readonly string[]) => list.filter((item, index) => list.indexOf(item) !== index);
  for (const region of new Set(twice(settings.regions))) problems.push(`regions: ${region} is listed twice`);
  const organization = settings.organization;
  if (!organization?.enabled) return problems;
  if (!organization.organizationId) {
    problems.push('organization.organizationId: required when organization.enabled is true');
  }
  if (organization.organizationalUnitIds.length === 0) {
    problems.push(
      'organization.organizationalUnitIds: name at least one organizational unit (or the root) to deploy the member stacks to',
    );
  }
  if (organization.memberRegions.length === 0) {
    problems.push('organization.memberRegions: name at least one region of the member accounts');
  }
  for (const region of new Set(twice(organization.memberRegions))) {
    problems.push(`organization.memberRegions: ${region} is listed twice`);
  }
  return problems;
}

/** The home region the settings name, if any (else the region `cdk deploy` deploys to). */
export const homeRegionOf = (settings: Settings): string | undefined => settings.regions[0];

/** Whether the settings deploy gatewatch for an organization. */
export const organizationOf = (settings: Settings): OrganizationSettings | undefined =>
  settings.organization?.enabled ? settings.organization : undefined;

export function readSettings(path: string): Settings {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ValidationError(`Cannot read settings file ${path}: ${(error as Error).message}`);
  }
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
