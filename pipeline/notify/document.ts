// Building the notification document (document-schema.ts) from a group of verdicts: one
// finding document per verdict, the message's subject, headline, scope and thread.
import { parseApiGatewayArn } from '../../model/identity';
import { redactSecrets } from '../../observe/redact';
import { describeChange } from './change';
import {
  type FindingDocument,
  NOTIFICATION_SCHEMA,
  NOTIFICATION_VERSION,
  type NotificationDocument,
} from './document-schema';
import { type EventType, guardOf, highestSeverity, type RemediationNote, remediationOf } from './event-type';
import type { Group, Notice } from './group';
import { type Location, placeName } from './scope';
import { headlineOf, subjectOf } from './subject';

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
  const result = endingInStop(remediation.result);
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

/** The remediator's words, trimmed and ended with a full stop unless they end in one already. */
const endingInStop = (text: string) => {
  const trimmed = text.trim();
  return trimmed === '' || /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
};

// ─── The message's scope and thread ─────────────────────────────────────────────────────

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

/**
 * An API Gateway resource by its path (`domainnames/api.example.com`); any other ARN, and one
 * that names an owner account (a private custom domain's), whole, as thread ids always were.
 */
function resourcePlace(arn: string): string {
  const parts = parseApiGatewayArn(arn);
  return parts && parts.accountId === '' ? parts.path.slice(1) : arn;
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
          ? resourcePlace(scope.resourceArn)
          : 'resource';
  return `gatewatch-${group.accountId || 'unknown'}-${group.region || 'unknown'}-${place}`
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .slice(0, 128);
}
