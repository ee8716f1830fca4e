// The notification document: what every channel renders, and the JSON that travels in the SNS
// message for programs (schema `gatewatch.notification`, version 1). A field is added, never
// renamed or removed, without a new version; consumers ignore fields they do not know.
import * as z from 'zod/mini';
import { redactSecrets } from '../../observe/redact';
import { type Severity, severities } from '../../rules/core/rule';
import { parseOrThrow } from '../../rules/core/validation';
import {
  type EventType,
  eventTypes,
  guardOf,
  highestSeverity,
  type RemediationNote,
  remediationOf,
} from './event-type';
import type { Group, Notice, Scope } from './group';
import { type ApiRef, type Location, placeName } from './scope';

export const NOTIFICATION_SCHEMA = 'gatewatch.notification';
export const NOTIFICATION_VERSION = 1;

export interface FindingDocument {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: string;
  readonly eventType: EventType;
  /** `new`, `resolved` (or `unchanged` when only the remediation is news). */
  readonly change: string;
  /** About the API's working copy, served at its next deployment. */
  readonly pending: boolean;
  /** One sentence: the resource, what is wrong (or right again) and what is expected. */
  readonly reason: string;
  readonly resource: { readonly arn: string; readonly type: string; readonly name: string };
  readonly api: ApiRef | null;
  readonly stage: string | null;
  readonly accountId: string;
  readonly region: string;
  /** What changed: the rule's observed value before the event and after it, and what the rule expects. */
  readonly values: {
    readonly before: unknown;
    readonly after: unknown;
    readonly expected: unknown;
    /** `stageLevel: INFO → OFF` */
    readonly summary: string;
  };
  /** Who changed it, from the CloudTrail record (never its access key). */
  readonly actor: {
    readonly principal: string;
    readonly sourceIp: string | null;
    readonly userAgent: string | null;
    readonly invokedBy: string | null;
  };
  readonly event: {
    readonly id: string;
    readonly name: string;
    readonly source: string;
    readonly time: string;
  };
  /**
   * What the remediator did, as it reported it (`guard`: which guard stopped it — `iac`,
   * `exemption`, `opt-out`, `rate-limit`, `notify-only`…); null when it did not look at the verdict.
   */
  readonly remediation: {
    readonly action: string;
    readonly calls: readonly string[];
    readonly result: string;
    readonly guard: string | null;
  } | null;
  /** What gatewatch did, in one sentence. */
  readonly gatewatchDid: string;
  readonly runbookUrl: string;
  readonly consoleUrl: string | null;
  /** CloudTrail event time to verdict. */
  readonly detectionLatencyMs: number;
  /** For a resolution: the drift notification it closes, when gatewatch announced one. */
  readonly resolves: {
    readonly eventId: string;
    readonly eventTime: string;
    readonly notifiedAt: string;
  } | null;
}

export interface NotificationDocument {
  readonly schema: typeof NOTIFICATION_SCHEMA;
  readonly version: typeof NOTIFICATION_VERSION;
  readonly eventType: EventType;
  /** The most severe finding's. */
  readonly severity: Severity;
  readonly status: string;
  readonly accountId: string;
  readonly region: string;
  /** The e-mail subject and chat title (under SNS's 100 characters). */
  readonly subject: string;
  /** One sentence for people: what happened where. */
  readonly headline: string;
  readonly scope: {
    readonly kind: Scope['kind'];
    /** "payments-api prod", "api.example.com", "8 stages". */
    readonly name: string;
    readonly api: ApiRef | null;
    readonly stage: string | null;
    readonly consoleUrl: string | null;
  };
  /** Same rule, resource and place as a thread: chat tools keep a drift and its resolution together. */
  readonly threadId: string;
  readonly findings: readonly FindingDocument[];
  /** Findings left out to keep the message within SNS's size limit (they are in the logs). */
  readonly omitted: number;
}

export interface DocumentOptions {
  /** Prefix of runbook links, ending in `/`. */
  readonly runbookBaseUrl: string;
  /** @default MAX_FINDINGS_PER_MESSAGE */
  readonly maxFindings?: number;
}

/** Findings carried in full by one message; the rest are counted in `omitted`. */
export const MAX_FINDINGS_PER_MESSAGE = 50;

