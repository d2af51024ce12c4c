/**
 * @module bench/lib/memory
 * Resident memory of another process, read from /proc/<pid>/status: VmRSS now and VmHWM, the
 * kernel's own high-water mark, which catches peaks between two samples. Linux only; elsewhere
 * the figures are null and the report says "n/a".
 */
import { readFileSync } from 'node:fs';

export interface MemoryReading {
  rssBytes: number;
  peakBytes: number;
}

export function readMemory(pid: number): MemoryReading | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    const rss = kb('VmRSS');
    const hwm = kb('VmHWM');
    if (Number.isNaN(rss)) return null;
    return { rssBytes: rss * 1024, peakBytes: Math.max(rss, Number.isNaN(hwm) ? 0 : hwm) * 1024 };
  } catch {
    return null; // not Linux, or the process is gone
  }
}

/** Samples a process's memory periodically and keeps the peak, so it survives the process. */
export class MemoryWatch {
  #peak = 0;
  #last: MemoryReading | null = null;
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 250,
  ) {
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
  }

  sample(): MemoryReading | null {
    const r = readMemory(this.pid);
    if (r) {
      this.#last = r;
      this.#peak = Math.max(this.#peak, r.peakBytes);
    }
    return r;
  }

  /** Peak resident set so far, in bytes; null when it cannot be read on this system. */
  get peakBytes(): number | null {
    return this.#last ? this.#peak : null;
  }

  stop(): number | null {
    this.sample();
    clearInterval(this.#timer);
    return this.peakBytes;
  }
}
