/**
 * @module storage/write-lock
 * One writer at a time per SQLite file across the threads of this process (the API thread and the
 * dispatch thread, main/dispatch-thread). SQLite serializes writers itself, but a connection that
 * finds the file locked sleeps in steps of 1, 2, 5, 10 ms… before it looks again, with its
 * thread's event loop stopped. This lock hands over at once: the waiter is woken (Atomics.notify)
 * as the holder commits. Other processes on the same file still meet SQLite's own busy wait.
 */
import { resolve } from 'node:path';

/** How long a waiter sleeps before it looks again, should a wake-up ever be missed. */
const RECHECK_MS = 20;

export interface WriteLock {
  acquire(): void;
  release(): void;
}

/** The lock words, by database file; shared with the dispatch thread through `writeLockBuffers`. */
const buffers = new Map<string, SharedArrayBuffer>();

/** The lock of the SQLite file at `path` (the same for every connection this process opens to it). */
export function writeLock(path: string): WriteLock {
  const key = resolve(path);
  let buffer = buffers.get(key);
  if (!buffer) {
    buffer = new SharedArrayBuffer(4);
    buffers.set(key, buffer);
  }
  const word = new Int32Array(buffer);
  return {
    acquire() {
      while (Atomics.compareExchange(word, 0, 0, 1) !== 0) Atomics.wait(word, 0, 1, RECHECK_MS);
    },
    release() {
      Atomics.store(word, 0, 0);
      Atomics.notify(word, 0, 1);
    },
  };
}

/** This thread's lock words, for a thread it starts (pass them in `workerData`). */
export function writeLockBuffers(): Array<[string, SharedArrayBuffer]> {
  return [...buffers.entries()];
}

/** In a started thread: use the lock words of the thread that started it. */
export function adoptWriteLockBuffers(entries: Array<[string, SharedArrayBuffer]>): void {
  for (const [path, buffer] of entries) buffers.set(path, buffer);
}
