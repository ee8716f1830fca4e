// Reads shared by the burst of Config invocations one change brings.
import { ReadCache } from '../../../pipeline/config/cache';

describe('ReadCache', () => {
  it('reuses a read within its window, reads again after it, and forgets a failed read', async () => {
    // Prepare
    let now = 0;
    let reads = 0;
    const cache = new ReadCache(30_000, () => now);
    const read = async () => ++reads;
    const failing = () => Promise.reject(new Error('throttled'));

    // Act
    const first = await cache.get('stage', read);
    now = 29_000;
    const second = await cache.get('stage', read);
    now = 30_001;
    const third = await cache.get('stage', read);
    await expect(cache.get('other', failing)).rejects.toThrow('throttled');
    const retried = await cache.get('other', read);

    // Assess
    expect([first, second, third, retried]).toEqual([1, 1, 2, 3]);
  });
});
