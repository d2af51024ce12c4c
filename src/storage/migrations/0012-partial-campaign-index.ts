/**
 * @module storage/migrations/0012-partial-campaign-index
 * `messages_campaign` (campaign, status) held an entry for every message, campaign or not, and
 * every status change of every message moved it: three index writes per message that no query
 * reads, since each reads one campaign's messages (`campaign_id = ?`). Now only campaign
 * messages have an entry. Both SQLite and PostgreSQL use a partial index for `campaign_id = ?`,
 * which implies the index's `campaign_id IS NOT NULL`.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.dropIndex('messages_campaign').execute();
  await db.schema
    .createIndex('messages_campaign')
    .on('messages')
    .columns(['campaign_id', 'status'])
    .where(sql.ref('campaign_id'), 'is not', null)
    .execute();
}
