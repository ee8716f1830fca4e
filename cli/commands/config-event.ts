// `gatewatch config-event`: the AWS Config evaluator, locally, on a recorded invocation — for
// debugging a rule without waiting for Config. Evaluations are sent with TestMode (Config
// checks them and stores nothing) unless --live sends them for real with the file's token;
// --offline judges the item in the file alone, with no AWS call (what it lacks is not evaluated).
import { readFileSync } from 'node:fs';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { regionAccessCache } from '../../aws/clients';
import { SdkConfigApi } from '../../aws/config/api';
import { isAwsRegion } from '../../aws/regions';
import { parseInvocation, parseInvokingEvent, type RuleInvocation } from '../../events/config-invocation';
import { arnIn } from '../../model/identity';
import { silentLogger } from '../../observe/log';
import { MemoryMetrics } from '../../observe/metrics';
import { ReadCache } from '../../pipeline/config/cache';
import type { ConfigEvaluation } from '../../pipeline/config/evaluations';
import { type EvaluatorDependencies, handleInvocation } from '../../pipeline/config/evaluator';
import { NotEvaluatedOffline, OfflineReads, offlineConfigApi } from '../../pipeline/config/offline';
import { configRuleName, RULE_ID_PARAMETER } from '../../pipeline/config/parameters';
import { ApiProtocols, CachedReads } from '../../pipeline/config/reads';
import { resourceKinds } from '../../rules/core/resources';
import { ValidationError } from '../../rules/core/validation';
import { catalog } from '../../rules/index';
import { common, UsageError } from '../args';
import { defineCommand, type FlagValues, flag } from '../flags';
import { type Output, paint, table } from '../output';
import { selectRules } from './scan';

const configEventFlags = {
  rules: common.rules('with a bare invoking event: the rules to run; repeat or separate with commas'),
  'endpoint-url': common.endpointUrl('send every AWS call to this AWS-compatible endpoint'),
  region: common.region("the region to read (default: the rule's ARN, the item's, AWS_REGION)"),
  live: flag.boolean("deliver the evaluations for real, with the file's result token"),
  offline: flag.boolean(
    'no AWS call at all: judge the configuration item in the file as Config\nrecorded it; what the rule needs beyond it is reported as not evaluated',
  ),
  format: common.format(
    ['table', 'json'],
    'table (default) or json: {"evaluations": [{configRuleName, ruleId,\nresourceType, resourceId, complianceType, annotation, orderingTimestamp}],\nand with --offline "notEvaluated": [{configRuleName, ruleId, resourceType,\nresourceId, reason}]}',
  ),
} as const;

export const configEventCommand = defineCommand({
  name: 'config-event',
  summary: 'run the AWS Config evaluator on a recorded Config rule invocation (TestMode)',
  operands: { synopsis: 'FILE', min: 1, max: 1 },
  description: `Runs gatewatch's AWS Config evaluator on a recorded Config rule invocation (the Lambda event,
with invokingEvent and ruleParameters as JSON strings) and prints the evaluations. They are
sent to Config with TestMode, so Config validates them and records nothing.

FILE may also be a bare invoking event (a configuration item notification): it is then run
for every gatewatch rule that judges the item's resource type, or for the rules --rules names.`,
  flags: configEventFlags,
  run: ({ flags, operands }, out) => configEvent(flags, operands[0] as string, out),
});

