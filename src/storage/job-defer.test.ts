/**
 * A deferred job (paced, over a daily cap, beyond a warm-up allowance) comes back later as the
 * same attempt, and its message waits as `queued` meanwhile, cancelable like any queued message.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeMessage, memoryRepositories } from '../../test/support/messages.js';
import { storageBackends } from '../../test/support/backends.js';
import type { Storage } from './connect.js';
import type { JobRepository } from './job-repository.js';
import type { MessageRepository } from './message-repository.js';

const T0 = Date.UTC(2030, 0, 1);

describe.each(await storageBackends())('deferred jobs on $name', (backend) => {
  let storage: Storage;
  let repo: MessageRepository;
  let jobs: JobRepository;

  beforeEach(async () => {
    ({ storage, repo, jobs } = await memoryRepositories(backend));
  });
  afterEach(() => storage.close());

  it('come back at their time as the same attempt, queued meanwhile', async () => {
    const m = makeMessage();
    await repo.accept([m], null);
    const [first] = await jobs.claim({ limit: 1, now: T0, leaseMs: 30_000, leaseToken: 'w' });
    expect(first?.attempt).toBe(1);
    expect((await repo.get(m.id))?.status).toBe('sending');
    await jobs.complete([{ id: m.id, leaseToken: 'w', outcome: { type: 'defer', delayMs: 3_000 } }], T0);
    expect((await repo.get(m.id))?.status).toBe('queued');
    expect(await jobs.nextVisibleAt()).toBe(T0 + 3_000);
    expect(await jobs.claim({ limit: 1, now: T0 + 2_999, leaseMs: 30_000, leaseToken: 'w' })).toEqual([]);
    // Deferred twice more: still the first attempt.
    for (const at of [T0 + 3_000, T0 + 6_000]) {
      const [again] = await jobs.claim({ limit: 1, now: at, leaseMs: 30_000, leaseToken: 'w' });
      expect(again?.attempt).toBe(1);
      await jobs.complete([{ id: m.id, leaseToken: 'w', outcome: { type: 'defer', delayMs: 3_000 } }], at);
    }
    // A retry after a real failure does count.
    const [tried] = await jobs.claim({ limit: 1, now: T0 + 9_000, leaseMs: 30_000, leaseToken: 'w' });
    await jobs.complete([{ id: m.id, leaseToken: 'w', outcome: { type: 'retry', delayMs: 0 } }], T0 + 9_000);
    expect(tried?.attempt).toBe(1);
    const [next] = await jobs.claim({ limit: 1, now: T0 + 9_000, leaseMs: 30_000, leaseToken: 'w' });
    expect(next?.attempt).toBe(2);
  });

  it('can be canceled while they wait', async () => {
    const m = makeMessage();
    await repo.accept([m], null);
    await jobs.claim({ limit: 1, now: T0, leaseMs: 30_000, leaseToken: 'w' });
    await jobs.complete([{ id: m.id, leaseToken: 'w', outcome: { type: 'defer', delayMs: 86_400_000 } }], T0);
    expect(await repo.cancel(m.id, T0 + 1)).toBe('canceled');
    expect(await jobs.depth()).toBe(0);
  });

  it('from a stale lease change nothing', async () => {
    const m = makeMessage();
    await repo.accept([m], null);
    await jobs.claim({ limit: 1, now: T0, leaseMs: 30_000, leaseToken: 'mine' });
    await jobs.complete([{ id: m.id, leaseToken: 'stale', outcome: { type: 'defer', delayMs: 1_000 } }], T0);
    expect((await repo.get(m.id))?.status).toBe('sending');
    expect(await jobs.nextVisibleAt()).toBe(T0 + 30_000);
  });
});
