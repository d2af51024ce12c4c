/**
 * @module app/send-pacer
 * What the worker checks once routing has picked the provider and the sender, before the send:
 * the account's or sender's daily cap, a new sender's warm-up allowance, and the pace (segments
 * per second) of the sender and of the provider. None of them fails a message: a message over a
 * daily cap or the day's warm-up allowance waits for the next local day, and one over the pace
 * waits in line or is deferred to its place, without counting as an attempt.
 *
 * Pace comes from, in order: TIDINGS_PACING for the sender or provider; the sender's format
 * (core/sender-rate: a Twilio long code 1/s, toll-free 3/s, short code 100/s); the provider's
 * declared `capabilities.maxPerSecond` (`mps=` in its URL; Aliyun and Tencent are paced per account
 * this way, one provider being one account).
 */
import { daysBetween, localPeriods, type LocalDate } from '../core/local-time.js';
import type { LimitsPolicy } from '../core/limits-policy.js';
import { senderRateFromFormat, warmUpAllowance } from '../core/sender-rate.js';
import type { Clock } from '../ports/clock.js';
import type { LimitCounter, LimitRule } from '../ports/limit-counter.js';
import type { Logger } from '../ports/logger.js';
import type { Provider } from '../ports/provider.js';
import { PaceLine } from './pace-line.js';

export type PaceDecision =
  { type: 'go' } | { type: 'defer'; delayMs: number; reason: 'pace' | 'daily_cap' | 'warm_up' };

/** A job held in-process at most this long for its place; longer waits are deferred. */
const HOLD_MS = 2_000;
/** Messages that waited for a new day do not all come back in its first second. */
const NEW_DAY_SPREAD_MS = 60_000;
const DAY_MS = 86_400_000;
/** Chinese carriers' (and so Aliyun's and Tencent's) day is Beijing's. */
const BEIJING_KINDS = new Set(['aliyun', 'tencent']);
const WARM_START: LimitRule = { name: 'warmup.start', points: Number.MAX_SAFE_INTEGER, windowMs: DAY_MS };

