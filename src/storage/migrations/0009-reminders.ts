/**
 * @module storage/migrations/0009-reminders
 * Appointment reminders: one row per reference (the booking), and one per offset naming the
 * message that carries it (null when the offset was already past). The reminder row has a version
 * that every change bumps, so two changes at once cannot both win. Replies find their reminder
 * through the message they answer, hence the index on message_id.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('reminders')
    .addColumn('reference', 'text', (c) => c.primaryKey())
    .addColumn('api_key_id', 'text', (c) => c.notNull())
    .addColumn('appointment_at', 'bigint', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('offsets', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reply', 'text')
    .addColumn('replied_at', 'bigint')
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .$call((t) => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
    .execute();

  await db.schema
    .createTable('reminder_messages')
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('offset_label', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('send_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('reminder_messages_pk', ['reference', 'offset_label'] as never[])
    .$call((t) => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
  await db.schema.createIndex('reminder_messages_message_id').on('reminder_messages').column('message_id').execute();
}
