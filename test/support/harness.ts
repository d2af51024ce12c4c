/* eslint-disable @typescript-eslint/no-explicit-any -- responses are checked field by field in the assertions */
/**
 * Starts a real Tidings (runtime + HTTP server on loopback) for end-to-end tests, configured
 * through the same environment variables a user sets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { StorageBackend } from './backends.js';
import type { Clock } from '../../src/ports/clock.js';
import { freePort } from './free-port.js';
import { loadConfig } from '../../src/config/index.js';
import type { createLogger } from '../../src/observability/logger.js';
import { createRuntime, type Runtime } from '../../src/main/runtime.js';
import { startServer, type Role, type RunningServer } from '../../src/main/server.js';

export { freePort };

export const TEST_KEY = 'test-admin-key-0123456789';

/**
 * Protection defaults that the suites' own traffic trips: hundreds of messages with one text to
 * one number (per-recipient limits, duplicates), and marketing sent at whatever hour the suite
 * runs (quiet hours, which would make a result depend on the time of day). Off here; a caller's
 * env wins, and test/e2e/limits.test.ts turns them back on.
 */
export const RELAXED_LIMITS: Record<string, string> = {
  TIDINGS_RECIPIENT_LIMITS: 'off',
  TIDINGS_DUPLICATE_WINDOW: 'off',
  TIDINGS_QUIET_HOURS: 'off',
  // The suites' webhook receivers and fake providers listen on 127.0.0.1, which the SSRF guard refuses
  // by default; test/security turns it back off.
  TIDINGS_ALLOW_PRIVATE_WEBHOOKS: '1',
};

export interface Tidings {
  url: string;
  rt: Runtime;
  server: RunningServer;
  dir: string;
  api(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Where the data lives: a SQLite file in the test's directory (the default) or a fresh PostgreSQL schema. */
  backend?: StorageBackend;
  /** The runtime's clock (default: the system's); the HTTP server and rate-limit windows keep real time. */
  clock?: Clock;
  /** `api` for a test that drives the use cases by hand, with no worker loops racing it (default `all`). */
  role?: Role;
  /** The process logger (default: silent). test/security passes createLogger with an in-memory stream. */
  logger?: ReturnType<typeof createLogger>;
}

export async function startTidings(env: Record<string, string> = {}, opts: StartOptions = {}): Promise<Tidings> {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-test-'));
  const port = await freePort();
  const database =
    opts.backend?.name === 'postgres'
      ? opts.backend.freshUrl()
      : { url: `sqlite:${join(dir, 'tidings.db')}`, drop: async () => {} };
  const config = loadConfig({
    TIDINGS_DATABASE_URL: database.url,
    TIDINGS_API_KEY: TEST_KEY,
    TIDINGS_HOST: '127.0.0.1',
    TIDINGS_PORT: String(port),
    TIDINGS_PROVIDERS: 'sim://?latency=5ms&deliverAfter=50ms',
    TIDINGS_LOG_LEVEL: 'silent',
    ...RELAXED_LIMITS,
    ...env,
  });
  const rt = await createRuntime(config, {
    logger: opts.logger ?? (pino({ level: 'silent' }) as never),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const server = await startServer(rt, { role: opts.role ?? 'all' });
  const url = server.url;
  return {
    url,
    rt,
    server,
    dir,
    async api(method, path, body, headers = {}) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${TEST_KEY}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
      await database.drop();
    },
  };
}

export async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
