/**
 * @module storage/migrations/0007-twilio-compat
 * The Twilio-compatible API: the credentials Tidings issues (Account SID, token hash, and the token
 * itself for signing callbacks), one row per message sent through it (whose it is, where its
 * status callbacks go), and the outbox of those callbacks, leased like the webhook deliveries.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('twilio_compat_accounts')
    .addColumn('sid', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('auth_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .$call((t) => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
    .execute();

  await db.schema
    .createTable('twilio_compat_messages')
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('account_sid', 'text', (c) => c.notNull())
    .addColumn('status_callback', 'text')
    .addColumn('messaging_service_sid', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .$call((t) => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
  // An account's messages, newest first: the list reads this index backwards.
  await db.schema
    .createIndex('twilio_compat_messages_account')
    .on('twilio_compat_messages')
    .columns(['account_sid', 'message_id'])
    .execute();

  await db.schema
    .createTable('twilio_callbacks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_sid', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint')
    .addColumn('lease_token', 'text')
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint')
    .$call((t) => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
  await db.schema
    .createIndex('twilio_callbacks_due')
    .on('twilio_callbacks')
    .column('next_attempt_at')
    .where(sql.ref('next_attempt_at'), 'is not', null)
    .execute();
}
