// Fuzzing what AWS Config hands the evaluator (parseInvocation): the event, its invoking event
// and its rule parameters (both JSON strings inside it). An invocation is parsed or rejected
// with a ValidationError naming the event and the field; the rule it names resolves to a rule
// or to a problem a person can act on (resolveRule never throws); a configuration item that
// parses becomes a snapshot or a deliberate error, never a TypeError.
import * as fc from 'fast-check';
import { snapshotFromItem } from '../../aws/config/items';
import { parseInvocation, type RuleInvocation } from '../../events/config-invocation';
import { configInputParameters, configRuleName, resolveRule } from '../../pipeline/config/parameters';
import { parseParameters } from '../../rules/core/judge';
import { ValidationError } from '../../rules/core/validation';
import { catalog } from '../../rules/index';
import { fixtures, itIfPresent, recordings } from '../support/event-sets';
import {
  anyValue,
  configEvents,
  configureFuzzing,
  expectClearRejection,
  expectNoPollution,
  mutated,
  nastyString,
  runs,
  Tally,
} from '../support/fuzz';

configureFuzzing();
const tally = new Tally();
afterAll(() => console.log(tally.summary()));

const WHAT = 'Fuzzed Config rule event';

const recorded = configEvents();
const lambdaEvents = recorded
  .filter(({ name }) => name.includes('/config-lambda-event-'))
  .map(({ json }) => json);
const invokingEvents = recorded
  .filter(({ name }) => name.includes('/config-invokingEvent-'))
  .map(({ json }) => json);
const [template] = lambdaEvents as Record<string, unknown>[];

/** Each rule's Config input parameters, as the CDK app writes them (defaults as strings). */
const ruleParameters = catalog.map((rule) => ({
  rule,
  parameters: configInputParameters(rule, parseParameters(rule, {}) as Record<string, unknown>),
}));

/** A gatewatch Config rule's invocation carrying `invokingEvent` and `parameters`, as JSON strings. */
const invocationOf = (invokingEvent: string, ruleId: string, parameters: string) => ({
  ...template,
  invokingEvent,
  ruleParameters: parameters,
  configRuleArn: 'arn:aws:config:eu-west-1:111122223333:config-rule/config-rule-abc123',
  configRuleName: configRuleName(ruleId),
});

/** JSON text of any value, or a placeholder when it has none (undefined, BigInt…). */
const asText = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    return 'not serialisable';
  }
};

const INVOCATION_KEYS = [
  'invokingEvent',
  'ruleParameters',
  'resultToken',
  'eventLeftScope',
  'configRuleArn',
  'configRuleName',
  'accountId',
];
const ITEM_KEYS = [
  'messageType',
  'configurationItem',
  'configurationItemSummary',
  'configuration',
  'resourceType',
  'resourceId',
  'ARN',
  'relationships',
  'tags',
  'methodSettings',
  'stageName',
  'notificationCreationTime',
];

/** What a parsed invocation is used for: naming its rule, and turning its item into a snapshot. */
function use(invocation: RuleInvocation): string {
  const resolved = resolveRule(invocation.event.configRuleName, invocation.event.ruleParameters);
  if ('problem' in resolved) expect(resolved.problem).not.toBe('');
  const rule = 'rule' in resolved ? 'rule found' : 'rule problem';
  const { invokingEvent } = invocation;
  if (invokingEvent.messageType !== 'ConfigurationItemChangeNotification') {
    return `${rule}, ${invokingEvent.messageType}`;
  }
  try {
    snapshotFromItem(invokingEvent.configurationItem);
  } catch (error) {
    // The evaluator reports these as an evaluation naming the item; a TypeError would be a bug.
    if (!(error instanceof ValidationError || (error as Error).constructor === Error)) throw error;
    expect((error as Error).message).not.toBe('');
    return `${rule}, item rejected`;
  }
  return `${rule}, item read`;
}

const checkInvocation = (input: unknown): string => {
  let invocation: RuleInvocation;
  try {
    invocation = parseInvocation(input, WHAT);
  } catch (error) {
    expectClearRejection(error, WHAT);
    expectNoPollution();
    return 'rejected';
  }
  expectNoPollution();
  return use(invocation);
};

describe('parseInvocation', () => {
  it('starts from every Config fixture', () => {
    expect(recorded.map(({ name }) => name)).toEqual(
      expect.arrayContaining(fixtures.configFiles.map((name) => `fixtures/${name}`)),
    );
  });

  itIfPresent(recordings)('starts from every public Config recording too', () => {
    expect(recorded.map(({ name }) => name)).toEqual(
      expect.arrayContaining(recordings.configFiles.map((name) => `recordings/${name}`)),
    );
  });

  it('parses or clearly rejects every mutation of the recorded invocations', () => {
    fc.assert(
      fc.property(
        fc.oneof(...lambdaEvents.map((base) => mutated(base, { keys: INVOCATION_KEYS }))),
        (input) => tally.track('parseInvocation (mutated invocations)', checkInvocation)(input),
      ),
      { numRuns: runs(500) },
    );
  });

  it('parses or clearly rejects every mutation of the recorded invoking events, for every rule', () => {
    const invocation = fc
      .tuple(
        fc.oneof(...invokingEvents.map((base) => mutated(base, { keys: ITEM_KEYS }))),
        fc.constantFrom(...ruleParameters),
      )
      .map(([invokingEvent, { rule, parameters }]) =>
        invocationOf(asText(invokingEvent), rule.id, JSON.stringify(parameters)),
      );
    fc.assert(
      fc.property(invocation, (input) =>
        tally.track('parseInvocation (mutated invoking events)', checkInvocation)(input),
      ),
      { numRuns: runs(500) },
    );
  });

  it("resolves or names the problem with every rule's mutated input parameters", () => {
    const invocation = fc
      .tuple(
        fc.constantFrom(...invokingEvents),
        fc
          .constantFrom(...ruleParameters)
          .chain(({ rule, parameters }) =>
            fc
              .oneof(
                mutated(parameters, { keys: Object.keys(parameters) }).map(asText),
                nastyString,
                fc.constant(undefined),
              )
              .map((text) => ({ rule, text })),
          ),
        fc.boolean(),
      )
      .map(([invokingEvent, { rule, text }, byName]) => ({
        ...invocationOf(JSON.stringify(invokingEvent), byName ? rule.id : 'renamed', text ?? ''),
        ...(text === undefined ? { ruleParameters: undefined } : {}),
      }));
    fc.assert(
      fc.property(invocation, (input) =>
        tally.track('parseInvocation + resolveRule (mutated rule parameters)', checkInvocation)(input),
      ),
      { numRuns: runs(500) },
    );
  });

  it('parses or clearly rejects any value at all, and any invoking event', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyValue,
          anyValue.map((value) => invocationOf(asText(value), 'rest-stage-throttling', '{}')),
        ),
        (input) => tally.track('parseInvocation (random values)', checkInvocation)(input),
      ),
      { numRuns: runs(500) },
    );
  });
});
