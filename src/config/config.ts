/**
 * @module config/config
 * The shape of the validated, frozen configuration that config/index.ts builds from the
 * environment. Kept apart from the parsing so readers of the configuration see only what it holds.
 */
import type { Purpose } from '../core/message.js';
import type { PriceTable } from '../core/pricing.js';
import type { RoutingTable } from '../core/routing.js';
import type { LimitsPolicy } from '../core/limits-policy.js';
import type { KeywordConfig } from './keywords.js';

export interface Config {
  host: string;
  port: number;
  publicUrl: string;
  databaseUrl: string;
  /** Set: the queue is BullMQ on this Redis (scaled-out mode); unset: the embedded queue. May hold a password. */
  redisUrl: string | undefined;
  apiKey: string | undefined;
  /** Provider URLs from TIDINGS_PROVIDERS, in routing order. */
  providerUrls: readonly string[];
  /** The seed's own variables, passed to the Twilio provider as they are. */
  twilioEnv: Readonly<Record<string, string | undefined>>;
  defaultRegion: string | undefined;
  workerConcurrency: number;
  /**
   * `serve --role all` on a SQLite file dispatches on a worker thread of its own, so sending never
   * takes the API's thread (TIDINGS_DISPATCH_THREAD, default on; see main/dispatch-thread).
   */
  dispatchThread: boolean;
  /**
   * How far V8 lets the heap grow past what the last full collection kept, in percent
   * (TIDINGS_HEAP_GROWTH, default 50; 0: V8's own choice, up to about 4 times; see main/heap-growth).
   */
  heapGrowthPercent: number;
  sendTimeoutMs: number;
  /** How long a worker holds a job before another may take it (work of a crashed process comes back after this). */
  jobLeaseMs: number;
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  maxScheduleAheadMs: number;
  shutdownDeadlineMs: number;
  logLevel: string;
  /** Per-segment prices: the examples in core/pricing, overridden per provider kind by TIDINGS_PRICES(_FILE). */
  prices: Readonly<PriceTable>;
  routing: Readonly<RoutingTable>;
  circuit: { failureThreshold: number; halfOpenAfterMs: number; authIsolationMs: number; waitMaxMs: number };
  /** Path of the operator's banned-word file, if any (read by the composition root). */
  bannedWordsFile: string | undefined;
  smartEncoding: boolean;
  defaultTimezone: string;
  keywords: KeywordConfig;
  conversationWindowMs: number;
  /** Tracked short links: where they live, and where an unknown code goes (analytics). */
  links: { domain: string | undefined; fallbackUrl: string | undefined };
  /** Trials each arm of an experiment needs before a verdict. */
  experimentMinSample: number;
  /** Purposes still sent to numbers that opted out (e.g. otp). */
  suppressionExempt: readonly Purpose[];
  /** How long a sent message with a fallback channel may stay undelivered before it moves on. */
  fallbackAfterMs: number;
  /** The application's webhooks: who may be called over plain http, and how deliveries are paced and retried. */
  webhooks: {
    allowHttp: boolean;
    /** TIDINGS_ALLOW_PRIVATE_WEBHOOKS: webhook and StatusCallback URLs may point at loopback or private addresses. */
    allowPrivate: boolean;
    timeoutMs: number;
    concurrency: number;
    retryScheduleMs: readonly number[];
    /** TIDINGS_WEBHOOK_RETENTION: how long settled attempts stay in the delivery logs. */
    retentionMs: number;
  };
  /** Operator alerts: where they go (webhook and/or e-mail; the log always) and when they fire. */
  alerts: {
    webhookUrl: string | undefined;
    webhookSecret: string | undefined;
    /** An smtp(s):// provider URL (holds a password). */
    emailUrl: string | undefined;
    emailTo: readonly string[];
    failureRate: number;
    minSends: number;
    windowMs: number;
    coolDownMs: number;
  };
  /** Rate limits, per-recipient limits, quiet hours, geo and pumping guard, spend, pacing (docs/limits.md). */
  limits: Readonly<LimitsPolicy>;
}
