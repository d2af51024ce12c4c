/**
 * PostgreSQL specifics: what the URL options mean, numbers for bigint columns, a failing ping, and
 * that the hot queries, as the repositories really send them, are answered from an index on a
 * table of realistic size (EXPLAIN after ANALYZE). Set TIDINGS_PRINT_PLANS=1 to see the plans.
 */
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresIfReachable } from '../../test/support/backends.js';
import { makeMessage } from '../../test/support/messages.js';
import { openStorage, type Storage } from './connect.js';
import { GroupCommit } from './group-commit.js';
import type { StorageHandle } from './handle.js';
import { JobRepository } from './job-repository.js';
import { MessageRepository } from './message-repository.js';
import { createPool, postgresOptions } from './postgres.js';
import type { Database } from './schema.js';

describe('postgres:// URLs', () => {
  it('takes pool and schema from the query string and passes everything else to the driver', () => {
    const o = postgresOptions(
      'postgresql://app:s3cr%40t@db.internal:6432/tidings?pool=25&schema=notify&sslmode=require',
    );
    expect(o.pool).toBe(25);
    expect(o.schema).toBe('notify');
    expect(o.connectionString).toBe('postgresql://app:s3cr%40t@db.internal:6432/tidings?sslmode=require');
    expect(o.location).toBe('postgres://db.internal:6432/tidings (schema notify)');
    expect(o.location).not.toContain('s3cr');
  });

  it('defaults to ten connections and the search_path, and refuses options it cannot use', () => {
    expect(postgresOptions('postgres://localhost/tidings')).toMatchObject({ pool: 10, schema: null });
    expect(() => postgresOptions('postgres://localhost/t?pool=0')).toThrow(/pool/);
    expect(() => postgresOptions('postgres://localhost/t?pool=ten')).toThrow(/pool/);
    expect(() => postgresOptions('postgres://localhost/t?schema=a;drop')).toThrow(/schema/);
  });

  it('fails the readiness ping when nothing listens, instead of hanging', async () => {
    const storage = openStorage('postgres://postgres@127.0.0.1:9/none');
    await expect(storage.ping()).rejects.toThrow();
    await storage.close();
  });
});

const pg = await postgresIfReachable();

