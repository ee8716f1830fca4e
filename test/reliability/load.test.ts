// Load: a burst of recorded-shape events through the drift handler, AWS answered in-process.
// Here 2,000 events, to keep `npm test` short, checking that memory does not grow with the
// number of events (heap after a full garbage collection, at 1,000 and 2,000 events); the
// 10,000-event run with throughput and memory at 1k, 5k and 10k is `npm run bench`
// (bench/load.ts, same code: test/support/drift-burst.ts).
import { driftBurst } from '../support/drift-burst';

/** Generous: a few hundred bytes an event would already be a leak worth a look. */
const MAX_GROWTH_MIB = 4;

describe('a burst of 2,000 drift events', () => {
  it('is handled without errors, and the heap does not grow with the number of events', async () => {
    // Act
    const run = await driftBurst(2_000, [1_000, 2_000]);

    // Assess
    const [first, second] = run.checkpoints;
    if (!first || !second) throw new Error('missing checkpoints');
    expect(Object.keys(run.outcomes).sort()).toEqual(['ignored', 'judged']);
    expect((run.outcomes.judged ?? 0) + (run.outcomes.ignored ?? 0)).toBe(2_000);
    const growth = second.heapUsedMiB - first.heapUsedMiB;
    expect(growth).toBeLessThan(MAX_GROWTH_MIB);
    console.info(
      `load: 2,000 events in ${second.seconds.toFixed(1)} s (${Math.round(second.eventsPerSecond)} events/s over the second 1,000); ` +
        `heap ${run.heapBeforeMiB.toFixed(1)} → ${first.heapUsedMiB.toFixed(1)} → ${second.heapUsedMiB.toFixed(1)} MiB ` +
        `(+${growth.toFixed(2)} MiB for the second 1,000)`,
    );
  });
});
