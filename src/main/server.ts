/**
 * @module main/server
 * `tidings serve`: the HTTP API and/or the dispatch worker (in this thread, or on the dispatch
 * thread), with graceful shutdown: stop taking requests, let in-flight sends finish (up to a
 * deadline), hand back the rest.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { buildApp } from '../http/app.js';
import type { QueueWorker } from '../ports/job-queue.js';
import { DispatchThread } from './dispatch-thread.js';
import { startDispatchWork } from './dispatch-work.js';
import { packageVersion } from './package-info.js';
import type { Runtime } from './runtime.js';

export type Role = 'all' | 'api' | 'worker';

export interface RunningServer {
  app: FastifyInstance;
  /** The in-process worker; null with `--role api`, and when dispatch runs on the thread. */
  worker: QueueWorker | null;
  url: string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  role: Role;
  port?: number;
  host?: string;
  /** With role `all`: dispatch on a worker thread instead of this one (main/dispatch-thread). */
  dispatchThread?: boolean;
}

export async function startServer(rt: Runtime, opts: ServerOptions): Promise<RunningServer> {
  const thread = opts.role === 'all' && opts.dispatchThread ? await DispatchThread.start(rt) : null;
  const work = opts.role === 'api' || thread !== null ? null : startDispatchWork(rt);
  const worker = work?.worker ?? null;
  const dispatching = worker !== null || thread !== null;
  const app = await buildApp({
    app: rt.deps,
    verifier: rt.verifier,
    publicUrl: rt.config.publicUrl,
    twilioCompat: rt.twilioCompat.http(rt.deps),
    campaigns: rt.campaigns,
    apiRoutes: opts.role !== 'worker',
    logger: rt.logger as unknown as FastifyBaseLogger,
    version: packageVersion(),
    health: {
      checks: [
        { name: 'database', check: () => rt.storage.ping() },
        // A queue outside the database (Redis) must answer too: API processes relay into it.
        ...(rt.queue.ping ? [{ name: 'queue', check: () => rt.queue.ping?.() ?? Promise.resolve() }] : []),
        ...(dispatching
          ? [
              {
                name: 'worker',
                check: async () => {
                  if (!(worker?.running ?? thread?.running)) throw new Error('worker stopped');
                },
              },
            ]
          : []),
      ],
      metrics: {
        contentType: rt.metrics.registry.contentType,
        render: () => (thread ? thread.render(rt.metrics.registry) : rt.metrics.registry.metrics()),
      },
    },
  });
  const address = await app.listen({ port: opts.port ?? rt.config.port, host: opts.host ?? rt.config.host });
  let stopping: Promise<void> | null = null;
  return {
    app,
    worker,
    url: address.replace('[::1]', 'localhost'),
    stop() {
      stopping ??= (async () => {
        await app.close();
        await work?.stop(rt.config.shutdownDeadlineMs);
        await thread?.stop(rt.config.shutdownDeadlineMs);
        await rt.close();
      })();
      return stopping;
    },
  };
}
