/**
 * @module storage/migrations/0005-inbound
 * Inbound SMS: every reply is kept, with the outbound message it answers (the conversation), the
 * keyword or intent it carried and its sentiment. A provider's retried webhook must not store a
 * reply twice, hence the unique provider message id.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('inbound_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('provider_message_id', 'text', (c) => c.notNull())
    .addColumn('from', 'text', (c) => c.notNull())
    .addColumn('to', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('in_reply_to', 'text')
    .addColumn('reference', 'text')
    .addColumn('keyword', 'text')
    .addColumn('intent', 'text')
    .addColumn('sentiment', 'text')
    .addColumn('sentiment_score', 'double precision')
    .addColumn('auto_reply', 'text')
    .execute();
  await db.schema
    .createIndex('inbound_provider_message_id')
    .unique()
    .on('inbound_messages')
    .columns(['provider', 'provider_message_id'])
    .execute();
  await db.schema.createIndex('inbound_from_id').on('inbound_messages').columns(['from', 'id']).execute();
  await db.schema
    .createIndex('inbound_in_reply_to')
    .on('inbound_messages')
    .column('in_reply_to')
    .where(sql.ref('in_reply_to'), 'is not', null)
    .execute();
}
