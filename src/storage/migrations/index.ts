/**
 * @module storage/migrations
 * Migrations in order, applied by Kysely's Migrator. A new migration is a new file and one line here.
 */
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { Dialect } from '../dialect.js';
import * as initial from './0001-initial.js';
import * as content from './0002-content.js';
import * as fallback from './0003-fallback.js';
import * as suppressions from './0004-suppressions.js';
import * as inbound from './0005-inbound.js';
import * as webhooks from './0006-webhooks.js';
import * as twilioCompat from './0007-twilio-compat.js';
import * as analytics from './0008-analytics.js';
import * as reminders from './0009-reminders.js';
import * as campaigns from './0010-campaigns.js';
import * as earlyReports from './0011-early-reports.js';
import * as partialCampaignIndex from './0012-partial-campaign-index.js';
import * as duplicateLookup from './0013-duplicate-lookup.js';

type DialectMigration = { up(db: Kysely<unknown>, dialect: Dialect): Promise<void> };

const MIGRATIONS: Record<string, DialectMigration> = {
  '0001-initial': initial,
  '0002-content': content,
  '0003-fallback': fallback,
  '0004-suppressions': suppressions,
  '0005-inbound': inbound,
  '0006-webhooks': webhooks,
  '0007-twilio-compat': twilioCompat,
  '0008-analytics': analytics,
  '0009-reminders': reminders,
  '0010-campaigns': campaigns,
  '0011-early-reports': earlyReports,
  '0012-partial-campaign-index': partialCampaignIndex,
  '0013-duplicate-lookup': duplicateLookup,
};

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return Object.fromEntries(
        Object.entries(MIGRATIONS).map(([name, m]) => [name, { up: (db: Kysely<unknown>) => m.up(db, dialect) }]),
      );
    },
  };
}
