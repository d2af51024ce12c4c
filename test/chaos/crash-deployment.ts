/**
 * @module test/chaos/crash-deployment
 * The Tidings processes a chaos run kills and restarts: one `tidings serve` on a SQLite file
 * (embedded), or two API and two worker processes on one PostgreSQL schema and one Redis prefix
 * (scaled). A restarted process keeps its data (same file, same schema) but gets a new port, as a
 * supervisor would restart it; clients ask for the API addresses alive now.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeLater } from '../../bench/lib/children.js';
import { freshStore, type ScaledStore } from '../../bench/lib/scaled-store.js';
import { startTidings, type TidingsProcess } from '../../bench/lib/tidings.js';

export type Role = 'all' | 'api' | 'worker';

/** One process slot: what it runs, and the process in it now. */
export interface Slot {
  name: string;
  role: Role;
  current: TidingsProcess;
}

export interface DeploymentOptions {
  scaled: boolean;
  providers: string;
  /** Sends in flight per sending process: the bound on what a kill can leave half-done. */
  concurrency: number;
  postgresUrl: string;
  redisUrl: string;
}

export interface Deployment {
  readonly slots: readonly Slot[];
  /** API base URLs of the processes alive now. */
  apiUrls(): string[];
  /** SIGKILL the slot's process, wait for it to be gone, start a fresh one in its place. */
  killAndRestart(slot: Slot): Promise<void>;
  /** SIGTERM every process, then drop the scaled store. */
  stop(): Promise<void>;
}

export async function startDeployment(opts: DeploymentOptions): Promise<Deployment> {
  const env = {
    TIDINGS_WORKER_CONCURRENCY: String(opts.concurrency),
    // A dead process's jobs come back after the lease: max(lease, 2 × send timeout) = 2 s.
    TIDINGS_SEND_TIMEOUT: '1s',
    TIDINGS_JOB_LEASE: '2s',
    TIDINGS_SHUTDOWN_DEADLINE: '5s',
  };
  let store: ScaledStore | null = null;
  let dir: string | null = null;
  let databaseUrl: string;
  let redisUrl: string | undefined;
  if (opts.scaled) {
    store = freshStore({ postgresUrl: opts.postgresUrl, redisUrl: opts.redisUrl, workers: 2 });
    databaseUrl = store.databaseUrl;
    redisUrl = store.redisUrl;
  } else {
    dir = mkdtempSync(join(tmpdir(), 'tidings-chaos-'));
    removeLater(dir);
    databaseUrl = `sqlite:${join(dir, 'tidings.db')}`;
  }
  let generation = 0;
  const start = (name: string, role: Role): Promise<TidingsProcess> =>
    startTidings({
      name: `chaos-${name}-${++generation}`,
      role,
      providers: opts.providers,
      logLevel: 'warn',
      cpuProf: false,
      env,
      databaseUrl,
      ...(redisUrl ? { redisUrl } : {}),
    });

  const slots: Slot[] = [];
  try {
    if (!opts.scaled) slots.push({ name: 'tidings', role: 'all', current: await start('tidings', 'all') });
    else {
      // The first API process migrates the fresh schema; the others start on a migrated one.
      slots.push({ name: 'api-1', role: 'api', current: await start('api-1', 'api') });
      const others = await Promise.all([
        start('api-2', 'api'),
        start('worker-1', 'worker'),
        start('worker-2', 'worker'),
      ]);
      slots.push(
        { name: 'api-2', role: 'api', current: others[0]! },
        { name: 'worker-1', role: 'worker', current: others[1]! },
        { name: 'worker-2', role: 'worker', current: others[2]! },
      );
    }
  } catch (err) {
    await Promise.all(slots.map((s) => s.current.stop()));
    await store?.drop();
    throw err;
  }

  return {
    slots,
    apiUrls: () => slots.filter((s) => s.role !== 'worker' && s.current.alive()).map((s) => s.current.url),
    async killAndRestart(slot) {
      process.kill(slot.current.pid, 'SIGKILL');
      while (slot.current.alive()) await new Promise((r) => setTimeout(r, 10));
      slot.current = await start(slot.name, slot.role);
    },
    async stop() {
      await Promise.all(slots.map((s) => s.current.stop()));
      await store?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true }); // also when no harness removes it (vitest)
    },
  };
}
