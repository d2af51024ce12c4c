/**
 * @module main/dispatch-work
 * Everything a worker does besides serving health and metrics: dispatch from the queue, move
 * overdue deliveries to their fallback, apply parked delivery reports, deliver the application's
 * webhooks and the Twilio-compatible status callbacks, and run campaigns. `serve` starts it in the
 * process (roles `all` and `worker`) or on the dispatch thread (main/dispatch-thread).
 */
import { createDispatcher } from '../app/dispatch-message.js';
import { retryEarlyReports } from '../app/early-reports.js';
import { sweepOverdueDeliveries } from '../app/fallback-sweep.js';
import { CampaignRunner } from '../app/campaign-runner.js';
import type { QueueWorker } from '../ports/job-queue.js';
import type { Runtime } from './runtime.js';

/** How often a worker looks for sent messages whose delivery deadline passed. */
const FALLBACK_SWEEP_MS = 2_000;
/** How often a worker applies again the delivery reports that came before their message was known. */
const EARLY_REPORT_SWEEP_MS = 1_000;

export interface DispatchWork {
  worker: QueueWorker;
  /** Lets in-flight sends finish up to the deadline, then hands the rest back; leaves the runtime open. */
  stop(deadlineMs: number): Promise<void>;
}

export function startDispatchWork(rt: Runtime): DispatchWork {
  const worker = rt.queue.process(createDispatcher(rt.deps), { concurrency: rt.config.workerConcurrency });
  const every = (ms: number, what: string, task: () => Promise<unknown>): NodeJS.Timeout => {
    const timer = setInterval(() => {
      task().catch((err: unknown) => rt.deps.logger.warn({ err }, `${what} failed; will try again`));
    }, ms);
    timer.unref();
    return timer;
  };
  const timers = [
    every(FALLBACK_SWEEP_MS, 'fallback sweep', () => sweepOverdueDeliveries(rt.deps)),
    every(EARLY_REPORT_SWEEP_MS, 'applying parked delivery reports', () => retryEarlyReports(rt.deps)),
  ];
  rt.webhooks.loop.start();
  rt.twilioCompat.loop.start();
  // Campaign rows become messages here, at each campaign's rate.
  const campaignRunner = new CampaignRunner(rt.deps, rt.campaigns.campaigns);
  campaignRunner.start();
  return {
    worker,
    async stop(deadlineMs) {
      for (const t of timers) clearInterval(t);
      // Rows of a batch cut short keep their lease and idempotency keys: the next start sends each once.
      await campaignRunner.stop();
      // Deliveries cut short stay in the outbox, for another worker or the next start.
      await Promise.all([
        worker.stop(deadlineMs),
        rt.webhooks.loop.stop(deadlineMs),
        rt.twilioCompat.loop.stop(deadlineMs),
      ]);
    },
  };
}
