// The baseline kept in memory; the file store (local runs) builds on it.
import type { BaselineEntry, BaselineStore } from './contracts';

export class MemoryBaselineStore implements BaselineStore {
  protected readonly entries = new Map<string, BaselineEntry>();
  protected readonly events = new Map<string, string>();

  constructor(initial: readonly BaselineEntry[] = [], handledEvents: Readonly<Record<string, string>> = {}) {
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

  async markHandled(eventId: string, eventTime: string): Promise<void> {
    this.events.set(eventId, eventTime);
  }
}
