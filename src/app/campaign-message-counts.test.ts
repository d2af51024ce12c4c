import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../test/support/clock.js';
import { CampaignMessageCounts, COST_FACTOR, MIN_REUSE_MS } from './campaign-message-counts.js';

/** A store that counts how often it is asked, takes `costMs` of real time, and can be told to fail. */
function countingStore(costMs = 0) {
  const asked: string[] = [];
  let delivered = 0;
  let failNext = false;
  return {
    asked,
    deliver: (n: number) => (delivered += n),
    failNext: () => (failNext = true),
    async messageCounts(id: string) {
      asked.push(id);
      if (costMs > 0) {
        const end = performance.now() + costMs;
        while (performance.now() < end); // a synchronous count holds the thread, as SQLite's does
      }
      if (failNext) {
        failNext = false;
        throw new Error('database is locked');
      }
      return { delivered };
    },
  };
}

describe("a campaign's messages by status, reused for a moment", () => {
  it('reuses an answer for a second, then counts again', async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 1));
    const store = countingStore();
    const counts = new CampaignMessageCounts(store, clock);
    store.deliver(5);
    expect(await counts.get('cmp_1')).toEqual({ delivered: 5 });
    store.deliver(1);
    clock.advance(MIN_REUSE_MS - 1);
    expect(await counts.get('cmp_1')).toEqual({ delivered: 5 });
    clock.advance(1);
    expect(await counts.get('cmp_1')).toEqual({ delivered: 6 });
    expect(store.asked).toEqual(['cmp_1', 'cmp_1']);
  });

  it('reuses a costly answer for longer: 50 times what it cost', async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 1));
    const store = countingStore(40);
    const counts = new CampaignMessageCounts(store, clock);
    await counts.get('cmp_big');
    clock.advance(COST_FACTOR * 40 - 100); // 1.9 s: past the minimum, within 50 × 40 ms
    await counts.get('cmp_big');
    expect(store.asked).toHaveLength(1);
    clock.advance(60_000); // a minute later: counted again
    await counts.get('cmp_big');
    expect(store.asked).toHaveLength(2);
  });

  it('lets requests that arrive during a count share it, and keeps campaigns apart', async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 1));
    const store = countingStore();
    const counts = new CampaignMessageCounts(store, clock);
    store.deliver(3);
    const answers = await Promise.all([counts.get('cmp_a'), counts.get('cmp_a'), counts.get('cmp_b')]);
    expect(answers).toEqual([{ delivered: 3 }, { delivered: 3 }, { delivered: 3 }]);
    expect(store.asked).toEqual(['cmp_a', 'cmp_b']);
  });

  it('forgets an answer when told (an action changed the campaign), and never keeps a failure', async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 1));
    const store = countingStore();
    const counts = new CampaignMessageCounts(store, clock);
    await counts.get('cmp_1');
    store.deliver(2);
    counts.forget('cmp_1');
    expect(await counts.get('cmp_1')).toEqual({ delivered: 2 });
    counts.forget('cmp_1');
    store.failNext();
    await expect(counts.get('cmp_1')).rejects.toThrow('database is locked');
    expect(await counts.get('cmp_1')).toEqual({ delivered: 2 }); // asked again at once
    expect(store.asked).toHaveLength(4);
  });
});
