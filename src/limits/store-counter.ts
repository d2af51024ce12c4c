/**
 * @module limits/store-counter
 * The LimitCounter port on rate-limiter-flexible: one limiter per rule (its points, window and
 * cooling-off), made lazily by a store-specific factory (SQLite, PostgreSQL, Redis), all sharing one
 * table or key space. If the store fails, each limiter falls back to an in-memory one of the same
 * shape (the library's "insurance"), so an outage of the counters loosens limits to per-process
 * ones instead of refusing every message.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Count, CounterState, LimitCounter, LimitRule } from '../ports/limit-counter.js';

/** The part of a rate-limiter-flexible limiter this adapter uses. */
export interface FlexibleLimiter {
  consume(key: string, points: number, options?: { customDuration?: number }): Promise<RateLimiterRes>;
  reward(key: string, points: number): Promise<RateLimiterRes>;
  get(key: string): Promise<RateLimiterRes | null>;
  set(key: string, points: number, secDuration: number): Promise<RateLimiterRes>;
}

export interface LimiterShape {
  /** Unique per rule: the key prefix in the shared table or key space. */
  keyPrefix: string;
  points: number;
  /** Seconds, as the library counts. */
  duration: number;
  blockDuration: number;
  insuranceLimiter: RateLimiterMemory;
  /** Only one limiter per store needs to sweep expired rows. */
  clearExpiredByTimeout: boolean;
}

export type LimiterFactory = (shape: LimiterShape) => FlexibleLimiter;

/** Runs a count inside something of the store's (the embedded database's group commit). */
export type Around = <T>(op: () => Promise<T>) => Promise<T>;

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

function toState(res: RateLimiterRes, allowed: boolean): CounterState {
  return { consumed: res.consumedPoints, allowed, resetInMs: Math.max(0, res.msBeforeNext) };
}

export class StoreCounter implements LimitCounter {
  private readonly limiters = new Map<string, FlexibleLimiter>();

  constructor(
    private readonly make: LimiterFactory,
    private readonly opts: { keyPrefix?: string; onClose?: () => Promise<void>; around?: Around } = {},
  ) {}

  private run<T>(op: () => Promise<T>): Promise<T> {
    return this.opts.around ? this.opts.around(op) : op();
  }

  private limiter(rule: LimitRule): FlexibleLimiter {
    const id = `${rule.name}|${rule.points}|${rule.windowMs}|${rule.blockMs ?? 0}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      const duration = seconds(rule.windowMs);
      const blockDuration = rule.blockMs ? seconds(rule.blockMs) : 0;
      limiter = this.make({
        keyPrefix: `${this.opts.keyPrefix ?? ''}${rule.name}`,
        points: rule.points,
        duration,
        blockDuration,
        insuranceLimiter: new RateLimiterMemory({ points: rule.points, duration, blockDuration }),
        clearExpiredByTimeout: this.limiters.size === 0,
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  consume(rule: LimitRule, key: string, points: number, windowMs?: number): Promise<CounterState> {
    return this.run(() => this.count({ rule, key, points, ...(windowMs === undefined ? {} : { windowMs }) }));
  }

  consumeMany(counts: readonly Count[]): Promise<CounterState[]> {
    if (counts.length === 1)
      return this.consume(counts[0]!.rule, counts[0]!.key, counts[0]!.points, counts[0]!.windowMs).then((s) => [s]);
    return this.run(() => Promise.all(counts.map((c) => this.count(c))));
  }

  private async count({ rule, key, points, windowMs }: Count): Promise<CounterState> {
    const options = windowMs === undefined ? {} : { customDuration: seconds(windowMs) };
    try {
      return toState(await this.limiter(rule).consume(key, points, options), true);
    } catch (err) {
      // The library rejects with the counter's state when the key is over its points.
      if (err instanceof RateLimiterRes) return toState(err, false);
      throw err;
    }
  }

  async refund(rule: LimitRule, key: string, points: number): Promise<void> {
    const limiter = this.limiter(rule);
    if (points > 0) await this.run(() => limiter.reward(key, points));
  }

  async peek(rule: LimitRule, key: string): Promise<CounterState | null> {
    const res = await this.limiter(rule).get(key);
    return res === null ? null : toState(res, res.consumedPoints <= rule.points);
  }

  async set(rule: LimitRule, key: string, points: number, windowMs: number): Promise<void> {
    const limiter = this.limiter(rule);
    await this.run(() => limiter.set(key, points, windowMs === 0 ? 0 : seconds(windowMs)));
  }

  async close(): Promise<void> {
    await this.opts.onClose?.();
  }
}
