// What AWS Config hands a custom rule's Lambda function: the event, with the invoking event
// and the rule parameters as JSON strings inside it. Only the fields gatewatch reads are
// checked; AWS adds fields over time and the rest is kept as it came.
import * as z from 'zod/mini';
import { parseOrThrow, ValidationError } from '../rules/core/validation';

const str = z.optional(z.string());
const maybe = <T extends z.ZodMiniType>(schema: T) => z.optional(z.nullable(schema));

export const relationshipSchema = z.looseObject({
  resourceType: maybe(z.string()),
  resourceId: maybe(z.string()),
  resourceName: maybe(z.string()),
  /** "Is contained in " (with Config's trailing space); GetResourceConfigHistory calls it relationshipName. */
  name: maybe(z.string()),
});

/** A configuration item as the invoking event carries it (GetResourceConfigHistory's are converted to this). */
export const configurationItemSchema = z.looseObject({
  configurationItemCaptureTime: z.string(),
  /** OK, ResourceDiscovered, ResourceNotRecorded, ResourceDeleted, ResourceDeletedNotRecorded. */
  configurationItemStatus: z.string(),
  resourceType: z.string(),
  resourceId: z.string(),
  resourceName: maybe(z.string()),
  ARN: maybe(z.string()),
  awsRegion: z.string(),
  awsAccountId: z.string(),
  /** The resource's description, as its service's describe call returns it; null for a deleted resource. */
  configuration: maybe(z.record(z.string(), z.unknown())),
  tags: maybe(z.record(z.string(), z.string())),
  relationships: maybe(z.array(relationshipSchema)),
});

export type ConfigurationItem = z.output<typeof configurationItemSchema>;

const itemChangeSchema = z.looseObject({
  messageType: z.literal('ConfigurationItemChangeNotification'),
  configurationItem: configurationItemSchema,
  notificationCreationTime: str,
});

const oversizedSchema = z.looseObject({
  messageType: z.literal('OversizedConfigurationItemChangeNotification'),
  configurationItemSummary: z.looseObject({
    configurationItemCaptureTime: z.string(),
    configurationItemStatus: z.string(),
    resourceType: z.string(),
    resourceId: z.string(),
    awsRegion: z.string(),
    awsAccountId: z.string(),
  }),
  notificationCreationTime: str,
});

const scheduledSchema = z.looseObject({
  messageType: z.literal('ScheduledNotification'),
  notificationCreationTime: z.string(),
  awsAccountId: str,
});

export type InvokingEvent =
  | z.output<typeof itemChangeSchema>
  | z.output<typeof oversizedSchema>
  | z.output<typeof scheduledSchema>
  /** ConfigurationSnapshotDeliveryCompleted and whatever Config adds: nothing to evaluate. */
  | { readonly messageType: 'other'; readonly received: string };

export const ruleEventSchema = z.looseObject({
  /** A JSON string. */
  invokingEvent: z.string(),
  /** A JSON string of the rule's input parameters, values as strings. */
  ruleParameters: str,
  resultToken: z.string(),
  /** The resource left the rule's scope: its evaluation must become NOT_APPLICABLE. */
  eventLeftScope: z._default(z.boolean(), false),
  executionRoleArn: str,
  configRuleArn: str,
  configRuleName: z.string(),
  configRuleId: str,
  accountId: z.string(),
  version: str,
});

export interface RuleInvocation {
  readonly event: z.output<typeof ruleEventSchema>;
  readonly invokingEvent: InvokingEvent;
  /** The region the rule runs in (from its ARN), where its periodic runs evaluate. */
  readonly region: string | undefined;
}

/** Parses a Config rule invocation, or throws a ValidationError naming what is wrong with it. */
export function parseInvocation(input: unknown, what = 'The Config rule event'): RuleInvocation {
  const event = parseOrThrow(ruleEventSchema, input, what);
  let json: unknown;
  try {
    json = JSON.parse(event.invokingEvent);
  } catch (error) {
    throw new ValidationError(`${what} is invalid: invokingEvent is not JSON (${(error as Error).message}).`);
  }
  return {
    event,
    invokingEvent: parseInvokingEvent(json, `${what}'s invokingEvent`),
    region: /^arn:[^:]+:config:([^:]+):/.exec(event.configRuleArn ?? '')?.[1],
  };
}

export function parseInvokingEvent(json: unknown, what: string): InvokingEvent {
  const { messageType } = parseOrThrow(z.looseObject({ messageType: z.string() }), json, what);
  switch (messageType) {
    case 'ConfigurationItemChangeNotification':
      return parseOrThrow(itemChangeSchema, json, what);
    case 'OversizedConfigurationItemChangeNotification':
      return parseOrThrow(oversizedSchema, json, what);
    case 'ScheduledNotification':
      return parseOrThrow(scheduledSchema, json, what);
    default:
      return { messageType: 'other', received: messageType };
  }
}
