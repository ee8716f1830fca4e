// A short-lived memo of reads, kept for the life of a Lambda execution environment: AWS Config
// invokes the function once per rule, so a change to one stage brings a burst of invocations
// for the same resource within seconds; they share one read instead of each paying for it.
// A read that fails is forgotten at once, so the next invocation tries again.

export class ReadCache {
  private readonly entries = new Map<
    string,
    { readonly expires: number; readonly value: Promise<unknown> }
  >();

  constructor(
    /** How long a read is reused, in milliseconds. */
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 500,
  ) {}

  /** The value read for `key` within the last `ttlMs`, else what `read` gives (remembered). */
  get<T>(key: string, read: () => Promise<T>): Promise<T> {
    const now = this.now();
    const cached = this.entries.get(key);
    if (cached && cached.expires > now) return cached.value as Promise<T>;
    this.prune(now);
    const value = read();
    this.entries.set(key, { expires: now + this.ttlMs, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  get size(): number {
    return this.entries.size;
  }

  private prune(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expires <= now) this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
