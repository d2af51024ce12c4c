/**
 * @module limits/postgres-counter
 * Counters in PostgreSQL, for processes that share a PostgreSQL database but no Redis. The table
 * is created here with `bigint` points (spend is counted in ten-thousandths of a currency unit,
 * which outgrows `integer` within a month of a busy account), in the schema the pool's search_path
 * names. Two processes creating it at once is harmless: the loser's duplicate-type error is ignored.
 */
import type { Pool } from 'pg';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import { LIMITS_TABLE } from './sqlite-counter.js';
import { StoreCounter } from './store-counter.js';

const UNIQUE_VIOLATION = '23505';

export async function openPostgresCounter(pool: Pool): Promise<StoreCounter> {
  try {
    await pool.query(
      `CREATE TABLE IF NOT EXISTS ${LIMITS_TABLE} (key text PRIMARY KEY, points bigint NOT NULL DEFAULT 0, expire bigint)`,
    );
  } catch (err) {
    if ((err as { code?: unknown }).code !== UNIQUE_VIOLATION) throw err;
  }
  return new StoreCounter(
    (shape) =>
      new RateLimiterPostgres({
        ...shape,
        storeClient: pool,
        storeType: 'pool',
        tableName: LIMITS_TABLE,
        tableCreated: true,
      }) as never,
  );
}
