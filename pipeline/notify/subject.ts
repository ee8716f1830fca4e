// What a message leads with: its label, the e-mail subject and chat title, and the headline.
import type { Severity } from '../../rules/core/rule';
import type { ApiRef, FindingDocument } from './document-schema';
import type { EventType } from './event-type';
import type { Group } from './group';

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

export function subjectOf(
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

export function headlineOf(group: Group, severity: Severity, place: string): string {
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

const shorten = (text: string, room: number) => (text.length <= room ? text : `${text.slice(0, room - 1)}…`);
/** SNS refuses line breaks and control characters in a subject. */
const oneLine = (text: string) =>
  [...text].map((char) => (char.charCodeAt(0) < 32 || char.charCodeAt(0) === 127 ? ' ' : char)).join('');
