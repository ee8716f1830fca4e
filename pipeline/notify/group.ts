// A burst of drift makes one message, not twenty: verdicts of the same kind of news on the same
// API and stage (or on the same resource when it belongs to no API) share a message, whichever
// CloudTrail events they came from — a `terraform apply` updating ten routes is ten events.
// An event that touches many stages at once (a web ACL detached from every stage it protected)
// makes one message for the event rather than one per stage.
import type { Verdict } from '../../model/verdict';
import type { Resolves } from './document-schema';
import { bySeverity, type EventType, eventTypeOf } from './event-type';
import { type Location, locate } from './scope';

export interface Notice {
  readonly verdict: Verdict;
  readonly eventType: EventType;
  readonly location: Location;
  readonly resolves: Resolves | null;
  /** The caller's tag for the verdict (the SQS message it came in), to report failures by. */
  readonly source?: string;
}

export type Scope =
  | { readonly kind: 'stage' | 'api'; readonly location: Location }
  | {
      readonly kind: 'resource';
      readonly location: Location;
      readonly resourceArn: string;
      readonly name: string;
    }
  | { readonly kind: 'event'; readonly eventId: string; readonly eventName: string; readonly places: number };

export interface Group {
  readonly eventType: EventType;
  readonly status: Verdict['status'];
  readonly accountId: string;
  readonly region: string;
  readonly scope: Scope;
  /** Most severe first. */
  readonly notices: readonly Notice[];
}

/** Past this many places touched by one event, its notices share one message. */
export const MAX_PLACES_PER_EVENT = 5;

export function notice(verdict: Verdict, resolves: Resolves | null = null, source?: string): Notice {
  return {
    verdict,
    eventType: eventTypeOf(verdict),
    location: locate(verdict),
    resolves,
    ...(source === undefined ? {} : { source }),
  };
}

/** Groups notices into messages, in the order their first event happened. */
export function groupNotices(notices: readonly Notice[]): Group[] {
  const byPlace = new Map<string, Notice[]>();
  for (const item of notices) {
    const key = [kindKey(item), placeKey(item)].join('|');
    byPlace.set(key, [...(byPlace.get(key) ?? []), item]);
  }

  // One event touching many places: one message for the event.
  const placesByEvent = new Map<string, string[]>();
  for (const [key, items] of byPlace) {
    for (const eventKey of new Set(items.map((item) => `${kindKey(item)}|${item.verdict.eventId}`))) {
      placesByEvent.set(eventKey, [...(placesByEvent.get(eventKey) ?? []), key]);
    }
  }
  const groups: Group[] = [];
  const taken = new Set<Notice>();
  for (const [eventKey, places] of placesByEvent) {
    if (places.length <= MAX_PLACES_PER_EVENT) continue;
    const eventId = eventKey.slice(eventKey.lastIndexOf('|') + 1);
    const items = places
      .flatMap((place) => byPlace.get(place) ?? [])
      .filter((item) => item.verdict.eventId === eventId && !taken.has(item));
    if (items.length === 0) continue;
    for (const item of items) taken.add(item);
    const first = items[0] as Notice;
    groups.push({
      ...kindOf(first),
      scope: { kind: 'event', eventId, eventName: first.verdict.eventName, places: places.length },
      notices: sorted(items),
    });
  }
  for (const items of byPlace.values()) {
    const left = items.filter((item) => !taken.has(item));
    const first = left[0];
    if (!first) continue;
    groups.push({ ...kindOf(first), scope: scopeOf(first), notices: sorted(left) });
  }
  return groups.sort(
    (a, b) => earliest(a).localeCompare(earliest(b)) || bySeverity(severity(a), severity(b)),
  );
}

/** Notices of different kinds of news, or different accounts and regions, never share a message. */
const kindKey = (item: Notice) =>
  [item.eventType, item.verdict.status, item.verdict.accountId, item.location.region].join('|');

function placeKey(item: Notice): string {
  const { api, stage } = item.location;
  if (api) return `api:${api.id}:${stage ?? ''}`;
  return `resource:${item.verdict.resourceArn}`;
}

const kindOf = (item: Notice) => ({
  eventType: item.eventType,
  status: item.verdict.status,
  accountId: item.verdict.accountId,
  region: item.location.region,
});

function scopeOf(item: Notice): Scope {
  const { location } = item;
  if (location.api) return { kind: location.stage !== null ? 'stage' : 'api', location };
  return { kind: 'resource', location, resourceArn: item.verdict.resourceArn, name: item.verdict.resource };
}

const sorted = (items: readonly Notice[]) =>
  [...items].sort(
    (a, b) =>
      bySeverity(a.verdict.severity, b.verdict.severity) ||
      a.verdict.ruleId.localeCompare(b.verdict.ruleId) ||
      a.verdict.resourceArn.localeCompare(b.verdict.resourceArn) ||
      a.verdict.eventTime.localeCompare(b.verdict.eventTime),
  );

const earliest = (group: Group) => group.notices.map((item) => item.verdict.eventTime).sort()[0] ?? '';
const severity = (group: Group) => group.notices[0]?.verdict.severity ?? 'INFO';
