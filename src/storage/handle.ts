/**
 * @module storage/handle
 * What a repository needs from an open database: the query builder, the shared group commit for
 * writes, and which SQL dialect it speaks.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from './dialect.js';
import type { GroupCommit } from './group-commit.js';
import type { Database } from './schema.js';

export interface StorageHandle {
  db: Kysely<Database>;
  /** Shared by every repository, so writes from all of them commit together. */
  writes: GroupCommit<Database>;
  dialect: Dialect;
}
