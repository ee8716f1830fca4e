// Which CloudTrail trails deliver a management write event of an event source: the trail logs
// (IsLogging) and one of its event selectors selects the event. Basic selectors select by
// read/write type, management events on or off and excluded event sources; advanced selectors
// by field conditions, all of which must hold (CloudTrail's documented semantics).
import type { AdvancedFieldSelector, TrailSelectors, TrailSnapshot } from './resources';

/** The management write event a selector is asked about, as CloudTrail's selector fields name it. */
const writeEventOf = (eventSource: string): Readonly<Record<string, string>> => ({
  eventCategory: 'Management',
  readOnly: 'false',
  eventSource,
});

/** Whether the selectors select a management write event of `eventSource`; `null` when unknown. */
export function selectsWrites(selectors: TrailSelectors | null, eventSource: string): boolean | null {
  if (selectors === null) return null;
  if (selectors.kind === 'basic') {
    return selectors.selectors.some(
      (selector) =>
        selector.includeManagementEvents &&
        selector.readWriteType !== 'ReadOnly' &&
        !selector.excludeManagementEventSources.includes(eventSource),
    );
  }
  const event = writeEventOf(eventSource);
  return selectors.selectors.some(
    (selector) =>
      selector.fieldSelectors.some((field) => field.field === 'eventCategory') &&
      selector.fieldSelectors.every((field) => fieldHolds(field, event[field.field])),
  );
}

/** A field a management event does not have (resources.type, eventName…) selects nothing it can be sure of. */
function fieldHolds(field: AdvancedFieldSelector, value: string | undefined): boolean {
  if (value === undefined) return false;
  const any = (values: readonly string[] | undefined, test: (candidate: string) => boolean) =>
    values === undefined ? undefined : values.some(test);
  const checks = [
    any(field.equals, (candidate) => value === candidate),
    any(field.startsWith, (candidate) => value.startsWith(candidate)),
    any(field.endsWith, (candidate) => value.endsWith(candidate)),
    negate(any(field.notEquals, (candidate) => value === candidate)),
    negate(any(field.notStartsWith, (candidate) => value.startsWith(candidate))),
    negate(any(field.notEndsWith, (candidate) => value.endsWith(candidate))),
  ];
  return checks.every((check) => check !== false);
}

const negate = (value: boolean | undefined) => (value === undefined ? undefined : !value);

export type TrailVerdict = 'delivers' | 'stopped' | 'filters' | 'unknown';

/** What one trail does with management write events of `eventSource` in the region it was read in. */
export function trailVerdict(trail: TrailSnapshot, eventSource: string): TrailVerdict {
  if (trail.logging === false) return 'stopped';
  const selected = selectsWrites(trail.selectors, eventSource);
  if (selected === false) return 'filters';
  if (trail.logging === null || selected === null) return 'unknown';
  return 'delivers';
}

/**
 * The regional event sources of the events gatewatch's drift path watches (its event catalog
 * checks it uses no other): a trail must log their management write events in each region.
 * IAM's are global, logged in us-east-1 only; WAF Classic's ended in 2025.
 */
export const REGIONAL_EVENT_SOURCES = [
  'apigateway.amazonaws.com',
  'wafv2.amazonaws.com',
  'logs.amazonaws.com',
  'cloudtrail.amazonaws.com',
] as const;
