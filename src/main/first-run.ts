/**
 * @module main/first-run
 * A fresh embedded install has no API key yet. Rather than print a secret into a terminal or a
 * log, the first start writes an admin key to a file only the owner can read, next to the
 * database, and tells the user where it is.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createApiKey } from '../app/api-keys.js';
import type { Runtime } from './runtime.js';
import { sqlitePath } from '../storage/connect.js';

export interface AuthHint {
  /** How to authenticate, for the start-up banner. */
  text: string;
}

export async function ensureAdminKey(rt: Runtime): Promise<AuthHint> {
  if (rt.config.apiKey) return { text: 'Authorization: Bearer $TIDINGS_API_KEY (from the environment)' };
  const url = rt.config.databaseUrl;
  const path = url.startsWith('sqlite:') ? sqlitePath(url) : ':memory:';
  const keyFile = path === ':memory:' ? null : join(dirname(path), 'admin.key');
  const shown = keyFile ? relative(process.cwd(), keyFile) || keyFile : null;
  if ((await rt.deps.apiKeys.count()) > 0) {
    return {
      text:
        shown && existsSync(keyFile ?? '')
          ? `Authorization: Bearer $(cat ${shown})`
          : 'Authorization: Bearer <key> (create one with `tidings keys create`)',
    };
  }
  if (!keyFile) return { text: 'no API key exists: set TIDINGS_API_KEY or run `tidings keys create`' };
  const { key } = await createApiKey(rt.deps, 'admin (created on first start)', 'admin');
  writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
  return { text: `Authorization: Bearer $(cat ${shown})   (a new admin key, written on first start)` };
}
