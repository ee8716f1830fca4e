// The baseline kept in memory; the file store (local runs) builds on it.
import { randomUUID } from 'node:crypto';
import { type BaselineEntry, type BaselineStore, EVENT_CLAIM_MS, type EventClaim } from '../../model/stores';

export class MemoryBaselineStore implements BaselineStore {
  protected readonly entries = new Map<string, BaselineEntry>();
  /** Handled events by id, with their event time. */
  protected readonly events = new Map<string, string>();
  /** Live claims by event id (not saved: a claim outlives no process). */
  private readonly claims = new Map<string, { readonly token: string; readonly until: number }>();

  constructor(
    initial: readonly BaselineEntry[] = [],
    handledEvents: Readonly<Record<string, string>> = {},
    private readonly now: () => number = Date.now,
  ) {
    for (const entry of initial) this.entries.set(entry.arn, entry);
    for (const [id, time] of Object.entries(handledEvents)) this.events.set(id, time);
  }

  async get(arn: string): Promise<BaselineEntry | undefined> {
    return this.entries.get(arn);
  }

  async put(entry: BaselineEntry): Promise<void> {
    const current = this.entries.get(entry.arn);
    if (current && current.observedAt > entry.observedAt) return;
    this.entries.set(entry.arn, entry);
  }

  async list(): Promise<readonly BaselineEntry[]> {
    return [...this.entries.values()];
  }

  async handled(eventId: string): Promise<boolean> {
    return this.events.has(eventId);
  }

  // The check and the write below run without an await between them: atomic in one process.
  async claim(eventId: string, _eventTime: string): Promise<EventClaim> {
    if (this.events.has(eventId)) return { kind: 'handled' };
    const held = this.claims.get(eventId);
    if (held && held.until > this.now()) return { kind: 'in-progress' };
    const token = randomUUID();
    this.claims.set(eventId, { token, until: this.now() + EVENT_CLAIM_MS });
    return { kind: 'claimed', token };
  }

  async markHandled(eventId: string, eventTime: string): Promise<void> {
    this.events.set(eventId, eventTime);
    this.claims.delete(eventId);
  }

  async release(eventId: string, token: string): Promise<void> {
    if (this.claims.get(eventId)?.token === token) this.claims.delete(eventId);
  }
}
