/**
 * @module storage/migrations/0008-analytics
 * Analytics: the hourly rollups the reports read (one row per send hour and dimensions, counters
 * added to as messages move), the conversions the application reports, and tracked short links.
 * Messages get their destination country (a rollup dimension, fixed at acceptance), when a provider
 * took them (for time to delivery), and when they first converted and were first clicked (so a
 * message counts once towards a conversion rate however many events it has).
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { DIMENSION_COLUMNS, LATENCY_COLUMNS, ROLLUP_COUNTERS } from '../rollup-delta.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  for (const [column, type] of [
    ['country', 'text'],
    ['sent_at', 'bigint'],
    ['converted_at', 'bigint'],
    ['clicked_at', 'bigint'],
  ] as const) {
    await db.schema.alterTable('messages').addColumn(column, type).execute();
  }

  let rollups = db.schema.createTable('rollups');
  for (const d of DIMENSION_COLUMNS)
    rollups = rollups.addColumn(d, d === 'hour' ? 'bigint' : 'text', (c) => c.notNull());
  for (const c of [...ROLLUP_COUNTERS, 'ttd_count', 'ttd_sum_ms', ...LATENCY_COLUMNS]) {
    rollups = rollups.addColumn(c, 'bigint', (col) => col.notNull().defaultTo(0));
  }
  await rollups
    .addColumn('cost', 'double precision', (c) => c.notNull().defaultTo(0))
    // The key starts with the hour: every report is a range of hours, read along this index.
    .addPrimaryKeyConstraint('rollups_pk', [...DIMENSION_COLUMNS] as never[])
    .$call((t) => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
    .execute();

  // Experiments read one template's variants over months.
  await db.schema.createIndex('rollups_template_hour').on('rollups').columns(['template', 'hour']).execute();

  await db.schema
    .createTable('conversions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision')
    .addColumn('currency', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .$call((t) => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
  await db.schema.createIndex('conversions_message_id').on('conversions').columns(['message_id', 'at']).execute();

  await db.schema
    .createTable('short_links')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('clicks', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_click_at', 'bigint')
    .$call((t) => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
  await db.schema.createIndex('short_links_message_id').on('short_links').column('message_id').execute();
}
