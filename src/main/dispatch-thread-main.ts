/**
 * @module main/dispatch-thread-main
 * The dispatch thread's own composition root (see main/dispatch-thread): a runtime of its own on
 * the same configuration and SQLite file, running the worker's work and no HTTP server. It answers
 * the API thread's messages (dispatch-thread-protocol): `wake` (new jobs), `deliveries` (new
 * webhook deliveries), `suppressions` and `banned-words` (reload the list), `template` (read its
 * current version again), `metrics` (its counters for /metrics) and `stop`. It reports its circuits, and the suppressions it stores itself.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runBackgroundCheckpoints } from '../storage/wal-checkpoints.js';
import { adoptWriteLockBuffers } from '../storage/write-lock.js';
import { loadConfig } from '../config/index.js';
import { createLogger } from '../observability/logger.js';
import { startDispatchWork } from './dispatch-work.js';
import { createRuntime } from './runtime.js';
import {
  DISPATCH_SQLITE_CACHE_MB,
  HEALTH_REPORT_MS,
  threadMetrics,
  type ToDispatch,
  type FromDispatch,
} from './dispatch-thread-protocol.js';

const port = parentPort;
if (port === null) throw new Error('dispatch-thread-main runs only as a worker thread');
const post = (m: FromDispatch): void => port.postMessage(m);

// Before the runtime opens the database: its writes take turns with the API thread's, and give way
// to them when both wait (storage/write-lock).
adoptWriteLockBuffers((workerData as { writeLocks: Array<[string, SharedArrayBuffer]> }).writeLocks, true);
const config = loadConfig(process.env);
const logger = createLogger({ level: config.logLevel }).child({ thread: 'dispatch' });
// A small page cache: every commit of the API thread's connection empties this one's (SQLite
// resets a connection's cache when another has written), so a large one would only cost memory.
const rt = await createRuntime(config, { logger, sqliteCacheMb: DISPATCH_SQLITE_CACHE_MB });
const work = startDispatchWork(rt);
// The WAL checkpoints of both threads' commits run here, off their write path (storage/wal-checkpoints).
const checkpoints = runBackgroundCheckpoints(rt.storage, logger);
const reportHealth = (): void => post({ type: 'health', views: rt.deps.health.views() });
// A number this thread found invalid must be refused at the API thread's next accept.
rt.deps.suppressions.onChange(() => post({ type: 'suppressions' }));
const healthTimer = setInterval(reportHealth, HEALTH_REPORT_MS);

port.on('message', (m: ToDispatch) => {
  switch (m.type) {
    case 'wake':
      rt.queue.announce([]);
      return;
    case 'deliveries':
      rt.webhooks.loop.wake();
      rt.twilioCompat.loop.wake();
      return;
    case 'suppressions':
      // A STOP the API thread recorded must stop this thread's next send to that number.
      rt.deps.suppressions
        .refresh()
        .catch((err: unknown) => logger.warn({ err }, 'reloading the suppression list failed'));
      return;
    case 'banned-words':
      // The campaign runner here checks each row against them.
      rt.deps.contentFilter.refresh().catch((err: unknown) => logger.warn({ err }, 'reloading banned words failed'));
      return;
    case 'template':
      // Its campaign runner renders with the current version, which it caches for 2 s otherwise.
      rt.deps.templates.forget(m.name, false);
      return;
    case 'metrics':
      threadMetrics(rt.metrics.registry).then(
        (metrics) => post({ type: 'metrics', id: m.id, metrics }),
        (err: unknown) => post({ type: 'metrics', id: m.id, metrics: [], error: String(err) }),
      );
      return;
    case 'stop':
      clearInterval(healthTimer);
      checkpoints.stop();
      work
        .stop(m.deadlineMs)
        .then(() => rt.close())
        .then(
          () => post({ type: 'stopped' }),
          (err: unknown) => {
            logger.error({ err }, 'dispatch thread: shutdown failed');
            post({ type: 'stopped' });
          },
        );
      return;
  }
});
post({ type: 'ready' });
reportHealth();
