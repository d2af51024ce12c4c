import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postgresIfReachable, storageBackends } from '../../test/support/backends.js';
import { makeMessage, memoryRepositories } from '../../test/support/messages.js';
import type { OutboxEntry } from '../ports/job-outbox.js';
import type { Storage } from './connect.js';
import { JobOutboxRepository } from './job-outbox-repository.js';
import type { JobRepository } from './job-repository.js';
import { MessageRepository } from './message-repository.js';

const T0 = Date.UTC(2030, 0, 1);
const all = async (entries: OutboxEntry[]) => entries.map((e) => e.id);

describe.each(await storageBackends())('JobOutboxRepository (the Redis queue outbox) on $name', (backend) => {
  let storage: Storage;
  let repo: MessageRepository;
  let jobs: JobRepository;
  let outbox: JobOutboxRepository;

  beforeEach(async () => {
    ({ storage, repo, jobs } = await memoryRepositories(backend));
    outbox = new JobOutboxRepository(storage);
  });
  afterEach(() => storage.close());

  it('passes due and scheduled rows in due order, and deletes the ones moved', async () => {
    const later = makeMessage({ status: 'scheduled', sendAt: T0 + 60_000, createdAt: T0 - 20 });
    const first = makeMessage({ createdAt: T0 - 10 });
    const second = makeMessage({ createdAt: T0 - 5 });
    await repo.accept([later, second, first], null);
    const seen = await outbox.relay({ limit: 10 }, async (entries) => [entries[0]!.id, entries[2]!.id]);
    expect(seen).toEqual([
      { id: first.id, attempt: 1, dueAt: T0 - 10 },
      { id: second.id, attempt: 1, dueAt: T0 - 5 },
      { id: later.id, attempt: 1, dueAt: T0 + 60_000 },
    ]);
    expect(await outbox.depth()).toBe(1);
    expect((await outbox.relay({ limit: 10 }, all)).map((e) => e.id)).toEqual([second.id]);
    expect(await outbox.depth()).toBe(0);
  });

  it('relays only the ids it is given, or the rows after a position', async () => {
    const ms = [0, 1, 2, 3].map((i) => makeMessage({ createdAt: T0 + i }));
    await repo.accept(ms, null);
    const some = await outbox.relay({ ids: [ms[3]!.id, ms[1]!.id], limit: 10 }, async () => []);
    expect(some.map((e) => e.id)).toEqual([ms[1]!.id, ms[3]!.id]);
    const after = await outbox.relay({ limit: 2, after: { dueAt: T0 + 1, id: ms[1]!.id } }, async () => []);
    expect(after.map((e) => e.id)).toEqual([ms[2]!.id, ms[3]!.id]);
    expect(await outbox.relay({ ids: [], limit: 10 }, all)).toEqual([]);
    expect(await outbox.depth()).toBe(4);
  });

  it('keeps the rows when moving them fails', async () => {
    await repo.accept([makeMessage()], null);
    await expect(
      outbox.relay({ limit: 10 }, async () => {
        throw new Error('Redis away');
      }),
    ).rejects.toThrow('Redis away');
    expect(await outbox.depth()).toBe(1);
  });

  it('starts a pending message: marks it sending with the attempt, and hands over what to send', async () => {
    const m = makeMessage({ body: 'Your code is 1234' });
    await repo.accept([m], null);
    const job = await outbox.start({ id: m.id, attempt: 2 }, T0 + 5);
    expect(job).toMatchObject({ id: m.id, attempt: 2, data: { body: 'Your code is 1234', channel: 'sms', to: m.to } });
    expect((await repo.get(m.id))?.status).toBe('sending');
    // A job back from a dead worker starts again, without a second `sending` event.
    expect((await outbox.start({ id: m.id, attempt: 2 }, T0 + 9))?.id).toBe(m.id);
    const events = await repo.events(m.id);
    expect(events.map((e) => [e.status, e.detail])).toEqual([
      ['queued', null],
      ['sending', { attempt: 2 }],
    ]);
  });

  it('refuses to start a message that is final, canceled or unknown', async () => {
    const done = makeMessage();
    const canceled = makeMessage();
    await repo.accept([done, canceled], null);
    await outbox.relay({ limit: 10 }, all); // the jobs are in Redis now
    await repo.recordSent({
      id: done.id,
      provider: 'sim:default',
      providerMessageId: 'S1',
      status: 'sent',
      attempt: 1,
      at: T0,
      latencyMs: 1,
    });
    expect(await repo.cancel(canceled.id, T0)).toBe('canceled');
    const [a, b, c] = await Promise.all([
      outbox.start({ id: done.id, attempt: 1 }, T0),
      outbox.start({ id: canceled.id, attempt: 1 }, T0),
      outbox.start({ id: 'msg_nope', attempt: 1 }, T0),
    ]);
    expect([a, b, c]).toEqual([null, null, null]);
    expect((await repo.get(canceled.id))?.status).toBe('canceled');
  });

  it('starts many at once in one write, each with its own attempt', async () => {
    const ms = Array.from({ length: 40 }, () => makeMessage());
    await repo.accept(ms, null);
    const started = await Promise.all(ms.map((m, i) => outbox.start({ id: m.id, attempt: 1 + (i % 3) }, T0)));
    expect(started.map((j) => [j?.id, j?.attempt])).toEqual(ms.map((m, i) => [m.id, 1 + (i % 3)]));
    const statuses = await Promise.all(ms.map(async (m) => (await repo.get(m.id))?.status));
    expect(new Set(statuses)).toEqual(new Set(['sending']));
  });

  it('cancels by reference whether or not the job was relayed, but not a message already sending', async () => {
    const relayed = makeMessage({ reference: 'r1', status: 'scheduled', sendAt: T0 + 60_000 });
    const waiting = makeMessage({ reference: 'r1', status: 'scheduled', sendAt: T0 + 60_000 });
    const busy = makeMessage({ reference: 'r1' });
    await repo.accept([relayed, waiting, busy], null);
    await outbox.relay({ ids: [relayed.id, busy.id], limit: 10 }, all);
    await outbox.start({ id: busy.id, attempt: 1 }, T0);
    expect((await repo.cancelByReference('r1', T0)).sort()).toEqual([relayed.id, waiting.id].sort());
    expect(await jobs.depth()).toBe(0);
    expect((await repo.get(busy.id))?.status).toBe('sending');
    expect(await repo.cancel(busy.id, T0)).toBe('not_pending');
  });
});

