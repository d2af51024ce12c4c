/**
 * @module storage/migrations/0003-fallback
 * Channel fallback: the channels a message still has to try, the recipient's other contact points,
 * and when a sent-but-undelivered message moves on. The partial index keeps the sweep for overdue
 * messages cheap however many messages never had a fallback.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('messages').addColumn('fallback', 'text').execute();
  await db.schema.alterTable('messages').addColumn('contacts', 'text').execute();
  await db.schema.alterTable('messages').addColumn('fallback_at', 'bigint').execute();
  await db.schema
    .createIndex('messages_fallback_at')
    .on('messages')
    .column('fallback_at')
    .where('fallback_at', 'is not', null)
    .execute();
}
