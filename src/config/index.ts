/**
 * @module config
 * Configuration is read once, at start, from the environment (a `.env` file is loaded by the
 * composition root first), validated, and frozen. Secrets may also come from mounted files:
 * for any secret variable X, X_FILE names a file holding its value (Docker/Kubernetes secrets).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PURPOSES, type Purpose } from '../core/message.js';
import type { PriceTable } from '../core/pricing.js';
import { DEFAULT_RETRY_POLICY } from '../core/retry.js';
import { DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS } from '../core/webhook-retry.js';
import type { RoutingTable } from '../core/routing.js';
import { parseKeywords, type KeywordConfig } from './keywords.js';
import { loadPrices } from './prices.js';
import { LimitsConfigError, parseLimits } from './limits.js';
import type { LimitsPolicy } from '../core/limits-policy.js';
import { parseRouting } from './routing.js';
import type { Config } from './config.js';

export type { Config } from './config.js';

const duration = z
  .string()
  .regex(/^\d+(\.\d+)?(ms|s|m|h|d)?$/, 'a duration like 500ms, 10s, 5m, 1h or 30d')
  .transform((v) => {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(v);
    const n = Number(m?.[1]);
    const unit = m?.[2] ?? 'ms';
    const factor = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit] ?? 1;
    return Math.round(n * factor);
  });

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const EnvSchema = z.object({
  TIDINGS_HOST: z.string().default('127.0.0.1'),
  TIDINGS_PORT: int(0, 65535).optional(),
  PORT: int(0, 65535).optional(),
  TIDINGS_PUBLIC_URL: z.string().url().optional(),
  TIDINGS_DATABASE_URL: z.string().default('sqlite:./data/tidings.db'),
  TIDINGS_REDIS_URL: z
    .string()
    .refine((v) => /^rediss?:\/\/[^/?#]/.test(v) && URL.canParse(v), 'a URL like redis://:password@host:6379/0')
    .optional(),
  TIDINGS_API_KEY: z.string().min(16, 'TIDINGS_API_KEY must be at least 16 characters').optional(),
  TIDINGS_PROVIDERS: z.string().optional(),
  TIDINGS_DEFAULT_REGION: z
    .string()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 country code such as US or CN')
    .optional(),
  TIDINGS_WORKER_CONCURRENCY: int(1, 10_000).default(256),
  TIDINGS_DISPATCH_THREAD: z.enum(['on', 'off', 'true', 'false', '1', '0']).default('on'),
  TIDINGS_HEAP_GROWTH: int(0, 300).default(50),
  TIDINGS_SEND_TIMEOUT: duration.prefault('10s'),
  TIDINGS_JOB_LEASE: duration.optional(),
  TIDINGS_RETRY_MAX_ATTEMPTS: int(1, 100).default(DEFAULT_RETRY_POLICY.maxAttempts),
  TIDINGS_RETRY_BASE_DELAY: duration.prefault(`${DEFAULT_RETRY_POLICY.baseDelayMs}ms`),
  TIDINGS_RETRY_MAX_DELAY: duration.prefault(`${DEFAULT_RETRY_POLICY.maxDelayMs}ms`),
  TIDINGS_MAX_SCHEDULE_AHEAD: duration.prefault('400d'),
  TIDINGS_SHUTDOWN_DEADLINE: duration.prefault('10s'),
  TIDINGS_ROUTING: z.string().optional(),
  TIDINGS_ROUTING_FILE: z.string().optional(),
  TIDINGS_CIRCUIT_THRESHOLD: int(1, 1000).default(5),
  TIDINGS_CIRCUIT_HALF_OPEN_AFTER: duration.prefault('10s'),
  TIDINGS_CIRCUIT_WAIT_MAX: duration.prefault('1h'),
  TIDINGS_AUTH_ISOLATION: duration.prefault('5m'),
  TIDINGS_SUPPRESSION_EXEMPT: z
    .string()
    .default('')
    .refine(
      (v) => v.split(',').every((p) => p.trim() === '' || (PURPOSES as readonly string[]).includes(p.trim())),
      `a comma-separated list of purposes (${PURPOSES.join(', ')})`,
    ),
  TIDINGS_KEYWORDS: z.string().optional(),
  TIDINGS_CONVERSATION_WINDOW: duration.prefault('7d'),
  TIDINGS_LINK_DOMAIN: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u), 'an http(s) URL such as https://t.example.com')
    .optional(),
  TIDINGS_LINK_FALLBACK_URL: z.string().url().optional(),
  TIDINGS_EXPERIMENT_MIN_SAMPLE: int(1, 10_000_000).default(100),
  TIDINGS_FALLBACK_AFTER: duration.prefault('15m'),
  TIDINGS_PRICES: z.string().optional(),
  TIDINGS_PRICES_FILE: z.string().optional(),
  TIDINGS_BANNED_WORDS_FILE: z.string().optional(),
  TIDINGS_SMART_ENCODING: z.enum(['on', 'off', 'true', 'false', '1', '0']).default('off'),
  TIDINGS_DEFAULT_TIMEZONE: z
    .string()
    .default('UTC')
    .refine((tz) => isTimeZone(tz), 'an IANA timezone such as UTC, Europe/London or Asia/Shanghai'),
  TIDINGS_ALLOW_HTTP_WEBHOOKS: z.enum(['1', '0', 'true', 'false', 'on', 'off']).default('0'),
  TIDINGS_ALLOW_PRIVATE_WEBHOOKS: z.enum(['1', '0', 'true', 'false', 'on', 'off']).default('0'),
  TIDINGS_WEBHOOK_TIMEOUT: duration.prefault('10s'),
  TIDINGS_WEBHOOK_CONCURRENCY: int(1, 1_000).default(16),
  TIDINGS_WEBHOOK_RETENTION: duration.prefault('30d'),
  TIDINGS_WEBHOOK_RETRY_SCHEDULE: z
    .string()
    .transform((v) => v.split(',').map((p) => p.trim()))
    .pipe(z.array(duration).min(1))
    .optional(),
  TIDINGS_ALERT_WEBHOOK_URL: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'an http(s) URL')
    .optional(),
  TIDINGS_ALERT_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'whsec_ and base64')
    .optional(),
  TIDINGS_ALERT_EMAIL_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL')
    .optional(),
  TIDINGS_ALERT_EMAIL_TO: z.string().optional(),
  TIDINGS_ALERT_FAILURE_RATE: z.coerce.number().gt(0).max(1).default(0.2),
  TIDINGS_ALERT_MIN_SENDS: int(1, 1_000_000).default(50),
  TIDINGS_ALERT_WINDOW: duration.prefault('5m'),
  TIDINGS_ALERT_COOLDOWN: duration.prefault('15m'),
  TIDINGS_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_PHONE_NUMBER: z.string().optional(),
  TWILIO_MESSAGING_SERVICE_SID: z.string().optional(),
  TWILIO_BASE_URL: z.string().url().optional(),
});

const SECRETS = [
  'TIDINGS_API_KEY',
  'TIDINGS_PROVIDERS',
  'TIDINGS_DATABASE_URL',
  'TIDINGS_REDIS_URL',
  'TWILIO_AUTH_TOKEN',
  'TIDINGS_ALERT_WEBHOOK_SECRET',
  'TIDINGS_ALERT_EMAIL_URL',
] as const;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** X_FILE → X, so secrets can be mounted rather than put in the environment. */
function withFileSecrets(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const out = { ...env };
  for (const name of SECRETS) {
    const file = env[`${name}_FILE`];
    if (file && out[name] === undefined) {
      try {
        out[name] = readFileSync(file, 'utf8').trim();
      } catch (err) {
        throw new ConfigError(`${name}_FILE points at ${file}, which cannot be read`, { cause: err });
      }
    }
  }
  return out;
}