describe.skipIf(pg === null)('PostgreSQL storage', () => {
  const ROWS = 20_000;
  const T0 = Date.UTC(2030, 0, 1);
  let storage: Storage;
  let drop: () => Promise<void>;
  let logged: CompiledQuery[];
  let traced: StorageHandle;
  const sample = { id: '', to: '', reference: '', providerMessageId: '' };

  beforeAll(async () => {
    const fresh = (pg as NonNullable<typeof pg>).freshUrl();
    drop = fresh.drop;
    storage = openStorage(fresh.url);
    await storage.migrate();
    const repo = new MessageRepository(storage);
    const messages = Array.from({ length: ROWS }, (_, i) =>
      makeMessage({
        to: `+1415555${String(i % 2_000).padStart(4, '0')}`,
        reference: i % 10 === 0 ? `booking-${i}` : null,
        createdAt: T0 + i,
        // Most of the backlog is scheduled for later, as a large one is.
        ...(i % 4 === 0 ? {} : { status: 'scheduled' as const, sendAt: T0 + 86_400_000 + i }),
      }),
    );
    for (let i = 0; i < ROWS; i += 1_000) await repo.accept(messages.slice(i, i + 1_000), null);
    const sent = messages.filter((_, i) => i % 4 === 0).slice(0, 4_000);
    await Promise.all(
      sent.map((m, i) =>
        repo.recordSent({
          id: m.id,
          provider: 'sim:default',
          providerMessageId: `SIM${i}`,
          status: 'sent',
          attempt: 1,
          at: T0 + 10,
          latencyMs: 1,
        }),
      ),
    );
    // Some requests came with an idempotency key.
    await Promise.all(
      Array.from({ length: 2_000 }, (_, i) =>
        repo.accept([makeMessage({ createdAt: T0 + ROWS + i })], {
          scope: 'key_1',
          key: `order-${i}`,
          requestHash: 'h',
          statusCode: 202,
          responseBody: '{}',
        }),
      ),
    );
    await sql`analyze`.execute(storage.db);
    Object.assign(sample, {
      id: messages[12_345]?.id,
      to: messages[12_345]?.to,
      reference: 'booking-12340',
      providerMessageId: 'SIM777',
    });

    // The same repositories again, on a handle that records every statement they send.
    const opts = postgresOptions(fresh.url);
    logged = [];
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: () => createPool(opts) }),
      log: (e) => void (e.level === 'query' && logged.push(e.query)),
    });
    traced = { db, writes: new GroupCommit(db), dialect: 'postgres' };
  }, 120_000);

  afterAll(async () => {
    await traced?.db.destroy();
    await storage?.close();
    await drop?.();
  });

  it('reads bigint columns and counts as numbers', async () => {
    const { rows } = await sql<{ big: unknown; n: unknown }>`select cast(1893456000000 as bigint) as big,
      (select count(*) from messages) as n`.execute(storage.db);
    expect(rows[0]).toEqual({ big: 1893456000000, n: ROWS + 2_000 });
    expect(await new JobRepository(storage).depth()).toBe(ROWS + 2_000);
    await storage.ping();
  });

  it('keeps the recipient index as it was: migration 0013 adds only a column, and rebuilds no index', async () => {
    const { rows } = await sql<{ indexdef: string }>`select indexdef from pg_indexes
      where schemaname = current_schema() and tablename = 'messages' and indexname = 'messages_to_id'`.execute(
      storage.db,
    );
    expect(rows.map((r) => r.indexdef.replace(/^.* USING btree /, ''))).toEqual(['("to", id)']);
    const column = await sql<{ data_type: string }>`select data_type from information_schema.columns
      where table_schema = current_schema() and table_name = 'messages' and column_name = 'body_hash'`.execute(
      storage.db,
    );
    expect(column.rows).toEqual([{ data_type: 'bigint' }]);
  });

  /** Plans of the statements `run` sends (reads and updates; inserts have no plan worth checking). */
  async function plansOf(run: () => Promise<unknown>): Promise<string[]> {
    logged.length = 0;
    await run();
    const statements = logged.filter((q) => /^\s*(select|update|delete)/i.test(q.sql));
    expect(statements.length).toBeGreaterThan(0);
    const plans: string[] = [];
    for (const q of statements) {
      const res = await storage.db.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`explain ${q.sql}`, [...q.parameters]),
      );
      plans.push(res.rows.map((r) => r['QUERY PLAN']).join('\n'));
    }
    if (process.env.TIDINGS_PRINT_PLANS) console.info(plans.join('\n---\n'));
    return plans;
  }

  const fromIndexes = (plans: string[]) => {
    for (const plan of plans) {
      expect(plan).toMatch(/Index (Only )?Scan/);
      expect(plan).not.toMatch(/Seq Scan on (messages|jobs|message_events)/);
    }
  };

  it('finds a message, its events and its idempotency record by key', async () => {
    const repo = new MessageRepository(traced);
    fromIndexes(await plansOf(() => repo.events(sample.id)));
    fromIndexes(await plansOf(() => repo.findIdempotency('key_1', 'order-1234')));
  });

  it('serves list pages, with and without filters, from indexes', async () => {
    const repo = new MessageRepository(traced);
    const first = await repo.list({ limit: 50 });
    fromIndexes(await plansOf(() => repo.list({ limit: 50 })));
    fromIndexes(await plansOf(() => repo.list({ limit: 50, before: first[49]?.id ?? '' })));
    fromIndexes(await plansOf(() => repo.list({ limit: 50, status: 'sent' })));
    fromIndexes(await plansOf(() => repo.list({ limit: 50, to: sample.to })));
    fromIndexes(await plansOf(() => repo.list({ limit: 50, reference: sample.reference })));
  });

  it('matches provider reports by provider message id and updates by id', async () => {
    const repo = new MessageRepository(traced);
    const report = {
      providerMessageId: sample.providerMessageId,
      status: 'delivered' as const,
      errorCode: null,
      errorMessage: null,
      at: T0 + 20,
      detail: {},
    };
    fromIndexes(await plansOf(() => repo.applyStatus('sim:default', [report])));
  });

  it('records send results for a batch of messages by id', async () => {
    const repo = new MessageRepository(traced);
    const batch = (await repo.list({ limit: 20, status: 'queued' })).map((m) => m.id);
    const results = batch.map((id, i) =>
      i % 2 === 0
        ? repo.recordSent({
            id,
            provider: 'sim:default',
            providerMessageId: `B${i}`,
            status: 'sent',
            attempt: 1,
            at: T0 + 40,
            latencyMs: 1,
          })
        : repo.recordFailure({
            id,
            provider: 'sim:default',
            attempt: 1,
            at: T0 + 40,
            kind: 'transient',
            errorCode: '20500',
            errorMessage: 'busy',
            retryAt: T0 + 1_000,
          }),
    );
    fromIndexes(await plansOf(() => Promise.all(results)));
  });

  it('claims due jobs, and cancels by reference, from indexes', async () => {
    const jobs = new JobRepository(traced);
    const repo = new MessageRepository(traced);
    fromIndexes(await plansOf(() => jobs.claim({ limit: 50, now: T0 + 60_000, leaseMs: 30_000, leaseToken: 'w' })));
    fromIndexes(await plansOf(() => jobs.nextVisibleAt()));
    fromIndexes(await plansOf(() => repo.cancelByReference('booking-12350', T0 + 30)));
  });
});
