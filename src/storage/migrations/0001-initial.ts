/**
 * @module storage/migrations/0001-initial
 * Messages, their event log, the embedded queue's jobs, idempotency records and API keys.
 * Indexes follow the hot queries: by provider message id (callbacks), by recipient and by
 * reference (lookups), by status (lists), and jobs by due time (claims). Indexes on columns that
 * are empty at acceptance are partial, so accepting a message does not pay for them. On SQLite the
 * text-keyed tables are WITHOUT ROWID: one b-tree per row instead of a table plus a key index.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('api_key_id', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('to', 'text', (c) => c.notNull())
    .addColumn('from', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('encoding', 'text', (c) => c.notNull())
    .addColumn('segments', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('provider', 'text')
    .addColumn('provider_message_id', 'text')
    .addColumn('reference', 'text')
    .addColumn('metadata', 'text')
    .addColumn('send_at', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .$call((t) => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
  await db.schema
    .createIndex('messages_provider_message_id')
    .on('messages')
    .column('provider_message_id')
    .where(sql.ref('provider_message_id'), 'is not', null)
    .execute();
  await db.schema.createIndex('messages_to_id').on('messages').columns(['to', 'id']).execute();
  await db.schema
    .createIndex('messages_reference_id')
    .on('messages')
    .columns(['reference', 'id'])
    .where(sql.ref('reference'), 'is not', null)
    .execute();
  await db.schema.createIndex('messages_status_id').on('messages').columns(['status', 'id']).execute();

  await db.schema
    .createTable('message_events')
    .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
      // SQLite: an alias of the rowid, which grows by one without AUTOINCREMENT's extra bookkeeping.
      c.primaryKey(),
    )
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('provider', 'text')
    .addColumn('detail', 'text')
    .execute();
  await db.schema
    .createIndex('message_events_message_id')
    .on('message_events')
    .columns(['message_id', 'seq'])
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('visible_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_token', 'text')
    .$call((t) => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
  await db.schema.createIndex('jobs_visible_at').on('jobs').column('visible_at').execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('response_body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_created_at').on('idempotency_keys').column('created_at').execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull().unique())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
}
