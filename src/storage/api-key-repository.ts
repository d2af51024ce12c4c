/**
 * @module storage/api-key-repository
 * API key records. Only hashes are stored; see app/api-keys for how keys are made and checked.
 */
import type { Kysely, Selectable } from 'kysely';
import type { ApiKeyRecord, ApiKeyRole, ApiKeyStore } from '../ports/api-keys.js';
import type { ApiKeysTable, Database } from './schema.js';

function fromRow(r: Selectable<ApiKeysTable>): ApiKeyRecord {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    hash: r.hash,
    role: r.role as ApiKeyRole,
    createdAt: Number(r.created_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
  };
}

export class ApiKeyRepository implements ApiKeyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(k: ApiKeyRecord): Promise<void> {
    await this.db
      .insertInto('api_keys')
      .values({
        id: k.id,
        name: k.name,
        prefix: k.prefix,
        hash: k.hash,
        role: k.role,
        created_at: k.createdAt,
        revoked_at: k.revokedAt,
      })
      .execute();
  }

  async findByPrefix(prefix: string): Promise<ApiKeyRecord | null> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('prefix', '=', prefix).executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows = await this.db.selectFrom('api_keys').selectAll().orderBy('created_at').execute();
    return rows.map(fromRow);
  }

  async revoke(idOrPrefix: string, at: number): Promise<boolean> {
    const res = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: at })
      .where((eb) => eb.or([eb('id', '=', idOrPrefix), eb('prefix', '=', idOrPrefix)]))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
