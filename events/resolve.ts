// Resolving a CloudTrail event: the catalogue entry it matches (telling REST from HTTP/WebSocket
// calls where they share a name) and the resources it points at, or why it is ignored.

import { type CatalogEntry, eventCatalog } from './catalog';
import { generationOf } from './request';
import type { CloudTrailRecord } from './schema';
import { type Target, targetKey } from './targets';

export type Resolution =
  | { readonly targets: readonly Target[]; readonly entry: CatalogEntry }
  | { readonly ignored: string };

const entriesByEvent = new Map<string, CatalogEntry[]>();
for (const entry of eventCatalog) {
  const key = `${entry.eventSource} ${entry.eventName}`;
  entriesByEvent.set(key, [...(entriesByEvent.get(key) ?? []), entry]);
}

function entryFor(record: CloudTrailRecord): CatalogEntry | { readonly ignored: string } {
  const candidates = entriesByEvent.get(`${record.eventSource} ${record.eventName}`) ?? [];
  if (candidates.length === 0) return { ignored: 'not catalogued' };
  const any = candidates.find((entry) => entry.api === 'any');
  if (any !== undefined) return any;
  const generation = generationOf(record);
  const matching = candidates.find((entry) => entry.api === generation);
  if (matching !== undefined) return matching;
  // Names used by one generation only (RestApi, Method, Route, ApiMapping…) need no telling apart.
  if (generation === 'unknown' && candidates.length === 1 && candidates[0] !== undefined)
    return candidates[0];
  return generation === 'unknown'
    ? { ignored: 'cannot tell a REST API call from an HTTP/WebSocket API call' }
    : { ignored: `not catalogued for ${generation === 'v1' ? 'REST APIs' : 'HTTP/WebSocket APIs'}` };
}

/** The resources an event points at, or why it is ignored. */
export function resolveEvent(record: CloudTrailRecord): Resolution {
  if (record.errorCode !== undefined && record.errorCode !== '') {
    return { ignored: `failed call (errorCode ${record.errorCode})` };
  }
  if (record.readOnly === true) return { ignored: 'read-only' };
  const entry = entryFor(record);
  if ('ignored' in entry) return entry;
  const seen = new Set<string>();
  const targets = entry.targets(record).filter((target) => {
    const key = targetKey(target);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (targets.length === 0) return { ignored: entry.noTarget ?? 'no resource identified in the request' };
  return { targets, entry };
}
