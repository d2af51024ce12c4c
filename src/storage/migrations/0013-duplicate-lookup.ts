/**
 * @module storage/migrations/0013-duplicate-lookup
 * The duplicate rule ("the same text to the same number within 10 minutes") is answered from the
 * messages themselves in the embedded mode (storage/recent-duplicates), instead of a counter row
 * per (number, text) in `rate_limits`: that row went to a random place in its table, one more page
 * written per message. The lookup reads `messages_to_id`, which every accept writes anyway, and
 * needs the text's hash in it to stay inside the index: `body_hash` (core/stable-hash of the body)
 * becomes its last column. Entries stay in (to, id) order, so the listings by number read it as
 * before. Rows stored earlier have no hash; the lookup reads their body instead.
 *
 * On PostgreSQL only the column is added (no default: a change to the catalog, instant on any
 * size). Several processes accept there, so the duplicate rule keeps its counter and nothing reads
 * the hash from the index; rebuilding `messages_to_id` would lock writes to `messages` for as long
 * as a CREATE INDEX over the whole table takes. (Databases migrated before this was so have the
 * wider index; it serves the same queries.)
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema.alterTable('messages').addColumn('body_hash', 'bigint').execute();
  if (dialect !== 'sqlite') return;
  await db.schema.dropIndex('messages_to_id').execute();
  await db.schema.createIndex('messages_to_id').on('messages').columns(['to', 'id', 'body_hash']).execute();
}
