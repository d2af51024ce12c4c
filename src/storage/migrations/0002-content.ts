/**
 * @module storage/migrations/0002-content
 * Templates (every version kept), the API-managed banned-word list, and on each message the
 * template, version, variant and locale it was rendered from plus its estimated and actual cost.
 * The new message columns are nullable, so adding them rewrites no existing row.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  const columns: [string, 'text' | 'integer' | 'double precision'][] = [
    ['template', 'text'],
    ['template_version', 'integer'],
    ['variant', 'text'],
    ['locale', 'text'],
    ['template_data', 'text'],
    ['cost', 'double precision'],
    ['cost_currency', 'text'],
    ['price', 'double precision'],
    ['price_currency', 'text'],
  ];
  for (const [name, type] of columns) await db.schema.alterTable('messages').addColumn(name, type).execute();
  // Results by template and variant (analytics, experiments) start from here.
  await db.schema
    .createIndex('messages_template_variant')
    .on('messages')
    .columns(['template', 'variant', 'id'])
    .where('template', 'is not', null)
    .execute();

  await db.schema
    .createTable('templates')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('current_version', 'integer')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('template_versions')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('template_versions_pk', ['name', 'version'])
    .execute();

  await db.schema
    .createTable('banned_words')
    .addColumn('term', 'text', (c) => c.primaryKey())
    .addColumn('purposes', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
