/**
 * @module storage/banned-word-repository
 * The API-managed banned-word list, replaced as a whole so a list never exists half-written.
 */
import type { Purpose } from '../core/message.js';
import type { BannedWordStore, StoredBannedTerm } from '../ports/banned-word-store.js';
import type { StorageHandle } from './handle.js';
import { chunk } from './rows.js';

export class BannedWordRepository implements BannedWordStore {
  constructor(private readonly storage: StorageHandle) {}

  async list(): Promise<StoredBannedTerm[]> {
    const rows = await this.storage.db.selectFrom('banned_words').selectAll().orderBy('term').execute();
    return rows.map((r) => ({
      term: r.term,
      purposes: r.purposes === null ? 'all' : (JSON.parse(r.purposes) as Purpose[]),
    }));
  }

  async version(): Promise<string> {
    const row = await this.storage.db
      .selectFrom('banned_words')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('created_at').as('at')])
      .executeTakeFirst();
    return `${Number(row?.n ?? 0)}:${Number(row?.at ?? 0)}`;
  }

  replace(terms: readonly StoredBannedTerm[], at: number): Promise<void> {
    return this.storage.writes.run(async (tx) => {
      await tx.deleteFrom('banned_words').execute();
      for (const part of chunk([...terms], 500)) {
        await tx
          .insertInto('banned_words')
          .values(
            part.map((t) => ({
              term: t.term,
              purposes: t.purposes === 'all' ? null : JSON.stringify(t.purposes),
              created_at: at,
            })),
          )
          .execute();
      }
    });
  }
}
