// The notification document's shape: what every channel renders, and the JSON that travels in
// the SNS message for programs (schema `gatewatch.notification`, version 1). A field is added,
// never renamed or removed, without a new version; consumers ignore fields they do not know.
// The types are the schemas' own, so what is built (document.ts) and what is read back (the Slack
// webhook function) cannot drift apart.
import * as z from 'zod/mini';
import { severities } from '../../rules/core/rule';
import { parseOrThrow } from '../../rules/core/validation';
import { eventTypes } from './event-type';

export const NOTIFICATION_SCHEMA = 'gatewatch.notification';
export const NOTIFICATION_VERSION = 1;

const scopeKinds = ['stage', 'api', 'resource', 'event'] as const;
export const protocols = ['REST', 'HTTP', 'WebSocket'] as const;
export type Protocol = (typeof protocols)[number];

/** The API a finding is about, as the console names it. */
export const apiRefSchema = z.looseObject({
  id: z.string(),
  /** The API's name, or its id when the verdict does not name it. */
  name: z.string(),
  /** null when an HTTP/WebSocket API's verdict does not say which of the two it is. */
  protocol: z.nullable(z.enum(protocols)),
});
export type ApiRef = z.output<typeof apiRefSchema>;

/** What the notifier knows of the drift a resolution resolves. */
export const resolvesSchema = z.looseObject({
  eventId: z.string(),
  eventTime: z.string(),
  notifiedAt: z.string(),
});
export type Resolves = z.output<typeof resolvesSchema>;

const apiSchema = z.nullable(apiRefSchema);

export const findingSchema = z.looseObject({
  ruleId: z.string(),
  title: z.string(),
  severity: z.enum(severities),
  status: z.string(),
  eventType: z.enum(eventTypes),
  /** `new`, `resolved` (or `unchanged` when only the remediation is news). */
  change: z.string(),
  /** About the API's working copy, served at its next deployment. */
  pending: z.boolean(),
  /** One full sentence: the resource, what is wrong (or right again) and what is expected. */
  reason: z.string(),
  resource: z.looseObject({ arn: z.string(), type: z.string(), name: z.string() }),
  api: apiSchema,
  stage: z.nullable(z.string()),
  accountId: z.string(),
  region: z.string(),
  /** What changed: the rule's observed value before the event and after it, and what the rule expects. */
  values: z.looseObject({
    before: z.unknown(),
    after: z.unknown(),
    expected: z.unknown(),
    /** `stageLevel: INFO → OFF` */
    summary: z.string(),
  }),
  /** Who changed it, from the CloudTrail record (never its access key). */
  actor: z.looseObject({
    principal: z.string(),
    sourceIp: z.nullable(z.string()),
    userAgent: z.nullable(z.string()),
    invokedBy: z.nullable(z.string()),
  }),
  event: z.looseObject({ id: z.string(), name: z.string(), source: z.string(), time: z.string() }),
  /**
   * What the remediator did, as it reported it (`guard`: which guard stopped it — `iac`,
   * `exemption`, `opt-out`, `rate-limit`, `notify-only`…); null when it did not look at the verdict.
   */
  remediation: z.nullable(
    z.looseObject({
      action: z.string(),
      calls: z.array(z.string()),
      result: z.string(),
      guard: z.nullable(z.string()),
    }),
  ),
  /** What gatewatch did, in one sentence. */
  gatewatchDid: z.string(),
  runbookUrl: z.string(),
  consoleUrl: z.nullable(z.string()),
  /** CloudTrail event time to verdict. */
  detectionLatencyMs: z.number(),
  /** For a resolution: the drift notification it closes, when gatewatch announced one. */
  resolves: z.nullable(resolvesSchema),
});

export const notificationDocumentSchema = z.looseObject({
  schema: z.literal(NOTIFICATION_SCHEMA),
  version: z.literal(NOTIFICATION_VERSION),
  eventType: z.enum(eventTypes),
  /** The most severe finding's. */
  severity: z.enum(severities),
  status: z.string(),
  accountId: z.string(),
  region: z.string(),
  /** The e-mail subject and chat title (under SNS's 100 characters). */
  subject: z.string(),
  /** One sentence for people: what happened where. */
  headline: z.string(),
  scope: z.looseObject({
    kind: z.enum(scopeKinds),
    /** "payments-api prod", "api.example.com", "8 stages". */
    name: z.string(),
    api: apiSchema,
    stage: z.nullable(z.string()),
    consoleUrl: z.nullable(z.string()),
  }),
  /** Same rule, resource and place as a thread: chat tools keep a drift and its resolution together. */
  threadId: z.string(),
  findings: z.array(findingSchema),
  /** Findings left out to keep the message within SNS's size limit (they are in the logs). */
  omitted: z.number(),
});

export type FindingDocument = z.output<typeof findingSchema>;
export type NotificationDocument = z.output<typeof notificationDocumentSchema>;

export function parseNotificationDocument(json: unknown, what: string): NotificationDocument {
  return parseOrThrow(notificationDocumentSchema, json, what);
}
