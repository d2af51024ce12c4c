/**
 * @module app/pace-line
 * One sender's (or provider's) pace: so many segments a second, counted in a shared one-second
 * window so that every worker process draws on the same allowance. Jobs that are due wait here in
 * the order they came; the head counts itself in, and when the window is full it waits for the
 * next one. A job that would wait longer than `holdMs` is not held, because it would keep a worker
 * slot idle: it is promised a later place and deferred until just before it, and comes back without
 * that counting as an attempt. Places are promised one after another, so a burst of a thousand
 * messages to a 1-per-second number comes back spread over a thousand seconds, not all at once.
 */
import type { LimitCounter, LimitRule } from '../ports/limit-counter.js';
import type { Logger } from '../ports/logger.js';

export type PaceTicket = { type: 'go' } | { type: 'defer'; delayMs: number };

interface Waiter {
  points: number;
  settle(ticket: PaceTicket): void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class PaceLine {
  private readonly waiting: Waiter[] = [];
  private queued = 0;
  private draining = false;
  /** Places promised to deferred jobs run until here (epoch ms). */
  private promisedUntil = 0;

  constructor(
    private readonly counter: LimitCounter,
    /** points = segments per second, window 1 s. */
    private readonly rule: LimitRule,
    private readonly key: string,
    private readonly holdMs: number,
    private readonly logger: Logger,
  ) {}

  /** Resolves `go` when the send may start, or `defer` (also when `signal` aborts the wait). */
  acquire(points: number, signal: AbortSignal): Promise<PaceTicket> {
    const perSecond = this.rule.points;
    const waitMs = (this.queued / perSecond) * 1000;
    if (waitMs >= this.holdMs) {
      const now = Date.now();
      const place = Math.max(now + waitMs, this.promisedUntil);
      this.promisedUntil = place + (points / perSecond) * 1000;
      return Promise.resolve({ type: 'defer', delayMs: Math.max(50, Math.round(place - now - this.holdMs / 2)) });
    }
    return new Promise<PaceTicket>((resolve) => {
      const waiter: Waiter = {
        points,
        settle: (ticket) => {
          signal.removeEventListener('abort', onAbort);
          resolve(ticket);
        },
      };
      const onAbort = (): void => {
        const at = this.waiting.indexOf(waiter);
        if (at < 0) return;
        this.waiting.splice(at, 1);
        this.queued -= points;
        waiter.settle({ type: 'defer', delayMs: 0 });
      };
      if (signal.aborted) return resolve({ type: 'defer', delayMs: 0 });
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
      this.queued += points;
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.waiting.length > 0) {
        const head = this.waiting[0]!;
        let allowed = true;
        let resetInMs = 0;
        try {
          ({ allowed, resetInMs } = await this.counter.consume(this.rule, this.key, head.points));
        } catch (err) {
          // Counters unreachable: send rather than stall; the provider paces too.
          this.logger.warn({ err, key: this.key }, 'pacing counter failed; sending unpaced');
        }
        if (!allowed) {
          await sleep(Math.max(5, resetInMs + 1));
          continue;
        }
        // The head may have been aborted while it was counted in: it then went back to the queue.
        const at = this.waiting.indexOf(head);
        if (at < 0) continue;
        this.waiting.splice(at, 1);
        this.queued -= head.points;
        head.settle({ type: 'go' });
      }
    } finally {
      this.draining = false;
    }
  }
}
