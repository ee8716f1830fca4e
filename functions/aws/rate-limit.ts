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
