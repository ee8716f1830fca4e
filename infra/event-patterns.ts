// The EventBridge rules' event patterns, generated from the CloudTrail event table
// (events/catalog.ts): an infrastructure concern, so it lives with the stacks that deploy the
// rules (constructs/drift-detection.ts, constructs/forwarding.ts, events-stack.ts).

import { type CatalogEntry, type EventSource, eventCatalog } from '../events/catalog';
import { CLOUDTRAIL_DETAIL_TYPE } from '../events/schema';

/** The EventBridge `source` of each CloudTrail event source. */
export const eventBridgeSources: Readonly<Record<EventSource, string>> = {
  'apigateway.amazonaws.com': 'aws.apigateway',
  'wafv2.amazonaws.com': 'aws.wafv2',
  'waf-regional.amazonaws.com': 'aws.waf-regional',
  'logs.amazonaws.com': 'aws.logs',
  'cloudtrail.amazonaws.com': 'aws.cloudtrail',
  'iam.amazonaws.com': 'aws.iam',
};

/**
 * IAM is a global service: CloudTrail records its calls, and EventBridge delivers them, in
 * us-east-1 only (aws partition). The deployment forwards them from there to the home region
 * even when us-east-1 is not watched, with CloudTrail's own (a multi-region trail is changed in
 * its home region, most often us-east-1).
 */
export const GLOBAL_EVENTS_REGION = 'us-east-1';
export const GLOBAL_REGION_EVENT_SOURCES: readonly EventSource[] = [
  'iam.amazonaws.com',
  'cloudtrail.amazonaws.com',
];

/** EventBridge's default limit on an event pattern's length (adjustable up to 4096 on request). */
export const EVENT_PATTERN_MAX_CHARS = 2048;

/** Mutable arrays, as aws-cdk-lib's `events.EventPattern` takes them (each call builds new ones). */
export interface EventPattern {
  source: string[];
  'detail-type': string[];
  detail: {
    eventSource: string[];
    eventName: string[];
    errorCode: { exists: false }[];
  };
}

const patternFor = (eventSource: EventSource, eventNames: string[]): EventPattern => ({
  source: [eventBridgeSources[eventSource]],
  'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
  detail: { eventSource: [eventSource], eventName: eventNames, errorCode: [{ exists: false }] },
});

/**
 * The EventBridge rule patterns, from the table: one per event source, split where one would
 * exceed EVENT_PATTERN_MAX_CHARS. Failed calls are filtered out by the pattern itself.
 */
export function eventPatterns(
  catalog: readonly CatalogEntry[] = eventCatalog,
  maxChars: number = EVENT_PATTERN_MAX_CHARS,
  sources: readonly EventSource[] = Object.keys(eventBridgeSources) as EventSource[],
): EventPattern[] {
  const patterns: EventPattern[] = [];
  for (const eventSource of sources) {
    const names = [
      ...new Set(catalog.filter((e) => e.eventSource === eventSource).map((e) => e.eventName)),
    ].sort();
    let chunk: string[] = [];
    for (const name of names) {
      if (chunk.length > 0 && JSON.stringify(patternFor(eventSource, [...chunk, name])).length > maxChars) {
        patterns.push(patternFor(eventSource, chunk));
        chunk = [];
      }
      chunk.push(name);
    }
    if (chunk.length > 0) patterns.push(patternFor(eventSource, chunk));
  }
  const tooLong = patterns.find((pattern) => JSON.stringify(pattern).length > maxChars);
  if (tooLong !== undefined) {
    throw new Error(
      `An EventBridge pattern for ${tooLong.detail.eventName.join(', ')} exceeds ${maxChars} characters.`,
    );
  }
  return patterns;
}

/** What GLOBAL_EVENTS_REGION forwards when it is not watched itself: IAM's and CloudTrail's events. */
export const globalRegionEventPatterns = (): EventPattern[] =>
  eventPatterns(eventCatalog, EVENT_PATTERN_MAX_CHARS, GLOBAL_REGION_EVENT_SOURCES);
