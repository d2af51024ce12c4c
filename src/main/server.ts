/**
 * @module main/server
 * `tidings serve`: the HTTP API and/or the dispatch worker in this process, with graceful
 * shutdown: stop taking requests, let in-flight sends finish (up to a deadline), hand back the rest.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { createDispatcher } from '../app/dispatch-message.js';
import { retryEarlyReports } from '../app/early-reports.js';
import { sweepOverdueDeliveries } from '../app/fallback-sweep.js';
import { CampaignRunner } from '../app/campaign-runner.js';
import { buildApp } from '../http/app.js';
import type { QueueWorker } from '../ports/job-queue.js';
import { packageVersion } from './package-info.js';
import type { Runtime } from './runtime.js';

export type Role = 'all' | 'api' | 'worker';

/** How often a worker looks for sent messages whose delivery deadline passed. */
const FALLBACK_SWEEP_MS = 2_000;
/** How often a worker applies again the delivery reports that came before their message was known. */
const EARLY_REPORT_SWEEP_MS = 1_000;

export interface RunningServer {
  app: FastifyInstance;
  worker: QueueWorker | null;
  url: string;
  stop(): Promise<void>;
}

export async function startServer(
  rt: Runtime,
  opts: { role: Role; port?: number; host?: string },
): Promise<RunningServer> {
  const worker =
    opts.role === 'api'
      ? null
      : rt.queue.process(createDispatcher(rt.deps), { concurrency: rt.config.workerConcurrency });
  // Workers also move sent-but-undelivered messages to their fallback channel once overdue.
  const sweep =
    worker === null
      ? null
      : setInterval(() => {
          sweepOverdueDeliveries(rt.deps).catch((err: unknown) =>
            rt.deps.logger.warn({ err }, 'fallback sweep failed; will try again'),
          );
        }, FALLBACK_SWEEP_MS);
  sweep?.unref();
  const early =
    worker === null
      ? null
      : setInterval(() => {
          retryEarlyReports(rt.deps).catch((err: unknown) =>
            rt.deps.logger.warn({ err }, 'applying parked delivery reports failed; will try again'),
          );
        }, EARLY_REPORT_SWEEP_MS);
  early?.unref();
  // Workers also deliver the application's webhooks, in a loop of their own beside the dispatch.
  if (worker !== null) rt.webhooks.loop.start();
  // And the Twilio-compatible API's status callbacks, in a loop of the same kind.
  if (worker !== null) rt.twilioCompat.loop.start();
  // And campaigns: their rows become messages here, at each campaign's rate.
  const campaignRunner = worker === null ? null : new CampaignRunner(rt.deps, rt.campaigns.campaigns);
  campaignRunner?.start();
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
        ...(worker
          ? [
              {
                name: 'worker',
                check: async () => {
                  if (!worker.running) throw new Error('worker stopped');
                },
              },
            ]
          : []),
      ],
      metrics: { contentType: rt.metrics.registry.contentType, render: () => rt.metrics.registry.metrics() },
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
        if (sweep) clearInterval(sweep);
        if (early) clearInterval(early);
        await app.close();
        // Rows of a batch cut short keep their lease and idempotency keys: the next start sends each once.
        await campaignRunner?.stop();
        // Deliveries cut short stay in the outbox, for another worker or the next start.
        await Promise.all([
          worker?.stop(rt.config.shutdownDeadlineMs),
          rt.webhooks.loop.stop(rt.config.shutdownDeadlineMs),
          rt.twilioCompat.loop.stop(rt.config.shutdownDeadlineMs),
        ]);
        await rt.close();
      })();
      return stopping;
    },
  };
}
