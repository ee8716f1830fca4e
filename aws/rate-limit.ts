// A token bucket per quota. API Gateway's control-plane quotas are account-wide and shared
// with every other tool in the account, so gatewatch paces itself instead of leaning on retries.

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface Rate {
  /** Sustained requests per second. */
  readonly perSecond: number;
  /** Requests that may go at once after a quiet spell. */
  readonly burst: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly rate: Rate,
    private readonly clock: Clock = realClock,
  ) {
    this.tokens = rate.burst;
    this.last = clock.now();
  }

  /** Resolves when a request may be sent; callers are served in order. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken());
    this.queue = turn;
    return turn;
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      this.tokens = Math.min(this.rate.burst, this.tokens + ((now - this.last) / 1000) * this.rate.perSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.ceil(((1 - this.tokens) / this.rate.perSecond) * 1000));
    }
  }
}

/** Anything a request waits on before it is sent: a bucket in this environment, or the account's shared one. */
export interface Tokens {
  take(): Promise<void>;
}

// ─── The account's shared bucket ────────────────────────────────────────────────────────
// Each environment's bucket bounds only itself. The quota is the account's and region's, so
// every environment also takes from one bucket per account and region kept in a store every
// function reaches (aws/call-budget.ts: an item of the baseline table). The bucket is
// kept as GCRA's one number, the "theoretical arrival time" (tat): the instant by which every
// token granted so far is paid for at `rate.perSecond`. Taking `count` tokens at `now` is allowed
// when max(tat, now) + cost(count) - now <= cost(burst), and moves tat there. Whatever the number
// of takers, tokens granted in any interval of T seconds are at most burst + perSecond × T.

/** What a shared bucket's store does atomically (a DynamoDB conditional update, or a map in tests). */
export interface SharedBucketStore {
  /**
   * Charges `count` tokens at `now` if the bucket holds them, else returns when it will
   * (`retryAt`, epoch ms). Never grants more than the rate allows, whatever runs concurrently.
   */
  charge(
    key: string,
    count: number,
    now: number,
    rate: Rate,
  ): Promise<{ readonly granted: true } | { readonly granted: false; readonly retryAt: number }>;
}

/** Milliseconds `count` tokens take to refill at `rate`. */
export const costOf = (count: number, rate: Rate) => (count * 1000) / rate.perSecond;

/** GCRA's decision for a bucket whose tat is `tat` (0 for a new bucket). */
export function gcra(
  tat: number,
  count: number,
  now: number,
  rate: Rate,
): { readonly granted: true; readonly tat: number } | { readonly granted: false; readonly retryAt: number } {
  const next = Math.max(tat, now) + costOf(count, rate);
  const limit = now + costOf(rate.burst, rate);
  return next <= limit
    ? { granted: true, tat: next }
    : { granted: false, retryAt: next - costOf(rate.burst, rate) };
}

export interface LeaseOptions {
  /** Tokens charged to the shared bucket at once (fewer store calls). */
  readonly block: number;
  /** How long leased tokens may be used; unused ones are dropped, never carried over. */
  readonly leaseMs: number;
}

/**
 * This environment's taker of a shared bucket: leases `block` tokens at a time and uses them
 * within `leaseMs`. A token used at t was granted in (t - leaseMs, t], so requests sent in any T
 * seconds number at most burst + perSecond × (T + leaseMs/1000), for every environment together.
 */
export class LeasedBucket implements Tokens {
  private remaining = 0;
  private expiresAt = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: SharedBucketStore,
    private readonly key: string,
    readonly rate: Rate,
    readonly lease: LeaseOptions,
    private readonly clock: Clock = realClock,
  ) {
    if (lease.block < 1 || lease.block > rate.burst) {
      throw new Error(`A lease of ${lease.block} tokens cannot come from a bucket of burst ${rate.burst}.`);
    }
  }

  take(): Promise<void> {
    const turn = this.queue.then(() => this.next());
    // A failing store fails this request, not every later one.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async next(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      if (this.remaining > 0 && now < this.expiresAt) {
        this.remaining -= 1;
        return;
      }
      const answer = await this.store.charge(this.key, this.lease.block, now, this.rate);
      if (answer.granted) {
        // The lease runs from before the charge was sent: a slow answer shortens it, never lengthens it.
        this.remaining = this.lease.block - 1;
        this.expiresAt = now + this.lease.leaseMs;
        return;
      }
      this.remaining = 0;
      await this.clock.sleep(Math.max(1, Math.ceil(answer.retryAt - this.clock.now())));
    }
  }
}
