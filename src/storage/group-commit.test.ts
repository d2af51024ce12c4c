import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { memoryStorage } from '../../test/support/messages.js';
import type { Storage } from './connect.js';
import { storageBackends } from '../../test/support/backends.js';

describe.each(await storageBackends())('GroupCommit on $name', (backend) => {
  let storage: Storage;
  beforeEach(async () => {
    storage = await memoryStorage(backend);
  });
  afterEach(() => storage.close());

  const insertKey = (id: string) =>
    storage.writes.run((tx) =>
      tx
        .insertInto('api_keys')
        .values({ id, name: id, prefix: id, hash: 'h', role: 'read', created_at: 0, revoked_at: null })
        .execute(),
    );

  it('commits concurrent operations together and resolves each with its own result', async () => {
    const transactions = new Set<unknown>();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        storage.writes.run(async (tx) => {
          const row = await sql<{ n: number }>`select cast(${i} as integer) as n`.execute(tx);
          transactions.add(tx);
          return row.rows[0]?.n;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(transactions.size).toBe(1); // all fifty shared one transaction
  });

  it('isolates a failing operation: its neighbours still commit', async () => {
    await insertKey('a');
    const outcomes = await Promise.allSettled([insertKey('b'), insertKey('a'), insertKey('c')]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const rows = await storage.db.selectFrom('api_keys').select('id').orderBy('id').execute();
    expect(rows.map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });
});