const pg = await postgresIfReachable();

describe.runIf(pg)('JobOutboxRepository: relays in two processes on PostgreSQL', () => {
  it('never passes a row to two relays at once: the second skips what the first holds', async () => {
    const shared = await pg!.openShared(2);
    try {
      const [one, two] = shared.handles.map((h) => new JobOutboxRepository(h));
      const ms = Array.from({ length: 6 }, (_, i) => makeMessage({ createdAt: T0 + i }));
      await new MessageRepository(shared.handles[0]!).accept(ms, null);
      let release = (): void => {};
      const holding = new Promise<void>((r) => (release = r));
      let entered = (): void => {};
      const inside = new Promise<void>((r) => (entered = r));
      const first = one!.relay({ limit: 4 }, async (entries) => {
        entered();
        await holding; // Redis is slow: the rows stay locked meanwhile
        return entries.map((e) => e.id);
      });
      await inside;
      const second = await two!.relay({ limit: 10 }, all);
      release();
      const firstSeen = await first;
      expect(firstSeen.map((e) => e.id)).toEqual(ms.slice(0, 4).map((m) => m.id));
      expect(second.map((e) => e.id)).toEqual(ms.slice(4).map((m) => m.id));
      expect(await one!.depth()).toBe(0);
    } finally {
      await shared.close();
    }
  });
});
