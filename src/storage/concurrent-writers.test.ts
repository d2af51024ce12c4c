/**
 * Several processes on one PostgreSQL database: each handle here has its own connection pool and
 * its own group commit, as a separate process would. These races cannot happen on SQLite (one
 * process, one writer), so this suite runs on PostgreSQL only.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postgresIfReachable } from '../../test/support/backends.js';
import { makeMessage } from '../../test/support/messages.js';
import type { TemplateContent } from '../core/template.js';
import type { Transaction } from 'kysely';
import type { Storage } from './connect.js';
import { JobRepository } from './job-repository.js';
import { MessageRepository } from './message-repository.js';
import type { Database } from './schema.js';
import { TemplateRepository } from './template-repository.js';

const T0 = Date.UTC(2030, 0, 1);
const pg = await postgresIfReachable();
const PROCESSES = 3;

const content = (body: string): TemplateContent => ({
  bodies: { default: body },
  variants: [],
  providerTemplates: {},
  replies: {},
  purpose: null,
  description: null,
});

describe.skipIf(pg === null)('several processes on one PostgreSQL database', () => {
  let handles: Storage[];
  let close: () => Promise<void>;
  let repos: MessageRepository[];

  beforeEach(async () => {
    ({ handles, close } = await (pg as NonNullable<typeof pg>).openShared(PROCESSES));
    repos = handles.map((h) => new MessageRepository(h));
  });
  afterEach(() => close());

  it('never leases one job to two claimers', async () => {
    const messages = Array.from({ length: 900 }, (_, i) => makeMessage({ createdAt: T0 - 1_000 + i }));
    await repos[0]?.accept(messages, null);
    const claimers = handles.map((h) => new JobRepository(h));
    const claimedBy = claimers.map(() => [] as string[]);
    await Promise.all(
      claimers.map(async (jobs, i) => {
        // Several claims in flight per process, as a busy worker has.
        const loop = async () => {
          for (;;) {
            const got = await jobs.claim({ limit: 40, now: T0, leaseMs: 60_000, leaseToken: `w${i}` });
            if (got.length === 0) return;
            claimedBy[i]?.push(...got.map((j) => j.id));
          }
        };
        await Promise.all([loop(), loop()]);
      }),
    );
    const all = claimedBy.flat();
    expect(all.length).toBe(messages.length);
    expect(new Set(all).size).toBe(messages.length);
    // Every process got a share: they claimed side by side rather than one after another.
    for (const ids of claimedBy) expect(ids.length).toBeGreaterThan(0);
  });

  it('stores one message for an idempotency key that several processes use at once', async () => {
    for (let round = 0; round < 10; round++) {
      const record = { scope: 'key_1', key: `k${round}`, requestHash: 'h', statusCode: 202, responseBody: '{}' };
      const sent = repos.map(() => makeMessage());
      const outcomes = await Promise.all(repos.map((r, i) => r.accept([sent[i] as never], record)));
      expect(outcomes.filter((o) => o.kind === 'stored').length).toBe(1);
      expect(outcomes.filter((o) => o.kind === 'existing').length).toBe(PROCESSES - 1);
      const stored = await Promise.all(sent.map((m) => repos[0]?.get(m.id)));
      expect(stored.filter((m) => m !== null).length).toBe(1);
    }
  });

  it('numbers concurrent template saves from several processes without gaps or repeats', async () => {
    const stores = handles.map((h) => new TemplateRepository(h));
    const saved = await Promise.all(
      stores.flatMap((s, i) => [0, 1, 2, 3].map((j) => s.save('welcome', content(`p${i} save ${j}`), T0 + j))),
    );
    const versions = saved.map((t) => t.version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: saved.length }, (_, i) => i + 1));
    const history = await stores[0]?.history('welcome');
    expect(history?.map((t) => t.version)).toEqual([...versions].reverse());
    expect((await stores[0]?.current('welcome'))?.version).toBe(saved.length);
  });

  it('runs a transaction again when PostgreSQL picks it as the victim of a deadlock', async () => {
    const key = (id: string) => ({
      id,
      name: id,
      prefix: id,
      hash: 'h',
      role: 'read',
      created_at: 0,
      revoked_at: null,
    });
    await handles[0]?.db
      .insertInto('api_keys')
      .values([key('a'), key('b')])
      .execute();
    let arrived = 0;
    let bothHoldOne: () => void = () => {};
    const barrier = new Promise<void>((r) => (bothHoldOne = r));
    // Each takes one row, waits until the other holds the other row, then asks for it.
    const crossing = (first: string, second: string) => async (tx: Transaction<Database>) => {
      await tx
        .updateTable('api_keys')
        .set({ name: `by ${first}` })
        .where('id', '=', first)
        .execute();
      if (++arrived === 2) bothHoldOne();
      await barrier;
      await tx
        .updateTable('api_keys')
        .set({ name: `by ${first}` })
        .where('id', '=', second)
        .execute();
      return first;
    };
    const results = await Promise.all([
      handles[0]?.writes.run(crossing('a', 'b')),
      handles[1]?.writes.run(crossing('b', 'a')),
    ]);
    expect(results).toEqual(['a', 'b']);
    expect(arrived).toBe(3); // the victim ran once more, after the winner committed
  });

  it('applies one of two conflicting final reports per message, whichever process gets there first', async () => {
    const messages = Array.from({ length: 300 }, () => makeMessage());
    await repos[0]?.accept(messages, null);
    await Promise.all(
      messages.map((m, i) =>
        repos[0]?.recordSent({
          id: m.id,
          provider: 'sim:default',
          providerMessageId: `SIM${i}`,
          status: 'sent',
          attempt: 1,
          at: T0,
          latencyMs: 1,
        }),
      ),
    );
    const report = (i: number, status: 'delivered' | 'undelivered') => ({
      providerMessageId: `SIM${i}`,
      status,
      errorCode: null,
      errorMessage: null,
      at: T0 + 1,
      detail: {},
    });
    const [a, b] = await Promise.all([
      repos[1]?.applyStatus(
        'sim:default',
        messages.map((_, i) => report(i, 'delivered')),
      ),
      repos[2]?.applyStatus(
        'sim:default',
        [...messages.keys()].reverse().map((i) => report(i, 'undelivered')),
      ),
    ]);
    const appliedA = new Set(a?.filter((x) => x.applied).map((x) => x.messageId));
    const appliedB = new Set(b?.filter((x) => x.applied).map((x) => x.messageId));
    for (const m of messages) {
      expect(appliedA.has(m.id) !== appliedB.has(m.id)).toBe(true);
      const stored = await repos[0]?.get(m.id);
      expect(stored?.status).toBe(appliedA.has(m.id) ? 'delivered' : 'undelivered');
    }
  });
});
