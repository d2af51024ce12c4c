/**
 * @module bench/lib/children
 * Every process the benchmark starts is registered here so that it is stopped whatever happens:
 * normal end, an exception, Ctrl-C or SIGTERM. Stopping is graceful first (SIGTERM: Tidings drains
 * its workers and writes its CPU profile on the way out), forceful after a deadline. Temporary
 * directories are registered too and removed last, and so are clean-ups that need the processes
 * gone first (the scaled-out runs' PostgreSQL schemas and Redis keys).
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<number | null>;
}

const live = new Set<Child>();
const tempDirs = new Set<string>();
const cleanups = new Set<() => Promise<void>>();
let keepTempDirs = false;
let interrupted = false;

/** True once Ctrl-C or SIGTERM arrived: start nothing new, the harness is on its way out. */
export function isInterrupted(): boolean {
  return interrupted;
}

export function track(name: string, proc: ChildProcess): Child {
  const exited = new Promise<number | null>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve(proc.exitCode);
    else proc.once('exit', (code) => resolve(code));
  });
  const child: Child = {
    name,
    process: proc,
    exited,
    async stop(graceMs = 15_000) {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      live.delete(child);
      return exited;
    },
  };
  live.add(child);
  void exited.then(() => live.delete(child));
  return child;
}

/** A directory to delete when the benchmark ends (unless `--keep`). */
export function removeLater(dir: string): void {
  tempDirs.add(dir);
}

/**
 * Runs `cleanup` once the processes are stopped by `stopAll` (an error, Ctrl-C), unless the owner
 * runs it first: call the returned function to run it now and forget it.
 */
export function cleanUpLater(cleanup: () => Promise<void>): () => Promise<void> {
  let once: Promise<void> | null = null;
  const run = (): Promise<void> => {
    cleanups.delete(run);
    once ??= cleanup();
    return once;
  };
  cleanups.add(run);
  return run;
}

export function keepTemporaryFiles(): void {
  keepTempDirs = true;
}

/** Stops every process still running, gracefully and in parallel. */
export async function stopAll(graceMs?: number): Promise<void> {
  await Promise.all([...live].map((c) => c.stop(graceMs)));
  const failed = await Promise.allSettled([...cleanups].map((run) => run()));
  for (const f of failed) if (f.status === 'rejected') process.stderr.write(`clean-up failed: ${String(f.reason)}\n`);
  removeTempDirs();
}

function removeTempDirs(): void {
  if (keepTempDirs) return;
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/**
 * On Ctrl-C or SIGTERM: stop the children (a second signal kills them at once) and exit 130/143.
 * On any exit: kill what is still alive, synchronously, as a last resort.
 */
export function installCleanup(): void {
  const onSignal = (signal: NodeJS.Signals, code: number) => {
    if (interrupted) {
      for (const c of live) c.process.kill('SIGKILL');
      process.exit(code);
    }
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping ${live.size} child process(es)…\n`);
    void stopAll(5_000).finally(() => process.exit(code));
  };
  process.on('SIGINT', () => onSignal('SIGINT', 130));
  process.on('SIGTERM', () => onSignal('SIGTERM', 143));
  process.on('exit', () => {
    for (const c of live) c.process.kill('SIGKILL');
    removeTempDirs();
  });
}
