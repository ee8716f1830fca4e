// What a rule sees of a configuration item's snapshot: the fields the item recorded, and a fence
// on the others. Rules are pure, so a judgement that read no fenced field is exactly what a live
// read would give for what the item recorded; one that reached for a fenced field is judged on a
// live read instead (pipeline/config/evaluator.ts).
import type { Snapshot } from '../../rules/core/resources';
import type { ItemSnapshot } from './items';

/** An HTTP/WebSocket stage or route item completed with its API's protocol, known from elsewhere. */
export function withProtocol(item: ItemSnapshot, protocol: 'HTTP' | 'WEBSOCKET' | undefined): ItemSnapshot {
  const { snapshot, known } = item;
  if (!protocol || known.has('protocol') || (snapshot.kind !== 'v2-stage' && snapshot.kind !== 'v2-route')) {
    return item;
  }
  return { snapshot: { ...snapshot, protocol }, known: new Set([...known, 'protocol']) };
}

/** Thrown when a rule reaches for a field the configuration item does not carry. */
export class NotRecordedByConfig extends Error {
  override readonly name = 'NotRecordedByConfig';
}

/**
 * The snapshot as a rule sees it: a copy whose fields the item lacks are getters that note the
 * field in `missed` and throw, so the judgement stops at the first one (a placeholder value
 * could not mislead it). The fields the item carries are plain values.
 */
export function recordedView(item: ItemSnapshot): { view: Snapshot; missed: ReadonlySet<string> } {
  const missed = new Set<string>();
  const view: Record<string, unknown> = { ...item.snapshot };
  for (const field of Object.keys(view)) {
    if (item.known.has(field)) continue;
    Object.defineProperty(view, field, {
      enumerable: true,
      get() {
        missed.add(field);
        throw new NotRecordedByConfig(`AWS Config does not record ${field}`);
      },
    });
  }
  return { view: view as unknown as Snapshot, missed };
}