function pricesOrThrow(inline: string | undefined, file: string | undefined): PriceTable {
  try {
    return loadPrices(inline, file);
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}

function keywordsOrThrow(text: string | undefined): KeywordConfig {
  try {
    return parseKeywords(text);
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}

function limitsOrThrow(env: Record<string, string | undefined>): LimitsPolicy {
  try {
    return parseLimits(env);
  } catch (err) {
    if (err instanceof LimitsConfigError) throw new ConfigError(err.message, { cause: err });
    throw err;
  }
}

function routingOrThrow(inline: string | undefined, file: string | undefined): RoutingTable {
  try {
    return parseRouting(inline, file);
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}

export function loadConfig(rawEnv: Record<string, string | undefined>): Readonly<Config> {
  const env = withFileSecrets(rawEnv);
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const alertEmailTo = (e.TIDINGS_ALERT_EMAIL_TO ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if ((e.TIDINGS_ALERT_EMAIL_URL === undefined) !== (alertEmailTo.length === 0)) {
    throw new ConfigError('TIDINGS_ALERT_EMAIL_URL and TIDINGS_ALERT_EMAIL_TO go together: set both or neither');
  }
  const port = e.TIDINGS_PORT ?? e.PORT ?? 3000;
  const shownHost = e.TIDINGS_HOST === '0.0.0.0' || e.TIDINGS_HOST === '::' ? '127.0.0.1' : e.TIDINGS_HOST;
  return Object.freeze({
    host: e.TIDINGS_HOST,
    port,
    publicUrl: (e.TIDINGS_PUBLIC_URL ?? `http://${shownHost}:${port}`).replace(/\/+$/, ''),
    databaseUrl: e.TIDINGS_DATABASE_URL,
    redisUrl: e.TIDINGS_REDIS_URL,
    apiKey: e.TIDINGS_API_KEY,
    providerUrls: Object.freeze(
      (e.TIDINGS_PROVIDERS ?? '')
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
    twilioEnv: Object.freeze({
      TWILIO_ACCOUNT_SID: e.TWILIO_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: e.TWILIO_AUTH_TOKEN,
      TWILIO_PHONE_NUMBER: e.TWILIO_PHONE_NUMBER,
      TWILIO_MESSAGING_SERVICE_SID: e.TWILIO_MESSAGING_SERVICE_SID,
      TWILIO_BASE_URL: e.TWILIO_BASE_URL,
    }),
    defaultRegion: e.TIDINGS_DEFAULT_REGION,
    workerConcurrency: e.TIDINGS_WORKER_CONCURRENCY,
    dispatchThread: ['on', 'true', '1'].includes(e.TIDINGS_DISPATCH_THREAD),
    heapGrowthPercent: e.TIDINGS_HEAP_GROWTH,
    sendTimeoutMs: e.TIDINGS_SEND_TIMEOUT,
    // A lease must outlive the slowest send by a wide margin, or a slow send would be dispatched twice.
    jobLeaseMs: Math.max(e.TIDINGS_JOB_LEASE ?? 30_000, e.TIDINGS_SEND_TIMEOUT * 2),
    retry: Object.freeze({
      maxAttempts: e.TIDINGS_RETRY_MAX_ATTEMPTS,
      baseDelayMs: e.TIDINGS_RETRY_BASE_DELAY,
      maxDelayMs: e.TIDINGS_RETRY_MAX_DELAY,
    }),
    maxScheduleAheadMs: e.TIDINGS_MAX_SCHEDULE_AHEAD,
    shutdownDeadlineMs: e.TIDINGS_SHUTDOWN_DEADLINE,
    logLevel: e.TIDINGS_LOG_LEVEL,
    routing: Object.freeze(routingOrThrow(e.TIDINGS_ROUTING, e.TIDINGS_ROUTING_FILE)),
    circuit: Object.freeze({
      failureThreshold: e.TIDINGS_CIRCUIT_THRESHOLD,
      halfOpenAfterMs: e.TIDINGS_CIRCUIT_HALF_OPEN_AFTER,
      waitMaxMs: e.TIDINGS_CIRCUIT_WAIT_MAX,
      authIsolationMs: e.TIDINGS_AUTH_ISOLATION,
    }),
    prices: Object.freeze(pricesOrThrow(e.TIDINGS_PRICES, e.TIDINGS_PRICES_FILE)),
    bannedWordsFile: e.TIDINGS_BANNED_WORDS_FILE,
    smartEncoding: ['on', 'true', '1'].includes(e.TIDINGS_SMART_ENCODING),
    defaultTimezone: e.TIDINGS_DEFAULT_TIMEZONE,
    fallbackAfterMs: e.TIDINGS_FALLBACK_AFTER,
    webhooks: Object.freeze({
      allowHttp: ['1', 'true', 'on'].includes(e.TIDINGS_ALLOW_HTTP_WEBHOOKS),
      allowPrivate: ['1', 'true', 'on'].includes(e.TIDINGS_ALLOW_PRIVATE_WEBHOOKS),
      timeoutMs: e.TIDINGS_WEBHOOK_TIMEOUT,
      concurrency: e.TIDINGS_WEBHOOK_CONCURRENCY,
      retentionMs: e.TIDINGS_WEBHOOK_RETENTION,
      retryScheduleMs: Object.freeze(e.TIDINGS_WEBHOOK_RETRY_SCHEDULE ?? [...DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS]),
    }),
    alerts: Object.freeze({
      webhookUrl: e.TIDINGS_ALERT_WEBHOOK_URL,
      webhookSecret: e.TIDINGS_ALERT_WEBHOOK_SECRET,
      emailUrl: e.TIDINGS_ALERT_EMAIL_URL,
      emailTo: Object.freeze(alertEmailTo),
      failureRate: e.TIDINGS_ALERT_FAILURE_RATE,
      minSends: e.TIDINGS_ALERT_MIN_SENDS,
      windowMs: e.TIDINGS_ALERT_WINDOW,
      coolDownMs: e.TIDINGS_ALERT_COOLDOWN,
    }),
    keywords: keywordsOrThrow(e.TIDINGS_KEYWORDS),
    limits: Object.freeze(limitsOrThrow(env)),
    conversationWindowMs: e.TIDINGS_CONVERSATION_WINDOW,
    links: Object.freeze({
      domain: e.TIDINGS_LINK_DOMAIN?.replace(/\/+$/, ''),
      fallbackUrl: e.TIDINGS_LINK_FALLBACK_URL,
    }),
    experimentMinSample: e.TIDINGS_EXPERIMENT_MIN_SAMPLE,
    suppressionExempt: Object.freeze(
      e.TIDINGS_SUPPRESSION_EXEMPT.split(',')
        .map((p) => p.trim())
        .filter(Boolean) as Purpose[],
    ),
  });
}