async function configEvent(
  flags: FlagValues<typeof configEventFlags>,
  path: string,
  out: Output,
): Promise<number> {
  const invocations = readInvocations(path, flags.rules, flags.region);
  if (flags.live && invocations.some((invocation) => invocation.synthesized)) {
    throw new UsageError(
      'gatewatch config-event: --live needs a recorded Lambda event with its result token, not a bare invoking event.',
    );
  }

  if (flags.offline && (flags.live || flags['endpoint-url'])) {
    throw new UsageError(
      'gatewatch config-event: --offline makes no AWS call; it cannot be combined with --live or --endpoint-url.',
    );
  }

  const endpoint = flags['endpoint-url'];
  const cache = new ReadCache(30_000);
  const protocols = new ApiProtocols();
  const access = regionAccessCache(endpoint ? { endpoint } : {});
  const evaluations: ConfigEvaluation[] = [];
  const notEvaluated: NotEvaluated[] = [];
  for (const { invocation } of invocations) {
    const region =
      flags.region ??
      invocation.region ??
      regionOfItem(invocation) ??
      process.env.AWS_REGION ??
      (flags.offline ? 'us-east-1' : undefined);
    if (!region)
      throw new UsageError('gatewatch config-event: the event names no region; give --region.', 'region');
    if (!isAwsRegion(region)) {
      throw new UsageError(
        `gatewatch config-event: the event's region ${JSON.stringify(region)} is not an AWS region; give --region.`,
        'region',
      );
    }
    const deps = (): Pick<EvaluatorDependencies, 'reads' | 'config'> => {
      if (flags.offline) return { reads: new OfflineReads(), config: offlineConfigApi };
      const config = new SdkConfigApi(
        access(region).pacer.attach(
          new ConfigServiceClient({ region, ...(endpoint ? { endpoint } : {}) }),
          'config',
        ),
      );
      return { reads: new CachedReads(access, invocation.event.accountId, config, cache, protocols), config };
    };
    try {
      const result = await handleInvocation(
        invocation,
        { ...deps(), log: silentLogger, metrics: new MemoryMetrics(), region },
        { testMode: !flags.live },
      );
      evaluations.push(...result.evaluations);
    } catch (error) {
      if (!(error instanceof NotEvaluatedOffline)) throw error;
      notEvaluated.push({ ...notEvaluatedResource(invocation), reason: error.message });
    }
  }

  if (flags.format === 'json') {
    out.write(
      `${JSON.stringify(flags.offline ? { evaluations, notEvaluated } : { evaluations }, null, 2)}\n`,
    );
  } else {
    out.write(evaluationTable(evaluations, notEvaluated, flags, out));
  }
  return 0;
}

interface NotEvaluated {
  readonly configRuleName: string;
  readonly ruleId: string | null;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly reason: string;
}

/** The rule and resource an invocation concerns, for a row that says it was not evaluated. */
function notEvaluatedResource({ event, invokingEvent }: RuleInvocation): Omit<NotEvaluated, 'reason'> {
  const item =
    invokingEvent.messageType === 'ConfigurationItemChangeNotification'
      ? invokingEvent.configurationItem
      : invokingEvent.messageType === 'OversizedConfigurationItemChangeNotification'
        ? invokingEvent.configurationItemSummary
        : undefined;
  const ruleId = (() => {
    try {
      return (JSON.parse(event.ruleParameters || '{}') as Record<string, unknown>)[RULE_ID_PARAMETER];
    } catch {
      return undefined;
    }
  })();
  return {
    configRuleName: event.configRuleName,
    ruleId: typeof ruleId === 'string' ? ruleId : null,
    resourceType: item?.resourceType ?? 'AWS::::Account',
    resourceId: item?.resourceId ?? event.accountId,
  };
}

interface LoadedInvocation {
  readonly invocation: RuleInvocation;
  /** Made here from a bare invoking event: it has no real result token. */
  readonly synthesized: boolean;
}

function readInvocations(
  path: string,
  rules: readonly string[],
  region: string | undefined,
): LoadedInvocation[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new UsageError(`gatewatch config-event: ${path} is not JSON (${error.message}).`, 'input');
    }
    throw error;
  }
  try {
    if (typeof json === 'object' && json !== null && 'invokingEvent' in json) {
      return [{ invocation: parseInvocation(json, path), synthesized: false }];
    }
    return fromInvokingEvent(json, path, rules, region);
  } catch (error) {
    if (error instanceof ValidationError)
      throw new UsageError(`gatewatch config-event: ${error.message}`, 'input');
    throw error;
  }
}