export function buildDocument(group: Group, options: DocumentOptions): NotificationDocument {
  const kept = group.notices.slice(0, options.maxFindings ?? MAX_FINDINGS_PER_MESSAGE);
  const findings = kept.map((item) => findingDocument(item, options));
  const severity = highestSeverity(group.notices.map((item) => item.verdict.severity));
  const scope = scopeDocument(group);
  const document: NotificationDocument = {
    schema: NOTIFICATION_SCHEMA,
    version: NOTIFICATION_VERSION,
    eventType: group.eventType,
    severity,
    status: group.status,
    accountId: group.accountId,
    region: group.region,
    subject: subjectOf(
      group.eventType,
      severity,
      findings,
      scope.name,
      group.accountId,
      group.notices.length,
    ),
    headline: headlineOf(group, severity, scope.name),
    scope,
    threadId: threadIdOf(group),
    findings,
    omitted: group.notices.length - kept.length,
  };
  return redactSecrets(document);
}

// ─── One finding ─────────────────────────────────────────────────────────────────────────

function findingDocument(item: Notice, options: DocumentOptions): FindingDocument {
  const { verdict, location } = item;
  const remediation = remediationOf(verdict);
  return {
    ruleId: verdict.ruleId,
    title: verdict.title,
    severity: verdict.severity,
    status: verdict.status,
    eventType: item.eventType,
    change: verdict.change,
    pending: verdict.pending === true,
    reason: verdict.reason,
    resource: { arn: verdict.resourceArn, type: verdict.resourceType, name: verdict.resource },
    api: location.api,
    stage: location.stage,
    accountId: verdict.accountId,
    region: location.region,
    values: {
      before: verdict.before ?? null,
      after: verdict.after ?? null,
      expected: verdict.expected ?? null,
      summary: describeChange(verdict.before, verdict.after),
    },
    actor: {
      principal: verdict.actor,
      sourceIp: verdict.sourceIp,
      userAgent: verdict.userAgent,
      invokedBy: verdict.invokedBy,
    },
    event: {
      id: verdict.eventId,
      name: verdict.eventName,
      source: verdict.eventSource,
      time: verdict.eventTime,
    },
    remediation: remediation
      ? {
          action: remediation.action,
          calls: [...remediation.calls],
          result: remediation.result,
          guard: guardOf(remediation),
        }
      : null,
    gatewatchDid: gatewatchDid(item.eventType, remediation, verdict.pending === true),
    runbookUrl: runbookUrl(options.runbookBaseUrl, verdict.runbook),
    consoleUrl: location.consoleUrl,
    detectionLatencyMs: verdict.latencyMs,
    resolves: item.resolves,
  };
}

const runbookUrl = (base: string, path: string) =>
  /^https?:\/\//.test(path) ? path : `${base.endsWith('/') ? base : `${base}/`}${path.replace(/^\//, '')}`;

/** What gatewatch did about it, in words: the remediator's own sentences when it acted or stopped. */
function gatewatchDid(type: EventType, remediation: RemediationNote | undefined, pending: boolean): string {
  if (type === 'resolved') return 'Nothing: the resource is compliant again.';
  if (type === 'could-not-evaluate') {
    return 'Nothing: gatewatch could not read or judge the resource; the runbook lists the permissions it needs.';
  }
  if (!remediation) {
    return pending
      ? 'Nothing yet: the change takes effect at the next deployment of the API.'
      : 'Nothing: notification only.';
  }
  const result = sentence(remediation.result);
  switch (remediation.action.toLowerCase()) {
    case 'failed':
      return `Remediation failed: ${result} Fix it by hand with the runbook.`;
    case 'escalated':
      return `Escalated, not remediated: ${result}`;
    case 'skipped':
      return guardOf(remediation) === 'notify-only' ? result : `Not remediated: ${result}`;
    default:
      return result || `${remediation.action}.`;
  }
}

const sentence = (text: string) => {
  const trimmed = text.trim();
  return trimmed === '' || /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
};

// ─── Before → after ──────────────────────────────────────────────────────────────────────

