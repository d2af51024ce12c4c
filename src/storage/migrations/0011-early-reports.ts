/**
 * @module storage/migrations/0011-early-reports
 * Delivery reports parked until the message they are about is known (see ports/early-reports).
 * The table is empty almost always; the index keeps "oldest first" cheap when it is not.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('early_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('report', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('early_reports_received_at').on('early_reports').column('received_at').execute();
}
