import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeMessage, memoryRepositories } from '../../test/support/messages.js';
import type { Storage } from './connect.js';
import type { JobRepository } from './job-repository.js';
import type { MessageRepository } from './message-repository.js';
import { storageBackends } from '../../test/support/backends.js';

const T0 = Date.UTC(2030, 0, 1);

describe.each(await storageBackends())('MessageRepository on $name', (backend) => {
  let storage: Storage;
  let repo: MessageRepository;
  let jobs: JobRepository;

  beforeEach(async () => {
    ({ storage, repo, jobs } = await memoryRepositories(backend));
  });
  afterEach(() => storage.close());

  it('stores a message, its accepted event and its job together', async () => {
    const m = makeMessage({ reference: 'booking-1', metadata: { table: 4 } });
    expect(await repo.accept([m], null)).toEqual({ kind: 'stored' });
    expect(await repo.get(m.id)).toEqual(m);
    expect((await repo.events(m.id)).map((e) => e.type)).toEqual(['accepted']);
    expect(await jobs.depth()).toBe(1);
  });

  it('stores nothing when any message of a batch fails to insert', async () => {
    const a = makeMessage();
    await repo.accept([a], null);
    const b = makeMessage();
    await expect(repo.accept([b, { ...a }], null)).rejects.toThrow();
    expect(await repo.get(b.id)).toBeNull();
    expect(await jobs.depth()).toBe(1);
  });

  it('keeps an idempotency record with the messages and finds it again', async () => {
    const m = makeMessage();
    const record = { scope: 'key_1', key: 'abc', requestHash: 'h1', statusCode: 202, responseBody: '{"id":"x"}' };
    await repo.accept([m], record);
    expect(await repo.findIdempotency('key_1', 'abc')).toEqual(record);
    expect(await repo.findIdempotency('key_2', 'abc')).toBeNull();
    const again = await repo.accept([makeMessage()], { ...record, requestHash: 'h2' });
    expect(again).toEqual({ kind: 'existing', record });
    expect(await jobs.depth()).toBe(1);
  });

  it('cancels a pending message but not one a worker holds', async () => {
    const a = makeMessage();
    const b = makeMessage();
    await repo.accept([a, b], null);
    await jobs.claim({ limit: 1, now: T0, leaseMs: 30_000, leaseToken: 'w1' }); // takes a
    expect(await repo.cancel(a.id, T0)).toBe('not_pending');
    expect(await repo.cancel(b.id, T0)).toBe('canceled');
    expect(await repo.cancel(b.id, T0)).toBe('not_pending');
    expect(await repo.cancel('msg_nope', T0)).toBe('not_found');
    expect((await repo.get(b.id))?.status).toBe('canceled');
    expect(await jobs.depth()).toBe(1);
  });

  it('applies status reports monotonically and records the ones it ignores', async () => {
    const m = makeMessage();
    await repo.accept([m], null);
    await repo.recordSent({
      id: m.id,
      provider: 'twilio:primary',
      providerMessageId: 'SM1',
      status: 'sent',
      attempt: 1,
      at: T0 + 1,
      latencyMs: 5,
    });
    const applied = await repo.applyStatus('twilio:primary', [
      { providerMessageId: 'SM1', status: 'delivered', errorCode: null, errorMessage: null, at: T0 + 2, detail: {} },
      { providerMessageId: 'SM1', status: 'sent', errorCode: null, errorMessage: null, at: T0 + 3, detail: {} },
      {
        providerMessageId: 'SM-unknown',
        status: 'delivered',
        errorCode: null,
        errorMessage: null,
        at: T0 + 3,
        detail: {},
      },
    ]);
    expect(applied.map((a) => [a.status, a.applied])).toEqual([
      ['delivered', true],
      ['sent', false],
    ]);
    expect((await repo.get(m.id))?.status).toBe('delivered');
    expect((await repo.events(m.id)).map((e) => `${e.type}:${e.status}`)).toEqual([
      'accepted:queued',
      'status:sent',
      'status:delivered',
      'status_ignored:sent',
    ]);
  });

  it('keeps the error code of an undelivered report', async () => {
    const m = makeMessage();
    await repo.accept([m], null);
    await repo.recordSent({
      id: m.id,
      provider: 'twilio:primary',
      providerMessageId: 'SM2',
      status: 'sent',
      attempt: 1,
      at: T0,
      latencyMs: 5,
    });
    await repo.applyStatus('twilio:primary', [
      {
        providerMessageId: 'SM2',
        status: 'undelivered',
        errorCode: '30003',
        errorMessage: 'Unreachable',
        at: T0 + 5,
        detail: {},
      },
    ]);
    const stored = await repo.get(m.id);
    expect(stored?.status).toBe('undelivered');
    expect(stored?.errorCode).toBe('30003');
  });

  it('records a retry as queued and a final failure as failed with its code', async () => {
    const m = makeMessage();
    await repo.accept([m], null);
    await repo.recordFailure({
      id: m.id,
      provider: 'p',
      attempt: 1,
      at: T0,
      kind: 'transient',
      errorCode: '20500',
      errorMessage: 'boom',
      retryAt: T0 + 1000,
    });
    expect((await repo.get(m.id))?.status).toBe('queued');
    await repo.recordFailure({
      id: m.id,
      provider: 'p',
      attempt: 2,
      at: T0 + 1000,
      kind: 'invalid_recipient',
      errorCode: '21211',
      errorMessage: 'bad To',
    });
    const failed = await repo.get(m.id);
    expect(failed?.status).toBe('failed');
    expect(failed?.errorCode).toBe('21211');
    expect((await repo.events(m.id)).map((e) => e.type)).toEqual(['accepted', 'attempt_failed', 'status']);
  });

  it('lists newest first with filters and stable paging', async () => {
    const ms = Array.from({ length: 7 }, (_, i) =>
      makeMessage({
        reference: i % 2 === 0 ? 'even' : 'odd',
        createdAt: T0 + i,
        template: i < 3 ? { name: 'booking', version: 1, variant: null, locale: 'en', data: {} } : null,
      }),
    );
    await repo.accept(ms, null);
    const first = await repo.list({ limit: 3 });
    expect(first.map((m) => m.id)).toEqual([ms[6]?.id, ms[5]?.id, ms[4]?.id]);
    const second = await repo.list({ limit: 3, before: first[2]?.id ?? '' });
    expect(second.map((m) => m.id)).toEqual([ms[3]?.id, ms[2]?.id, ms[1]?.id]);
    expect((await repo.list({ limit: 10, reference: 'even' })).length).toBe(4);
    expect((await repo.list({ limit: 10, since: T0 + 5 })).length).toBe(2);
    expect((await repo.list({ limit: 10, since: T0 + 2, until: T0 + 5 })).map((m) => m.id)).toEqual([
      ms[4]?.id,
      ms[3]?.id,
      ms[2]?.id,
    ]);
    expect((await repo.list({ limit: 10, template: 'booking' })).map((m) => m.id)).toEqual([
      ms[2]?.id,
      ms[1]?.id,
      ms[0]?.id,
    ]);
    expect((await repo.list({ limit: 10, template: 'booking', reference: 'odd' })).length).toBe(1);
    expect((await repo.list({ limit: 10, status: 'sent' })).length).toBe(0);
  });
});