/** `stageLevel: INFO → OFF; weakOverrides unchanged` in words a person reads at a glance. */
export function describeChange(before: unknown, after: unknown): string {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    const changed = keys.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
    if (changed.length === 0) return 'no change in the observed value';
    return changed.map((key) => `${key}: ${valueText(before[key])} → ${valueText(after[key])}`).join('; ');
  }
  if (before === null && after === null) return 'not recorded';
  return `${valueText(before)} → ${valueText(after)}`;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const MAX_VALUE_TEXT = 200;

function valueText(value: unknown): string {
  let text: string;
  if (value === null || value === undefined || value === '') text = 'none';
  else if (Array.isArray(value) && value.length === 0) text = 'none';
  else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) text = value.join(', ');
  else if (typeof value === 'string') text = value;
  else text = JSON.stringify(value);
  return text.length > MAX_VALUE_TEXT ? `${text.slice(0, MAX_VALUE_TEXT - 1)}…` : text;
}

// ─── The message as a whole ──────────────────────────────────────────────────────────────

const eventLabels: Record<EventType, string> = {
  drift: 'Drift',
  resolved: 'Resolved',
  remediated: 'Remediated',
  'remediation-failed': 'Remediation FAILED',
  'remediation-skipped': 'Not remediated',
  'exemption-expired': 'Exemption expired',
  'could-not-evaluate': 'Could not evaluate',
};

type LabelFacts = Pick<FindingDocument, 'pending'> & {
  readonly remediation: { readonly action: string } | null;
};

/** "Drift", "Pending drift", "Escalated"…: the words a message leads with. */
export function eventLabel(type: EventType, findings: readonly LabelFacts[] = []): string {
  const all = (test: (finding: LabelFacts) => boolean) => findings.length > 0 && findings.every(test);
  if (type === 'drift' && all((finding) => finding.pending)) return 'Pending drift';
  if (
    type === 'remediation-skipped' &&
    all((finding) => finding.remediation?.action.toLowerCase() === 'escalated')
  ) {
    return 'Escalated';
  }
  return eventLabels[type];
}

/** SNS subjects must be under 100 characters. */
export const MAX_SUBJECT = 99;

function subjectOf(
  type: EventType,
  severity: Severity,
  findings: readonly FindingDocument[],
  place: string,
  accountId: string,
  total: number,
): string {
  const rules = [...new Set(findings.map((finding) => finding.ruleId))];
  const what =
    total === 1 || rules.length === 1
      ? `${rules[0] ?? ''}${total > 1 ? ` (${total} resources)` : ''}`
      : `${total} findings`;
  const head = `[${severity}] ${eventLabel(type, findings)}: ${what}`;
  const account = accountId ? ` · ${accountId}` : '';
  const room = MAX_SUBJECT - head.length - account.length - 3;
  const where = room >= 8 ? ` · ${shorten(place, room)}` : '';
  return oneLine(`${head}${where}${account}`).slice(0, MAX_SUBJECT);
}

function headlineOf(group: Group, severity: Severity, place: string): string {
  const label = eventLabel(
    group.eventType,
    group.notices.map((item) => ({
      pending: item.verdict.pending === true,
      remediation: item.verdict.remediation ?? null,
    })),
  );
  const count = group.notices.length;
  const where =
    group.scope.kind === 'event' ? `${place} changed by one ${group.scope.eventName} call` : placeLong(group);
  const account = group.accountId ? `account ${group.accountId}` : 'account unknown';
  const what = count === 1 ? ` on ${where}` : `: ${count} findings on ${where}`;
  return `${label} (${severity})${what}, ${account}, ${group.region || 'region unknown'}.`;
}

/** "stage prod of REST API payments-api (p7m2v8c4rt)". */
function placeLong(group: Group): string {
  const { scope } = group;
  if (scope.kind === 'event') return `${scope.places} places`;
  if (scope.kind === 'resource') return scope.name;
  const api = scope.location.api as ApiRef;
  const kind = `${api.protocol ?? 'HTTP or WebSocket'} API ${api.name}${api.name === api.id ? '' : ` (${api.id})`}`;
  return scope.kind === 'stage' ? `stage ${scope.location.stage} of ${kind}` : kind;
}

