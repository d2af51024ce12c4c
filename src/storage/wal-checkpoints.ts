/**
 * @module storage/wal-checkpoints
 * WAL checkpoints off the write path. By default SQLite checkpoints inside the commit that takes
 * the WAL past 1,000 pages: that commit copies the pages into the database file and syncs it,
 * with the write lock held, so the other writer waits too. When dispatch runs on its own thread
 * (main/dispatch-thread), the dispatch thread checkpoints instead, every 100 ms, with a PASSIVE
 * checkpoint that takes no write lock: writers append to the WAL while it copies. Checkpointing
 * less often also copies a page written by many commits once, not once per 1,000 pages.
 */
import type { Logger } from '../ports/logger.js';
import type { Storage } from './storage.js';

/** How often the background checkpoint runs. */
export const CHECKPOINT_EVERY_MS = 100;

/**
 * WAL pages after which a committing connection still checkpoints itself: only when the
 * background checkpoints fall behind (or stopped), so the WAL stays bounded (about 40 MB).
 */
export const FALLBACK_CHECKPOINT_PAGES = 10_000;

export interface CheckpointResult {
  /** Pages in the WAL, and how many of them are now in the database file. */
  walPages: number;
  checkpointed: number;
}

/** This connection's commits no longer checkpoint at 1,000 pages: a background checkpoint does. */
export function leaveCheckpointsToBackground(storage: Storage): void {
  if (storage.native.dialect !== 'sqlite') return;
  storage.native.db.pragma(`wal_autocheckpoint = ${FALLBACK_CHECKPOINT_PAGES}`);
}

/** One PASSIVE checkpoint: copies what no reader still needs, waits for nobody. */
export function checkpointOnce(storage: Storage): CheckpointResult | null {
  if (storage.native.dialect !== 'sqlite') return null;
  const [row] = storage.native.db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number; checkpointed: number }>;
  return { walPages: row?.log ?? 0, checkpointed: row?.checkpointed ?? 0 };
}

/** Checkpoints every `everyMs` until stopped (and leaves this connection's commits out of it). */
export function runBackgroundCheckpoints(
  storage: Storage,
  logger: Logger,
  everyMs = CHECKPOINT_EVERY_MS,
): { stop(): void } {
  if (storage.native.dialect !== 'sqlite') return { stop() {} };
  leaveCheckpointsToBackground(storage);
  let failing = false;
  const timer = setInterval(() => {
    try {
      checkpointOnce(storage);
      failing = false;
    } catch (err) {
      // The commits' own fallback checkpoint still bounds the WAL; say so once, not ten times a second.
      if (!failing) logger.warn({ err }, 'background WAL checkpoint failed; commits will checkpoint instead');
      failing = true;
    }
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
