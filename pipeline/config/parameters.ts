// Which gatewatch rule a Config rule is, and its parameters. AWS Config passes a rule's input
// parameters as strings (`{"ruleId":"rest-stage-throttling","maxRateLimit":"500"}`): they are
// turned back into the types the rule's parameter schema declares (arrays from comma-separated
// values), then validated by the rule itself. The CDK app writes them the same way.
import * as z from 'zod/mini';
import { ParameterError, parseParameters } from '../../rules/core/judge';
import type { AnyRule } from '../../rules/core/rule';
import { findRule } from '../../rules/index';

/** Every gatewatch Config rule is named `gatewatch-<rule id>`. */
export const CONFIG_RULE_PREFIX = 'gatewatch-';
export const configRuleName = (ruleId: string) => `${CONFIG_RULE_PREFIX}${ruleId}`;

/** The input parameter that names the rule; the Config rule's name is the fallback. */
export const RULE_ID_PARAMETER = 'ruleId';

/** A conformance pack appends `-conformance-pack-<random>` to the names of its rules. */
const NAME = /^gatewatch-(.+?)(?:-conformance-pack-[a-z0-9]+)?$/;

export type RuleResolution =
  | { readonly rule: AnyRule; readonly parameters: unknown; readonly problem?: undefined }
  /** `rule` is set when the rule is known but its parameters are not valid. */
  | { readonly rule?: AnyRule; readonly parameters?: undefined; readonly problem: string };

/**
 * The gatewatch rule a Config rule invocation is for, with its parameters parsed (defaults
 * filled in), or a problem a person can act on: an unknown rule, a parameter that is not valid.
 */
export function resolveRule(configRuleName: string, ruleParameters: string | undefined): RuleResolution {
  let raw: Record<string, unknown>;
  try {
    raw = parseRuleParameters(ruleParameters);
  } catch (error) {
    return { problem: (error as Error).message };
  }
  const { [RULE_ID_PARAMETER]: named, ...own } = raw;
  const ruleId = typeof named === 'string' && named !== '' ? named : NAME.exec(configRuleName)?.[1];
  if (!ruleId) {
    return {
      problem: `Config rule ${configRuleName} has no ${RULE_ID_PARAMETER} input parameter and its name is not ${CONFIG_RULE_PREFIX}<rule id>, so gatewatch cannot tell which rule it is.`,
    };
  }
  const rule = findRule(ruleId);
  if (!rule) {
    return { problem: `Config rule ${configRuleName} names rule ${ruleId}, which gatewatch does not have.` };
  }
  try {
    return { rule, parameters: parseParameters(rule, fromConfigStrings(rule, own)) };
  } catch (error) {
    if (!(error instanceof ParameterError)) throw error;
    return {
      rule,
      problem: `The input parameters of Config rule ${configRuleName} are invalid: ${error.message}.`,
    };
  }
}

function parseRuleParameters(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`The rule parameters are not JSON: ${text.slice(0, 80)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('The rule parameters are not a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

// ─── String values, both ways ───────────────────────────────────────────────────────────

interface PropertySchema {
  readonly type?: string;
  readonly items?: { readonly type?: string };
}

function propertiesOf(rule: AnyRule): Record<string, PropertySchema> {
  const json = z.toJSONSchema(rule.parameters, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, PropertySchema>;
  };
  return json.properties ?? {};
}

const isNumeric = (text: string) => /^-?\d+(\.\d+)?$/.test(text.trim());

/** One string value as the declared type; a value that does not convert is left for the rule to reject. */
function fromString(value: string, schema: PropertySchema | undefined): unknown {
  const text = value.trim();
  switch (schema?.type) {
    case 'array': {
      if (text.startsWith('[')) return parseJsonOr(text, value);
      const items = text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
      return schema.items?.type === 'number' || schema.items?.type === 'integer'
        ? items.map((item) => (isNumeric(item) ? Number(item) : item))
        : items;
    }
    case 'boolean':
      return /^(true|false)$/i.test(text) ? text.toLowerCase() === 'true' : value;
    case 'number':
    case 'integer':
      return isNumeric(text) ? Number(text) : value;
    case 'object':
      return parseJsonOr(text, value);
    default:
      return value;
  }
}

function parseJsonOr(text: string, fallback: unknown): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

/** Config's string values → the rule's parameter types. Values that are not strings are kept. */
export function fromConfigStrings(
  rule: AnyRule,
  raw: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const properties = propertiesOf(rule);
  return Object.fromEntries(
    Object.entries(raw).map(([name, value]) => [
      name,
      typeof value === 'string' ? fromString(value, properties[name]) : value,
    ]),
  );
}

/** One parameter value as Config carries it: arrays comma-separated (as JSON when an item holds a comma). */
function toConfigString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    return value.some((item) => typeof item !== 'string' || item.includes(','))
      ? JSON.stringify(value)
      : value.join(',');
  }
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** Config's input parameters for a rule: `ruleId` and the parameters the settings set, as strings. */
export function configInputParameters(
  rule: AnyRule,
  parameters: Readonly<Record<string, unknown>> = {},
): Record<string, string> {
  return {
    [RULE_ID_PARAMETER]: rule.id,
    ...Object.fromEntries(
      Object.entries(parameters)
        .filter(([, value]) => value !== undefined)
        .map(([name, value]) => [name, toConfigString(value)]),
    ),
  };
}