/** One invocation per rule, as Config would make them, for a bare invoking event. */
function fromInvokingEvent(
  json: unknown,
  path: string,
  rules: readonly string[],
  region: string | undefined,
): LoadedInvocation[] {
  const invokingEvent = parseInvokingEvent(json, path);
  const item =
    invokingEvent.messageType === 'ConfigurationItemChangeNotification'
      ? invokingEvent.configurationItem
      : invokingEvent.messageType === 'OversizedConfigurationItemChangeNotification'
        ? invokingEvent.configurationItemSummary
        : undefined;
  const chosen =
    rules.length > 0
      ? selectRules(rules)
      : catalog.filter((rule) =>
          (
            resourceKinds[rule.resource as keyof typeof resourceKinds]
              .configResourceTypes as readonly string[]
          ).includes(item?.resourceType ?? ''),
        );
  if (chosen.length === 0) {
    throw new UsageError(
      `gatewatch config-event: no gatewatch rule judges ${item?.resourceType ?? 'this event'}; name rules with --rules.`,
    );
  }
  const accountId =
    item?.awsAccountId ??
    ('awsAccountId' in invokingEvent ? invokingEvent.awsAccountId : undefined) ??
    '000000000000';
  const where = region ?? item?.awsRegion ?? process.env.AWS_REGION ?? 'us-east-1';
  return chosen.map((rule) => ({
    synthesized: true,
    invocation: parseInvocation(
      {
        invokingEvent: JSON.stringify(json),
        ruleParameters: JSON.stringify({ [RULE_ID_PARAMETER]: rule.id }),
        resultToken: 'gatewatch-config-event',
        eventLeftScope: false,
        configRuleName: configRuleName(rule.id),
        configRuleArn: arnIn('config', where, String(accountId), 'config-rule/config-rule-local'),
        accountId,
      },
      path,
    ),
  }));
}

function regionOfItem({ invokingEvent }: RuleInvocation): string | undefined {
  if (invokingEvent.messageType === 'ConfigurationItemChangeNotification') {
    return invokingEvent.configurationItem.awsRegion;
  }
  if (invokingEvent.messageType === 'OversizedConfigurationItemChangeNotification') {
    return invokingEvent.configurationItemSummary.awsRegion;
  }
  return undefined;
}

const complianceColour = { COMPLIANT: 'green', NON_COMPLIANT: 'red', NOT_APPLICABLE: 'grey' } as const;

function evaluationTable(
  evaluations: readonly ConfigEvaluation[],
  notEvaluated: readonly NotEvaluated[],
  flags: { readonly live: boolean; readonly offline: boolean },
  out: Output,
): string {
  const rows = [
    ...evaluations.map((evaluation) => [
      evaluation.configRuleName,
      evaluation.complianceType,
      `${evaluation.resourceType} ${evaluation.resourceId}`,
      evaluation.annotation,
    ]),
    ...notEvaluated.map((row) => [
      row.configRuleName,
      'NOT EVALUATED',
      `${row.resourceType} ${row.resourceId}`,
      `Offline: ${row.reason}`,
    ]),
  ];
  const body = table(out, ['CONFIG RULE', 'COMPLIANCE', 'RESOURCE', 'ANNOTATION'], rows, (row, column) => {
    if (column !== 1) return undefined;
    const evaluation = evaluations[row];
    return evaluation ? complianceColour[evaluation.complianceType] : 'yellow';
  });
  const mode = flags.offline
    ? 'judged offline from the file alone: nothing was read from AWS or sent to AWS Config'
    : flags.live
      ? 'delivered to AWS Config'
      : 'sent with TestMode: AWS Config recorded nothing';
  const tail = notEvaluated.length > 0 ? `, ${notEvaluated.length} not evaluated` : '';
  return `${body}\n\n${paint(out, 'grey', `${evaluations.length} evaluations${tail}, ${mode}.`)}\n`;
}
