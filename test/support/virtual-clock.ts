// A clock for many concurrent tasks, with no real waiting: sleeps wait on virtual time, which
// moves to the earliest pending wake-up only once every task is idle (its awaits settled). Every
// AWS answer in the tests is a promise (aws-sdk-client-mock), so "idle" is a few macrotask turns.
import type { Clock } from '../../aws/rate-limit';

export class VirtualClock implements Clock {
  private time: number;
  private readonly timers: { at: number; seq: number; wake: () => void }[] = [];
  private seq = 0;

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => {
      this.timers.push({ at: this.time + Math.max(0, ms), seq: this.seq++, wake });
    });
  }

  /** Runs `work` to its end, moving time as its tasks sleep. Fails if it neither ends nor sleeps. */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const done = work.finally(() => {
      settled = true;
    });
    let idleTurns = 0;
    while (!settled) {
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) break;
      if (this.timers.length === 0) {
        if (++idleTurns > 1000) throw new Error('VirtualClock: the work neither ends nor sleeps');
        continue;
      }
      idleTurns = 0;
      // Let every task reach its next await before time moves.
      for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (!next) continue;
      this.time = Math.max(this.time, next.at);
      next.wake();
    }
    return done;
  }
}
