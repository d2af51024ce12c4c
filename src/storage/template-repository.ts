/**
 * @module storage/template-repository
 * Templates and their versions. A save reads the highest version and writes the next one in the
 * same transaction as the name's pointer, so two concurrent saves cannot claim one number (the
 * primary key on name+version would refuse the second).
 */
import type { Selectable } from 'kysely';
import type { TemplateContent, TemplateDefinition } from '../core/template.js';
import type { TemplateStore } from '../ports/template-store.js';
import type { StorageHandle } from './handle.js';
import type { TemplateVersionsTable } from './schema.js';

function fromRow(r: Selectable<TemplateVersionsTable>): TemplateDefinition {
  return {
    name: r.name,
    version: Number(r.version),
    createdAt: Number(r.created_at),
    ...(JSON.parse(r.content) as TemplateContent),
  };
}

export class TemplateRepository implements TemplateStore {
  constructor(private readonly storage: StorageHandle) {}

  async current(name: string): Promise<TemplateDefinition | null> {
    const row = await this.storage.db
      .selectFrom('templates')
      .innerJoin('template_versions', (j) =>
        j
          .onRef('template_versions.name', '=', 'templates.name')
          .onRef('template_versions.version', '=', 'templates.current_version'),
      )
      .selectAll('template_versions')
      .where('templates.name', '=', name)
      .executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  async version(name: string, version: number): Promise<TemplateDefinition | null> {
    const row = await this.storage.db
      .selectFrom('template_versions')
      .selectAll()
      .where('name', '=', name)
      .where('version', '=', version)
      .executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  async history(name: string): Promise<TemplateDefinition[]> {
    const rows = await this.storage.db
      .selectFrom('template_versions')
      .selectAll()
      .where('name', '=', name)
      .orderBy('version', 'desc')
      .execute();
    return rows.map(fromRow);
  }

  async list(): Promise<TemplateDefinition[]> {
    const rows = await this.storage.db
      .selectFrom('templates')
      .innerJoin('template_versions', (j) =>
        j
          .onRef('template_versions.name', '=', 'templates.name')
          .onRef('template_versions.version', '=', 'templates.current_version'),
      )
      .selectAll('template_versions')
      .orderBy('templates.name')
      .execute();
    return rows.map(fromRow);
  }

  save(name: string, content: TemplateContent, at: number): Promise<TemplateDefinition> {
    return this.storage.writes.run(async (tx) => {
      // The name's row is written first: on PostgreSQL that locks it, so concurrent saves of one
      // name (from other processes) take turns, and each reads the version the previous one wrote.
      await tx
        .insertInto('templates')
        .values({ name, current_version: null, updated_at: at })
        .onConflict((oc) => oc.column('name').doUpdateSet({ updated_at: at }))
        .execute();
      const top = await tx
        .selectFrom('template_versions')
        .select((eb) => eb.fn.max('version').as('v'))
        .where('name', '=', name)
        .executeTakeFirst();
      const version = Number(top?.v ?? 0) + 1;
      await tx
        .insertInto('template_versions')
        .values({ name, version, content: JSON.stringify(content), created_at: at })
        .execute();
      await tx.updateTable('templates').set({ current_version: version }).where('name', '=', name).execute();
      return { name, version, createdAt: at, ...content };
    });
  }

  remove(name: string, at: number): Promise<boolean> {
    return this.storage.writes.run(async (tx) => {
      const res = await tx
        .updateTable('templates')
        .set({ current_version: null, updated_at: at })
        .where('name', '=', name)
        .where('current_version', 'is not', null)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    });
  }
}