function scopeDocument(group: Group): NotificationDocument['scope'] {
  const { scope } = group;
  if (scope.kind === 'event') {
    return {
      kind: 'event',
      name: `${scope.places} ${group.notices.every((item) => item.location.stage !== null) ? 'stages' : 'resources'}`,
      api: null,
      stage: null,
      consoleUrl: null,
    };
  }
  const location: Location = scope.location;
  return {
    kind: scope.kind,
    name: placeName(location, scope.kind === 'resource' ? scope.name : ''),
    api: location.api,
    stage: location.stage,
    consoleUrl: location.consoleUrl,
  };
}

/** Stable per place and kind of finding, so a resolution lands in its drift's thread. */
function threadIdOf(group: Group): string {
  const { scope } = group;
  const place =
    scope.kind === 'event'
      ? `event-${scope.eventId}`
      : scope.location.api
        ? `${scope.location.api.id}-${scope.location.stage ?? 'api'}`
        : scope.kind === 'resource'
          ? scope.resourceArn.replace(/^arn:[^:]*:apigateway:[^:]*::\//, '')
          : 'resource';
  return `gatewatch-${group.accountId || 'unknown'}-${group.region || 'unknown'}-${place}`
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .slice(0, 128);
}

const shorten = (text: string, room: number) => (text.length <= room ? text : `${text.slice(0, room - 1)}…`);
/** SNS refuses line breaks and control characters in a subject. */
const oneLine = (text: string) =>
  [...text].map((char) => (char.charCodeAt(0) < 32 || char.charCodeAt(0) === 127 ? ' ' : char)).join('');

// ─── Reading a document back (the Slack webhook function) ────────────────────────────────

const apiSchema = z.nullable(
  z.looseObject({
    id: z.string(),
    name: z.string(),
    protocol: z.nullable(z.enum(['REST', 'HTTP', 'WebSocket'])),
  }),
);

const findingSchema = z.looseObject({
  ruleId: z.string(),
  title: z.string(),
  severity: z.enum(severities),
  status: z.string(),
  eventType: z.enum(eventTypes),
  change: z.string(),
  pending: z.boolean(),
  reason: z.string(),
  resource: z.looseObject({ arn: z.string(), type: z.string(), name: z.string() }),
  api: apiSchema,
  stage: z.nullable(z.string()),
  accountId: z.string(),
  region: z.string(),
  values: z.looseObject({
    before: z.unknown(),
    after: z.unknown(),
    expected: z.unknown(),
    summary: z.string(),
  }),
  actor: z.looseObject({
    principal: z.string(),
    sourceIp: z.nullable(z.string()),
    userAgent: z.nullable(z.string()),
    invokedBy: z.nullable(z.string()),
  }),
  event: z.looseObject({ id: z.string(), name: z.string(), source: z.string(), time: z.string() }),
  remediation: z.nullable(
    z.looseObject({
      action: z.string(),
      calls: z.array(z.string()),
      result: z.string(),
      guard: z.nullable(z.string()),
    }),
  ),
  gatewatchDid: z.string(),
  runbookUrl: z.string(),
  consoleUrl: z.nullable(z.string()),
  detectionLatencyMs: z.number(),
  resolves: z.nullable(z.looseObject({ eventId: z.string(), eventTime: z.string(), notifiedAt: z.string() })),
});

export const notificationDocumentSchema = z.looseObject({
  schema: z.literal(NOTIFICATION_SCHEMA),
  version: z.literal(NOTIFICATION_VERSION),
  eventType: z.enum(eventTypes),
  severity: z.enum(severities),
  status: z.string(),
  accountId: z.string(),
  region: z.string(),
  subject: z.string(),
  headline: z.string(),
  scope: z.looseObject({
    kind: z.enum(['stage', 'api', 'resource', 'event']),
    name: z.string(),
    api: apiSchema,
    stage: z.nullable(z.string()),
    consoleUrl: z.nullable(z.string()),
  }),
  threadId: z.string(),
  findings: z.array(findingSchema),
  omitted: z.number(),
});

export function parseNotificationDocument(json: unknown, what: string): NotificationDocument {
  return parseOrThrow(notificationDocumentSchema, json, what) as NotificationDocument;
}
