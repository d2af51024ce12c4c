/**
 * @module bench/lib/cpu
 * CPU time of the processes in a run, from /proc/<pid>/stat, so the report can say where the two
 * cores went: a server at 1.9 cores is CPU-bound, one at 0.6 cores waits on something else (a
 * pool, a lock, the provider). Linux only; elsewhere the figures are null.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Clock ticks per second of /proc times; 100 on every Linux that node runs on in practice. */
const TICKS = 100;

/**
 * A pseudo-pid for the whole machine: busy time of every process, from /proc/stat. With other
 * servers in play (PostgreSQL, Redis), it shows whether the cores were all taken.
 */
export const MACHINE = -1;

/**
 * A pseudo-pid for the database servers on this machine (every `postgres` and `redis-server`
 * process): what the scaled-out mode costs beyond Tidings' own processes. Backends that exit during
 * a measurement take their time with them, so this is a floor.
 */
export const DATABASES = -2;

const DATABASE_COMMANDS = new Set(['postgres', 'redis-server']);

/** User + system CPU seconds a process (or a pseudo-pid's processes) has used so far. */
export function cpuSeconds(pid: number): number | null {
  if (pid === MACHINE) return machineBusySeconds();
  if (pid === DATABASES) return databaseSeconds();
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return null;
  }
}

function databaseSeconds(): number | null {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!DATABASE_COMMANDS.has(command)) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / TICKS;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** Busy CPU seconds of all cores: everything but idle and iowait. */
function machineBusySeconds(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0); // guest time is already in user
    return (total - (ticks[3] ?? 0) - (ticks[4] ?? 0)) / TICKS;
  } catch {
    return null;
  }
}

/** Measures how many cores each named process used between construction and `stop()`. */
export class CpuMeter {
  readonly #start: Map<string, number | null>;
  readonly #t0 = performance.now();

  constructor(private readonly pids: Record<string, number>) {
    this.#start = new Map(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
  }

  /** Cores used per process (1.0 = one core busy all along); null where it could not be read. */
  stop(): Record<string, number | null> {
    const wallS = (performance.now() - this.#t0) / 1000;
    const out: Record<string, number | null> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      const before = this.#start.get(name);
      const after = cpuSeconds(pid);
      out[name] = before === null || before === undefined || after === null ? null : (after - before) / wallS;
    }
    return out;
  }
}

/** `tidings 1.62, fake 0.31` */
export function describeCores(cores: Record<string, number | null>): string {
  return Object.entries(cores)
    .map(([name, c]) => `${name} ${c === null ? 'n/a' : c.toFixed(2)}`)
    .join(', ');
}
