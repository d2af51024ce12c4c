/**
 * @module bench/lib/tidings
 * Runs Tidings the way a user does (`node dist/src/main/cli.js serve`) in a child process with a
 * fresh SQLite database in a temporary directory, and a clean environment: only the variables
 * the benchmark sets, plus any TIDINGS_* the caller exported to experiment with (a stray .env or
 * TWILIO_* variable must not change what is measured). With `cpuProf`, node writes a .cpuprofile
 * when the process exits, which it does gracefully on SIGTERM. The scaled-out mode (lib/scaled.ts)
 * starts several of these on one PostgreSQL database and one Redis, each with its `--role`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../test/support/free-port.js';
import { isInterrupted, removeLater, track } from './children.js';
import { MemoryWatch } from './memory.js';
import { paths } from './paths.js';
import type { ScaledSetup } from './scaled-store.js';

export const BENCH_API_KEY = 'bench-admin-key-0123456789abcdef';

/** Variables the harness owns; the caller's values for these are ignored. */
const OWNED = [
  'TIDINGS_PORT',
  'TIDINGS_HOST',
  'TIDINGS_DATABASE_URL',
  'TIDINGS_REDIS_URL',
  'TIDINGS_API_KEY',
  'TIDINGS_PROVIDERS',
];

export interface TidingsOptions {
  /** Names the scenario: the temporary directory and the CPU profile (`<name>.cpuprofile`). */
  name: string;
  providers: string;
  logLevel: string;
  cpuProf: boolean;
  /** Settings the scenario needs (an exported TIDINGS_* variable still wins). */
  env?: Record<string, string>;
  /** Runs the scenario against the scaled-out mode instead (see lib/scaled.ts). */
  scaled?: ScaledSetup;
}

/** One process of a deployment: its role, and where its data lives (default: SQLite in its directory). */
export interface ProcessOptions extends Omit<TidingsOptions, 'scaled'> {
  role?: 'all' | 'api' | 'worker';
  databaseUrl?: string;
  redisUrl?: string;
}

export interface TidingsProcess {
  /** Where the API answers. */
  url: string;
  /** The process that serves the API. */
  pid: number;
  /** The processes whose CPU a scenario measures, by name: `server` serves the API. */
  pids: Record<string, number>;
  /** The processes that dispatch, whose /metrics count what was sent. */
  workerUrls: string[];
  apiKey: string;
  memory: MemoryWatch;
  /** Peak resident set of each process, by the names of `pids`. */
  peakRss(): Record<string, number | null>;
  /** Bytes of the database file plus its WAL. */
  databaseBytes(): number;
  /** The end of the server's log, for error messages. */
  logTail(bytes?: number): string;
  /** False once the process has exited. */
  alive(): boolean;
  /** Graceful stop; resolves with the path of the CPU profile when one was asked for. */
  stop(): Promise<string | null>;
}

/**
 * TIDINGS_* variables from the caller's environment that reach the child (e.g.
 * TIDINGS_WORKER_CONCURRENCY); not TIDINGS_TEST_*, which tell the tests (and --scaled) where
 * PostgreSQL and Redis are, and may hold a password.
 */
export function passedThroughEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('TIDINGS_') && !k.startsWith('TIDINGS_TEST_') && !OWNED.includes(k) && v !== undefined) out[k] = v;
  }
  return out;
}

export async function startTidings(opts: ProcessOptions): Promise<TidingsProcess> {
  if (isInterrupted()) throw new Error('interrupted');
  const dir = mkdtempSync(join(tmpdir(), `tidings-bench-${opts.name}-`));
  removeLater(dir);
  const dbPath = join(dir, 'tidings.db');
  const logPath = join(dir, 'tidings.log');
  const port = await freePort();
  // Node names each thread's profile itself (CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile) in a
  // directory of this scenario's own; at the stop they are renamed after the scenario: the API
  // thread's `<name>.cpuprofile`, the dispatch thread's `<name>.dispatch.cpuprofile`.
  const profileDir = join(paths.profiles, `${opts.name}.tmp`);
  const nodeArgs = opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  if (opts.cpuProf) mkdirSync(profileDir, { recursive: true });

  // The log goes straight to a file: the harness must not spend its CPU reading a pipe.
  const log = openSync(logPath, 'a');
  const proc = spawn(process.execPath, [...nodeArgs, paths.cli, 'serve', '--role', opts.role ?? 'all'], {
    cwd: dir, // no .env from the repository is picked up
    env: {
      PATH: process.env['PATH'] ?? '',
      TIDINGS_LOG_LEVEL: opts.logLevel,
      ...opts.env,
      ...passedThroughEnv(),
      TIDINGS_HOST: '127.0.0.1',
      TIDINGS_PORT: String(port),
      TIDINGS_DATABASE_URL: opts.databaseUrl ?? `sqlite:${dbPath}`,
      ...(opts.redisUrl ? { TIDINGS_REDIS_URL: opts.redisUrl } : {}),
      TIDINGS_API_KEY: BENCH_API_KEY,
      TIDINGS_PROVIDERS: opts.providers,
    },
    stdio: ['ignore', log, log],
  });
  const child = track(`tidings:${opts.name}`, proc);
  const url = `http://127.0.0.1:${port}`;
  const logTail = (bytes = 2_000): string => {
    const text = readFileSync(logPath, 'utf8');
    return text.slice(-bytes);
  };
  let exited = false;
  void child.exited.then(() => (exited = true));
  await waitReady(url, () => exited, logTail);
  const memory = new MemoryWatch(proc.pid ?? 0);

  return {
    url,
    pid: proc.pid ?? 0,
    pids: { server: proc.pid ?? 0 },
    workerUrls: opts.role === 'api' ? [] : [url],
    apiKey: BENCH_API_KEY,
    memory,
    peakRss: () => ({ server: memory.peakBytes }),
    databaseBytes: () => fileSize(dbPath) + fileSize(`${dbPath}-wal`),
    logTail,
    alive: () => !exited,
    async stop() {
      memory.stop();
      const code = await child.stop();
      if (code !== 0) process.stderr.write(`tidings:${opts.name} exited with ${code}; log:\n${logTail()}\n`);
      return opts.cpuProf ? nameProfiles(profileDir, opts.name) : null;
    },
  };
}

/** Renames the profiles of a stopped process after its scenario; returns the API thread's. */
function nameProfiles(dir: string, name: string): string | null {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  // Thread 0 is the main thread (the API); later ones are the dispatch thread.
  const thread = (f: string): number => Number(f.split('.')[4] ?? 0);
  let main: string | null = null;
  for (const f of files.sort((a, b) => thread(a) - thread(b))) {
    const to = join(paths.profiles, thread(f) === 0 ? `${name}.cpuprofile` : `${name}.dispatch.cpuprofile`);
    renameSync(join(dir, f), to);
    if (thread(f) === 0) main = to;
  }
  rmSync(dir, { recursive: true, force: true });
  return main;
}

/**
 * Ready when our process printed its URL (the start-up banner) (so a stranger that grabbed the port
 * between our probe and our child's listen cannot pass for it) and answers /readyz.
 */
async function waitReady(url: string, exited: () => boolean, logTail: (bytes?: number) => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited()) throw new Error(`Tidings exited during start-up:\n${logTail()}`);
    try {
      if (!logTail(100_000).includes(url)) throw new Error('not listening yet');
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`Tidings was not ready within 30 s:\n${logTail()}`);
    await sleep(50);
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
