/**
 * @module app/webhook-delivery-loop
 * Delivers the outbox: leases due deliveries, POSTs each one signed, and records the attempt. It is
 * its own loop, apart from the dispatch workers, with a bound on requests in flight and a timeout
 * on each, so a slow or dead endpoint costs one slot for at most the timeout and never holds up a
 * send or the other endpoints. A failed attempt (no answer, a timeout, anything but 2xx) is tried
 * again on the retry schedule; when the schedule is spent the delivery is marked failed.
 */
import { randomUUID } from 'node:crypto';
import { webhookRetryDelay } from '../core/webhook-retry.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type {
  LeasedWebhookDelivery,
  WebhookDeliveryOutcome,
  WebhookDeliveryStore,
} from '../ports/webhook-deliveries.js';
import type { WebhookSender } from '../ports/webhook-sender.js';

export interface WebhookDeliveryOptions {
  /** Requests in flight at most, across all endpoints. */
  concurrency: number;
  /** Longest one attempt may take, connecting and answering included. */
  timeoutMs: number;
  /** Waits after each failed attempt (core/webhook-retry); its length is the number of retries. */
  schedule: readonly number[];
  /** Longest an idle loop sleeps before it looks for due deliveries again. */
  pollMs: number;
  /** How long delivered and failed attempts stay in the log before they are pruned. */
  retentionMs: number;
}

/** Pruning is cheap (a key range) but needs no doing more often than this. */
export const PRUNE_EVERY_MS = 60 * 60_000;

export interface WebhookDeliveryDeps {
  /** Only leasing and recording are needed here, so any outbox with the same lease rules will do. */
  store: Pick<WebhookDeliveryStore, 'claim' | 'complete' | 'prune'>;
  sender: WebhookSender;
  clock: Clock;
  logger: Logger;
  random: () => number;
}

/** How a failed attempt reads in the delivery log. */
export function describeFailure(err: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `timed out after ${timeoutMs} ms`;
  const e = err as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : null;
  const message = typeof e?.message === 'string' && e.message !== '' ? e.message : String(err);
  return code !== null && !message.includes(code) ? `${code}: ${message}` : message;
}

export class WebhookDeliveryLoop {
  private readonly instance = randomUUID();
  private claims = 0;
  private readonly inflight = new Set<Promise<void>>();
  private readonly halt = new AbortController();
  private wakeUp: (() => void) | null = null;
  private readonly wakeListeners: Array<() => void> = [];
  private woken = false;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private nextPruneAt = 0;

  constructor(
    private readonly deps: WebhookDeliveryDeps,
    private readonly opts: WebhookDeliveryOptions,
  ) {}

  get running(): boolean {
    return this.loop !== null && !this.stopping;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** New deliveries were stored: look now rather than at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
    for (const listener of this.wakeListeners) listener();
  }

  /** Also tell a loop elsewhere (the dispatch thread's, main/dispatch-thread) when deliveries are stored here. */
  onWake(listener: () => void): void {
    this.wakeListeners.push(listener);
  }

  /**
   * Stops claiming, lets attempts in flight finish for up to `deadlineMs`, then abandons the rest
   * unrecorded: their leases run out and another process (or the next start) tries them again.
   */
  async stop(deadlineMs = 0): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
    if (this.inflight.size > 0 && deadlineMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.inflight]),
        new Promise((r) => (timer = setTimeout(r, deadlineMs))),
      ]);
      clearTimeout(timer);
    }
    this.halt.abort();
    await Promise.allSettled([...this.inflight]);
  }

  private leaseMs(): number {
    // Outlives the slowest attempt by a wide margin, or a slow attempt would be sent twice.
    return this.opts.timeoutMs * 2 + 5_000;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const free = this.opts.concurrency - this.inflight.size;
      let claimed: LeasedWebhookDelivery[] = [];
      if (free > 0) {
        try {
          claimed = await this.deps.store.claim({
            limit: free,
            now: this.deps.clock.now(),
            leaseMs: this.leaseMs(),
            leaseToken: `${this.instance}:${++this.claims}`,
          });
        } catch (err) {
          this.deps.logger.warn({ err }, 'claiming webhook deliveries failed; will try again');
        }
        for (const d of claimed) this.track(this.deliver(d));
      }
      // A full claim means more may be due; otherwise sleep until the poll, new work, or a free slot.
      if (this.stopping || (free > 0 && claimed.length === free)) continue;
      await this.pruneWhenDue();
      await this.sleep(this.opts.pollMs);
    }
  }

  /** Keeps the log bounded: settled attempts older than the retention period go, in the idle moments. */
  private async pruneWhenDue(): Promise<void> {
    const now = this.deps.clock.now();
    if (now < this.nextPruneAt) return;
    this.nextPruneAt = now + PRUNE_EVERY_MS;
    try {
      const removed = await this.deps.store.prune(now - this.opts.retentionMs);
      if (removed > 0) this.deps.logger.info({ removed }, 'pruned settled webhook attempts past their retention');
    } catch (err) {
      this.deps.logger.warn({ err }, 'pruning settled webhook attempts failed; will try again');
    }
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => {
      this.inflight.delete(p);
      this.wake();
    });
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = null;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  private async deliver(d: LeasedWebhookDelivery): Promise<void> {
    const { clock, sender, logger } = this.deps;
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    const signal = AbortSignal.any([timeout, this.halt.signal]);
    let outcome: WebhookDeliveryOutcome;
    try {
      const { statusCode } = await sender.post(
        { url: d.url, secret: d.secret, id: d.id, timestamp: clock.now(), body: d.payload },
        signal,
      );
      outcome =
        statusCode >= 200 && statusCode < 300
          ? { type: 'delivered', statusCode }
          : this.failed(d, statusCode, `HTTP ${statusCode}`);
    } catch (err) {
      // Shutting down: leave the lease to run out rather than count an attempt we cut short.
      if (this.halt.signal.aborted) return;
      outcome = this.failed(d, null, describeFailure(err, timeout.aborted, this.opts.timeoutMs));
    }
    const log = { delivery: d.id, endpoint: d.endpointId, event: d.eventType, attempt: d.attempt };
    if (outcome.type === 'failed') {
      logger.warn({ ...log, error: outcome.error }, 'webhook delivery failed for good: retry schedule spent');
    } else if (outcome.type === 'retry') {
      logger.debug({ ...log, error: outcome.error, nextAttemptAt: outcome.nextAttemptAt }, 'webhook attempt failed');
    }
    try {
      await this.deps.store.complete([{ id: d.id, leaseToken: d.leaseToken, at: clock.now(), outcome }]);
    } catch (err) {
      // The lease runs out and the delivery is tried again: at least once, never lost.
      logger.warn({ err, ...log }, 'recording a webhook attempt failed');
    }
  }

  private failed(d: LeasedWebhookDelivery, statusCode: number | null, error: string): WebhookDeliveryOutcome {
    const wait = webhookRetryDelay(d.attempt, this.opts.schedule, this.deps.random);
    return wait === null
      ? { type: 'failed', statusCode, error }
      : { type: 'retry', statusCode, error, nextAttemptAt: this.deps.clock.now() + wait };
  }
}