const epochDay = (d: LocalDate): number => Date.UTC(d.year, d.month - 1, d.day) / DAY_MS;
const fromEpochDay = (n: number): LocalDate => {
  const d = new Date(n * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
};

export interface SendPacerDeps {
  counter: LimitCounter;
  policy: LimitsPolicy;
  clock: Clock;
  logger: Logger;
  random: () => number;
}

export class SendPacer {
  private readonly lines = new Map<string, PaceLine>();
  private readonly warmStarts = new Map<string, LocalDate>();
  /** The day each wait reason was last logged for a key, so a backlog logs once a day, not per message. */
  private readonly told = new Map<string, string>();

  constructor(private readonly deps: SendPacerDeps) {}

  /** Segments per second for the sender (null: unpaced). */
  senderRate(provider: Provider, from: string | null): number | null {
    if (from === null) return null;
    const rate = this.deps.policy.rates.get(from) ?? senderRateFromFormat(provider.kind, from);
    return rate === null || rate === 0 ? null : rate;
  }

  providerRate(provider: Provider): number | null {
    const rate = this.deps.policy.rates.get(provider.id) ?? provider.capabilities.maxPerSecond ?? null;
    return rate === null || rate === 0 ? null : rate;
  }

  async admit(provider: Provider, from: string | null, segments: number, signal: AbortSignal): Promise<PaceDecision> {
    const { policy } = this.deps;
    if (!policy.pacing) return { type: 'go' };
    const zone = BEIJING_KINDS.has(provider.kind) ? 'Asia/Shanghai' : policy.timeZone;
    if (policy.dailyCaps.size > 0 || policy.warmUp.size > 0) {
      const wait = (await this.dailyCaps(provider, from, zone)) ?? (await this.warmUp(provider, from, zone));
      if (wait) return wait;
    }
    const lines: Array<[string, number | null]> = [
      [`sender:${from}`, this.senderRate(provider, from)],
      [`provider:${provider.id}`, this.providerRate(provider)],
    ];
    for (const [key, rate] of lines) {
      if (rate === null) continue;
      const ticket = await this.line(key, rate).acquire(Math.min(segments, rate), signal);
      if (ticket.type === 'defer') return { ...ticket, reason: 'pace' };
    }
    return { type: 'go' };
  }

  private line(key: string, perSecond: number): PaceLine {
    const id = `${key}|${perSecond}`;
    let line = this.lines.get(id);
    if (!line) {
      const rule: LimitRule = { name: 'pace', points: perSecond, windowMs: 1_000 };
      line = new PaceLine(this.deps.counter, rule, key, HOLD_MS, this.deps.logger);
      this.lines.set(id, line);
    }
    return line;
  }

  private untilTomorrow(dayEndsAt: number): number {
    return dayEndsAt - this.deps.clock.now() + Math.floor(this.deps.random() * NEW_DAY_SPREAD_MS);
  }

  private tell(reason: string, key: string, day: string, detail: Record<string, unknown>): void {
    const id = `${reason}:${key}`;
    if (this.told.get(id) === day) return;
    this.told.set(id, day);
    this.deps.logger.info({ key, ...detail }, `${reason}: messages wait for the next day`);
  }

  private async dailyCaps(provider: Provider, from: string | null, zone: string): Promise<PaceDecision | null> {
    const { counter, policy, clock } = this.deps;
    const keys = [provider.id, from].filter((k): k is string => k !== null && policy.dailyCaps.has(k));
    if (keys.length === 0) return null;
    const periods = localPeriods(clock.now(), zone);
    const counted: Array<LimitRule> = [];
    for (const key of keys) {
      const cap = policy.dailyCaps.get(key)!;
      const rule: LimitRule = { name: `cap.${key}`, points: cap, windowMs: DAY_MS };
      const state = await counter.consume(rule, periods.day, 1, periods.dayEndsAt - clock.now() + 3_600_000);
      if (!state.allowed) {
        // Not sent today after all: what the other cap counted for it goes back.
        await Promise.all(counted.map((r) => counter.refund(r, periods.day, 1)));
        this.tell('daily cap reached', key, periods.day, { cap });
        return { type: 'defer', delayMs: this.untilTomorrow(periods.dayEndsAt), reason: 'daily_cap' };
      }
      counted.push(rule);
    }
    return null;
  }

  private async warmUp(provider: Provider, from: string | null, zone: string): Promise<PaceDecision | null> {
    const { counter, policy, clock } = this.deps;
    const key = [from, provider.id].find((k): k is string => k !== null && policy.warmUp.has(k));
    if (key === undefined) return null;
    const { target, since } = policy.warmUp.get(key)!;
    const periods = localPeriods(clock.now(), zone);
    const start = since !== null ? parseDate(since) : await this.firstDay(key, periods.today);
    const day = daysBetween(start, periods.today) + 1;
    const allowance = warmUpAllowance(day, target, policy.warmUpFirstDay);
    if (allowance >= target && day > 1) return null; // warmed up: nothing left to count
    const rule: LimitRule = { name: `warmup.${key}`, points: Number.MAX_SAFE_INTEGER, windowMs: DAY_MS };
    const state = await counter.consume(rule, periods.day, 1, periods.dayEndsAt - clock.now() + 3_600_000);
    if (state.consumed <= allowance) return null;
    this.tell('warm-up allowance used', key, periods.day, { day, allowance, target });
    return { type: 'defer', delayMs: this.untilTomorrow(periods.dayEndsAt), reason: 'warm_up' };
  }

  /** The sender's first day, remembered in the counters for good (every process reads the same). */
  private async firstDay(key: string, today: LocalDate): Promise<LocalDate> {
    const known = this.warmStarts.get(key);
    if (known) return known;
    const stored = await this.deps.counter.peek(WARM_START, key);
    let start = today;
    if (stored === null) await this.deps.counter.set(WARM_START, key, epochDay(today), 0);
    else start = fromEpochDay(stored.consumed);
    this.warmStarts.set(key, start);
    return start;
  }
}

function parseDate(text: string): LocalDate {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}
