/**
 * @module core/limits-policy
 * What Tidings protects, and how hard, as data: the operator's limits after configuration, with
 * the defaults a new install starts from (docs/limits.md explains each). A limit is "so many per
 * window"; windows are whole seconds because every counter store counts in seconds.
 */
import type { Purpose } from './message.js';
import type { QuietHours } from './quiet-hours.js';

export interface Rate {
  points: number;
  windowMs: number;
}

export interface SpendCap {
  /** In the currency's units, e.g. 100 (USD). */
  amount: number;
  currency: string;
}

export interface PumpingGuard {
  /** Purposes whose traffic is watched; one-time codes are what pumping abuses. */
  purposes: ReadonlySet<Purpose>;
  perCountry: Rate | null;
  /** Per number range: the E.164 number without its last PREFIX_CUT digits (a block of 1,000). */
  perPrefix: Rate | null;
  /** How long a country or range stays closed once it tripped. */
  coolOffMs: number;
}

export interface LimitsPolicy {
  /** Per API key: requests to /v1, and messages accepted (a batch counts each). */
  apiRequests: Rate | null;
  apiMessages: Rate | null;
  /** Per recipient number, by purpose; each rate is its own window. */
  recipient: Readonly<Record<Purpose, readonly Rate[]>>;
  /** The same text to the same number within this window is refused as a duplicate. */
  duplicateWindowMs: number | null;
  /** Local quiet hours by purpose (never for otp). */
  quietHours: Readonly<Partial<Record<Purpose, QuietHours>>>;
  /** Destination countries (ISO alpha-2) allowed; null: all. */
  allowedCountries: ReadonlySet<string> | null;
  pumping: PumpingGuard | null;
  spend: { day: readonly SpendCap[]; month: readonly SpendCap[]; softRatio: number };
  /** Where "a day" and "a month" are counted, for spend and daily caps (Aliyun and Tencent use Beijing time). */
  timeZone: string;
  /** False: no pacing, daily caps or warm-up in the worker. */
  pacing: boolean;
  /** Segments per second by sender (number, short code, sender id) or provider id; 0 turns one off. */
  rates: ReadonlyMap<string, number>;
  /** Messages per local day by provider id or sender. */
  dailyCaps: ReadonlyMap<string, number>;
  /** Senders being warmed up: target per day, and optionally the first day (YYYY-MM-DD). */
  warmUp: ReadonlyMap<string, { target: number; since: string | null }>;
  warmUpFirstDay: number;
}

/** Digits cut off a number to name its range for the pumping guard. */
export const PREFIX_CUT = 3;

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export const DEFAULT_LIMITS: LimitsPolicy = {
  apiRequests: null,
  apiMessages: null,
  recipient: {
    // What Chinese carriers enforce for verification codes, per number.
    otp: [
      { points: 1, windowMs: MIN },
      { points: 5, windowMs: HOUR },
      { points: 10, windowMs: DAY },
    ],
    transactional: [],
    marketing: [
      { points: 1, windowMs: HOUR },
      { points: 3, windowMs: DAY },
    ],
  },
  duplicateWindowMs: 10 * MIN,
  quietHours: { marketing: { startMinute: 21 * 60, endMinute: 8 * 60 } },
  allowedCountries: null,
  pumping: {
    purposes: new Set<Purpose>(['otp']),
    perCountry: { points: 1_000, windowMs: HOUR },
    perPrefix: { points: 20, windowMs: HOUR },
    coolOffMs: HOUR,
  },
  spend: { day: [], month: [], softRatio: 0.8 },
  timeZone: 'UTC',
  pacing: true,
  rates: new Map(),
  dailyCaps: new Map(),
  warmUp: new Map(),
  warmUpFirstDay: 50,
};

/** `1m`, `10m`, `1h`, `1d`, `90s`: a window as people write it. */
export function describeWindow(ms: number): string {
  if (ms % DAY === 0) return `${ms / DAY}d`;
  if (ms % HOUR === 0) return `${ms / HOUR}h`;
  if (ms % MIN === 0) return `${ms / MIN}m`;
  return `${Math.round(ms / 1000)}s`;
}

export function describeRate(r: Rate): string {
  return `${r.points}/${describeWindow(r.windowMs)}`;
}
