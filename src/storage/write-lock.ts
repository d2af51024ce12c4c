/**
 * @module storage/write-lock
 * One writer at a time per SQLite file across the threads of this process (the API thread and the
 * dispatch thread, main/dispatch-thread). SQLite serializes writers itself, but a connection that
 * finds the file locked sleeps in steps of 1, 2, 5, 10 ms… before it looks again, with its
 * thread's event loop stopped. This lock hands over at once: the waiter is woken (Atomics.notify)
 * as the holder commits. Other processes on the same file still meet SQLite's own busy wait.
 *
 * A waiter waits with Atomics.waitAsync, not Atomics.wait: its thread's event loop goes on. While the
 * dispatch thread commits, the API thread keeps reading and checking requests, which then join its
 * next group commit; with a blocking wait the accept benchmark showed the API thread stopped for
 * about a fifth of its time.
 */
import { resolve } from 'node:path';

/** How long a waiter sleeps before it looks again, should a wake-up ever be missed. */
const RECHECK_MS = 20;

/** The lock word (0 free, 1 held); how many API-thread writers, and how many others, wait for it. */
const HELD = 0;
const FOREGROUND_WAITING = 1;
const BACKGROUND_WAITING = 2;

export interface WriteLock {
  /** Resolves holding the lock (at once when it is free); this thread's event loop runs meanwhile. */
  acquire(): Promise<void>;
  release(): void;
}

const noop = (): void => undefined;

/** The lock words, by database file; shared with the dispatch thread through `writeLockBuffers`. */
const buffers = new Map<string, SharedArrayBuffer>();

/**
 * Whether this thread's writes give way to the API thread's (the dispatch thread's do). A request
 * is waiting on the API thread's writes; a send can wait a moment longer, and under a burst the
 * queue absorbs what dispatch has not caught up with yet.
 */
let background = false;

/** The lock of the SQLite file at `path` (the same for every connection this process opens to it). */
export function writeLock(path: string): WriteLock {
  const key = resolve(path);
  let buffer = buffers.get(key);
  if (!buffer) {
    buffer = new SharedArrayBuffer(12);
    buffers.set(key, buffer);
  }
  const word = new Int32Array(buffer);
  const take = (): boolean => Atomics.compareExchange(word, HELD, 0, 1) === 0;
  // Free but wanted by the API thread: a background writer lets it in, and looks again when it is done.
  const mayTake = background ? () => Atomics.load(word, FOREGROUND_WAITING) === 0 && take() : take;
  const waiting = background ? BACKGROUND_WAITING : FOREGROUND_WAITING;
  const sleep = background
    ? () => {
        const held = Atomics.load(word, HELD);
        return Atomics.waitAsync(word, HELD, held, held === 1 ? RECHECK_MS : 1);
      }
    : () => Atomics.waitAsync(word, HELD, 1, RECHECK_MS); // ends at once if already free
  return {
    async acquire() {
      if (mayTake()) return;
      // Counted as waiting until it holds the lock: the holder's release knows to wake it, and the
      // dispatch thread knows the API thread wants in, even between two of its sleeps.
      Atomics.add(word, waiting, 1);
      try {
        do {
          const slept = sleep();
          if (!slept.async) continue;
          // A pending waitAsync does not keep Node's event loop alive: without this timer a thread
          // with nothing else to do would exit with its transaction never run.
          const alive = setTimeout(noop, RECHECK_MS);
          await slept.value;
          clearTimeout(alive);
        } while (!mayTake());
      } finally {
        Atomics.sub(word, waiting, 1);
      }
    },
    release() {
      Atomics.store(word, HELD, 0);
      // A wake-up is a system call: only when someone sleeps (a waiter counts itself before it sleeps,
      // and its sleep ends at once if the word changed in between).
      if (Atomics.load(word, FOREGROUND_WAITING) + Atomics.load(word, BACKGROUND_WAITING) > 0) {
        Atomics.notify(word, HELD);
      }
    },
  };
}

/** This thread's lock words, for a thread it starts (pass them in `workerData`). */
export function writeLockBuffers(): Array<[string, SharedArrayBuffer]> {
  return [...buffers.entries()];
}

/**
 * In a started thread: use the lock words of the thread that started it. With `yielding`, this
 * thread's writes give way to the starting thread's whenever both wait.
 */
export function adoptWriteLockBuffers(entries: Array<[string, SharedArrayBuffer]>, yielding = false): void {
  for (const [path, buffer] of entries) buffers.set(path, buffer);
  background = yielding;
}
