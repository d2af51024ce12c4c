/**
 * @module storage/migrations/0010-campaigns
 * Campaigns: one row per campaign (its settings, its pace and its running counts, so progress is
 * read from one row rather than counted over a million), one row per recipient (the unique
 * `(campaign_id, to)` is the de-duplication), and the rows refused on the way in or at sending.
 * Messages carry their campaign, indexed with their status, so counting a campaign's messages by
 * status reads the index and never the message rows.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const withoutRowid = <T extends { modifyEnd(s: ReturnType<typeof sql>): T }>(t: T): T =>
    dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t;

  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('locale', 'text')
    .addColumn('data', 'text')
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('from', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('rate', 'double precision', (c) => c.notNull())
    .addColumn('window_start', 'text')
    .addColumn('window_end', 'text')
    .addColumn('window_timezone', 'text')
    .addColumn('start_at', 'bigint')
    // The pace shared by every runner: the next batch may start once this instant has passed.
    .addColumn('paced_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_read', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('recipients', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('duplicates', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('invalid', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('accepted', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('refused', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('cancelled', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('api_key_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .execute();
  // The runners' poll: which campaigns have work.
  await db.schema.createIndex('campaigns_status').on('campaigns').columns(['status', 'id']).execute();

  await db.schema
    .createTable('campaign_recipients')
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('row', 'bigint', (c) => c.notNull())
    .addColumn('to', 'text', (c) => c.notNull())
    .addColumn('data', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    // While pending: when the row may be taken (a lease, or the opening of the recipient's window).
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('claims', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('message_id', 'text')
    .addPrimaryKeyConstraint('campaign_recipients_pk', ['campaign_id', 'row'] as never[])
    .addUniqueConstraint('campaign_recipients_to', ['campaign_id', 'to'] as never[])
    .$call(withoutRowid)
    .execute();
  await db.schema
    .createIndex('campaign_recipients_due')
    .on('campaign_recipients')
    .columns(['campaign_id', 'status', 'due_at', 'row'])
    .execute();

  await db.schema
    .createTable('campaign_rejections')
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('row', 'bigint', (c) => c.notNull())
    .addColumn('line', 'bigint')
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_rejections_pk', ['campaign_id', 'row'] as never[])
    .$call(withoutRowid)
    .execute();

  await db.schema.alterTable('messages').addColumn('campaign_id', 'text').execute();
  await db.schema.createIndex('messages_campaign').on('messages').columns(['campaign_id', 'status']).execute();
}
