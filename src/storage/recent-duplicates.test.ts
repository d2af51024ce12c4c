import { ulid } from 'ulid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../core/message.js';
import { stableHash } from '../core/stable-hash.js';
import { makeMessage, memoryRepositories } from '../../test/support/messages.js';
import type { Storage } from './connect.js';
import type { JobRepository } from './job-repository.js';
import type { MessageRepository } from './message-repository.js';

const T0 = Date.UTC(2030, 0, 1, 12);
const MIN = 60_000;
const WINDOW = 10 * MIN;

/** A message made at `at`, with an id from that time, as the runtime makes them. */
function madeAt(at: number, overrides: Partial<Message> = {}): Message {
  return makeMessage({ id: `msg_${ulid(at)}`, createdAt: at, updatedAt: at, to: '+14155550100', ...overrides });
}

describe('the duplicate rule answered from stored messages (SQLite)', () => {
  let storage: Storage;
  let repo: MessageRepository;
  let jobs: JobRepository;

  beforeEach(async () => {
    ({ storage, repo, jobs } = await memoryRepositories());
  });
  afterEach(() => storage.close());

  it('finds the same text to the same number within the window, and says when it was accepted', async () => {
    await repo.accept([madeAt(T0, { body: 'Your parcel arrives today' })], null);
    const probe = madeAt(T0 + 5 * MIN, { body: 'Your parcel arrives today' });
    expect(await repo.findDuplicates([probe], WINDOW, T0 + 5 * MIN)).toEqual([T0]);
    // Past the window, on another channel, to another number, another text: not a repeat.
    expect(await repo.findDuplicates([probe], WINDOW, T0 + 11 * MIN)).toEqual([null]);
    expect(await repo.findDuplicates([{ ...probe, channel: 'voice' }], WINDOW, T0 + MIN)).toEqual([null]);
    expect(await repo.findDuplicates([{ ...probe, to: '+14155550101' }], WINDOW, T0 + MIN)).toEqual([null]);
    expect(await repo.findDuplicates([{ ...probe, body: 'Your parcel arrives tomorrow' }], WINDOW, T0 + MIN)).toEqual([
      null,
    ]);
  });

  it('answers with the newest of several repeats, and for each message of a list', async () => {
    await repo.accept([madeAt(T0, { body: 'a' })], null);
    await repo.accept([madeAt(T0 + MIN, { body: 'a' })], null);
    await repo.accept([madeAt(T0 + 2 * MIN, { body: 'b', to: '+14155550199' })], null);
    const probes = [madeAt(T0 + 3 * MIN, { body: 'a' }), madeAt(T0 + 3 * MIN, { body: 'b' })];
    expect(await repo.findDuplicates(probes, WINDOW, T0 + 3 * MIN)).toEqual([T0 + MIN, null]);
    // Several numbers, as in a batch: each probe is answered from its own number's messages.
    const batch = [
      madeAt(T0 + 3 * MIN, { body: 'b', to: '+14155550199' }),
      madeAt(T0 + 3 * MIN, { body: 'b' }),
      madeAt(T0 + 3 * MIN, { body: 'a', to: '+14155550177' }),
      madeAt(T0 + 3 * MIN, { body: 'a' }),
      madeAt(T0 + 3 * MIN, { body: 'a', to: '+14155550199' }),
    ];
    expect(await repo.findDuplicates(batch, WINDOW, T0 + 3 * MIN)).toEqual([T0 + 2 * MIN, null, null, T0 + MIN, null]);
  });

  it('tells scheduled messages apart by the window they are due in', async () => {
    const day = 86_400_000;
    await repo.accept([madeAt(T0, { body: 'Take your medicine', sendAt: T0 + day })], null);
    const same = madeAt(T0 + MIN, { body: 'Take your medicine', sendAt: T0 + day + 1 });
    const nextDay = madeAt(T0 + MIN, { body: 'Take your medicine', sendAt: T0 + 2 * day });
    const now = madeAt(T0 + MIN, { body: 'Take your medicine' });
    expect(await repo.findDuplicates([same, nextDay, now], WINDOW, T0 + MIN)).toEqual([T0, null, null]);
  });

  it('compares the text itself: a row whose hash matches but whose text differs is no repeat', async () => {
    const stored = madeAt(T0, { body: 'first text' });
    await repo.accept([stored], null);
    const probe = madeAt(T0 + MIN, { body: 'second text' });
    // A collision of the 32-bit hash, made by hand.
    if (storage.native.dialect === 'sqlite')
      storage.native.db
        .prepare('UPDATE messages SET body_hash = ? WHERE id = ?')
        .run(stableHash(probe.body), stored.id);
    expect(await repo.findDuplicates([probe], WINDOW, T0 + MIN)).toEqual([null]);
  });

  it('reads the text of rows stored before the hash existed (body_hash null)', async () => {
    const stored = madeAt(T0, { body: 'old row' });
    await repo.accept([stored], null);
    if (storage.native.dialect === 'sqlite')
      storage.native.db.prepare('UPDATE messages SET body_hash = NULL WHERE id = ?').run(stored.id);
    expect(await repo.findDuplicates([madeAt(T0 + MIN, { body: 'old row' })], WINDOW, T0 + MIN)).toEqual([T0]);
  });

  it('refuses in the accepting transaction what another accept of the same flush stored first', async () => {
    const guard = { windowMs: WINDOW, now: T0 };
    // Submitted together, written in one transaction: both passed any earlier check.
    const [first, second] = await Promise.all([
      repo.accept([madeAt(T0, { body: 'same' })], null, guard),
      repo.accept([madeAt(T0, { body: 'same' })], null, guard),
    ]);
    expect(first).toEqual({ kind: 'stored' });
    expect(second).toEqual({ kind: 'stored', duplicates: [{ index: 0, earlierAt: null }] });
    expect(await jobs.depth()).toBe(1);
    // And one stored by an earlier transaction.
    expect(await repo.accept([madeAt(T0 + MIN, { body: 'same' })], null, { windowMs: WINDOW, now: T0 + MIN })).toEqual({
      kind: 'stored',
      duplicates: [{ index: 0, earlierAt: T0 }],
    });
    expect(await jobs.depth()).toBe(1);
  });

  it('stores the rest of a batch with the record its caller rewrites, and no record when nothing is left', async () => {
    await repo.accept([madeAt(T0, { body: 'seen' })], null);
    const record = { scope: 'key_1', key: 'k1', requestHash: 'h', statusCode: 202, responseBody: '{"accepted":2}' };
    const batch = [madeAt(T0 + MIN, { body: 'seen' }), madeAt(T0 + MIN, { body: 'new' })];
    const outcome = await repo.accept(batch, record, {
      windowMs: WINDOW,
      now: T0 + MIN,
      recordWithout: (duplicates) => ({ ...record, responseBody: JSON.stringify({ accepted: 2 - duplicates.length }) }),
    });
    expect(outcome).toEqual({ kind: 'stored', duplicates: [{ index: 0, earlierAt: T0 }] });
    expect(await repo.get(batch[0]!.id)).toBeNull();
    expect(await repo.get(batch[1]!.id)).not.toBeNull();
    expect((await repo.findIdempotency('key_1', 'k1'))?.responseBody).toBe('{"accepted":1}');

    const allRepeats = await repo.accept(
      [madeAt(T0 + 2 * MIN, { body: 'new' })],
      { ...record, key: 'k2' },
      { windowMs: WINDOW, now: T0 + 2 * MIN },
    );
    expect(allRepeats).toEqual({ kind: 'stored', duplicates: [{ index: 0, earlierAt: T0 + MIN }] });
    expect(await repo.findIdempotency('key_1', 'k2')).toBeNull();
  });

  it('counts a message stored without a guard (a reminder) against a guarded one in the same flush', async () => {
    const [reminder, guarded] = await Promise.all([
      repo.accept([madeAt(T0, { body: 'Your visit is tomorrow' })], null),
      repo.accept([madeAt(T0, { body: 'Your visit is tomorrow' })], null, { windowMs: WINDOW, now: T0 }),
    ]);
    expect(reminder).toEqual({ kind: 'stored' });
    expect(guarded).toEqual({ kind: 'stored', duplicates: [{ index: 0, earlierAt: null }] });
  });
});
