import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeMessage, memoryRepositories } from '../../test/support/messages.js';
import type { Storage } from './connect.js';
import type { JobRepository } from './job-repository.js';
import type { MessageRepository } from './message-repository.js';
import { storageBackends } from '../../test/support/backends.js';

const T0 = Date.UTC(2030, 0, 1);

describe.each(await storageBackends())('JobRepository (embedded queue storage) on $name', (backend) => {
  let storage: Storage;
  let repo: MessageRepository;
  let jobs: JobRepository;

  beforeEach(async () => {
    ({ storage, repo, jobs } = await memoryRepositories(backend));
  });
  afterEach(() => storage.close());

  it('claims due jobs in due-time order, leaves future ones, and marks them sending', async () => {
    const later = makeMessage({ status: 'scheduled', sendAt: T0 + 60_000 });
    const first = makeMessage({ createdAt: T0 - 10 });
    const second = makeMessage({ createdAt: T0 - 5 });
    await repo.accept([later, second, first], null);
    const claimed = await jobs.claim({ limit: 10, now: T0, leaseMs: 1_000, leaseToken: 'w' });
    expect(claimed.map((j) => j.id)).toEqual([first.id, second.id]);
    expect(claimed[0]?.attempt).toBe(1);
    expect(claimed[0]?.data).toMatchObject({ to: first.to, body: first.body, channel: 'sms', encoding: 'GSM-7' });
    expect((await repo.get(first.id))?.status).toBe('sending');
    expect(await jobs.nextVisibleAt()).toBe(T0 + 1_000);
    expect((await jobs.claim({ limit: 10, now: T0 + 60_000, leaseMs: 1_000, leaseToken: 'w' })).length).toBe(3);
  });

  it('gives a job held by a crashed worker to another once the lease expires', async () => {
    const m = makeMessage();
    await repo.accept([m], null);
    expect((await jobs.claim({ limit: 1, now: T0, leaseMs: 1_000, leaseToken: 'dead' })).length).toBe(1);
    expect((await jobs.claim({ limit: 1, now: T0 + 999, leaseMs: 1_000, leaseToken: 'alive' })).length).toBe(0);
    const again = await jobs.claim({ limit: 1, now: T0 + 1_000, leaseMs: 1_000, leaseToken: 'alive' });
    expect(again.map((j) => [j.id, j.attempt])).toEqual([[m.id, 2]]);
    // The dead worker's late completion does not delete the job the live worker holds.
    await jobs.complete([{ id: m.id, leaseToken: 'dead', outcome: { type: 'done' } }], T0 + 1_001);
    expect(await jobs.depth()).toBe(1);
    await jobs.complete([{ id: m.id, leaseToken: 'alive', outcome: { type: 'done' } }], T0 + 1_001);
    expect(await jobs.depth()).toBe(0);
  });

  it('reschedules a retried job and drops jobs whose message is already final', async () => {
    const a = makeMessage();
    const b = makeMessage();
    await repo.accept([a, b], null);
    await jobs.claim({ limit: 2, now: T0, leaseMs: 1_000, leaseToken: 'w' });
    await jobs.complete([{ id: a.id, leaseToken: 'w', outcome: { type: 'retry', delayMs: 5_000 } }], T0);
    // b was sent but the process died before its job was removed.
    await repo.recordSent({
      id: b.id,
      provider: 'sim:default',
      providerMessageId: 'S1',
      status: 'sent',
      attempt: 1,
      at: T0,
      latencyMs: 1,
    });
    const next = await jobs.claim({ limit: 10, now: T0 + 5_000, leaseMs: 1_000, leaseToken: 'w2' });
    expect(next.map((j) => j.id)).toEqual([a.id]);
    expect(await jobs.depth()).toBe(1);
  });

  it('hands back released jobs without counting an attempt', async () => {
    const m = makeMessage();
    await repo.accept([m], null);
    await jobs.claim({ limit: 1, now: T0, leaseMs: 60_000, leaseToken: 'w' });
    await jobs.release([m.id], 'w', T0 + 10);
    const again = await jobs.claim({ limit: 1, now: T0 + 10, leaseMs: 60_000, leaseToken: 'w2' });
    expect(again.map((j) => j.attempt)).toEqual([1]);
  });
});
