/**
 * @module observability/metrics
 * The Prometheus side of the Metrics port: what `GET /metrics` shows. Each process gets its own
 * Registry rather than prom-client's global one, so two apps in one test process (or a server and
 * a worker in one binary) never collide over metric names.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Metrics } from '../ports/metrics.js';

export interface MetricsOptions {
  /** Prefix of Tidings' own metric names; default `tidings_`. Process metrics keep their usual names. */
  prefix?: string;
}

export interface PrometheusMetrics {
  registry: Registry;
  metrics: Metrics;
  /** Where `tidings_queue_depth` comes from; read on every scrape. */
  setQueueDepthSource(source: () => Promise<number>): void;
  /** Where `tidings_queue_oldest_age_seconds` comes from; read on every scrape. */
  setQueueAgeSource(source: () => Promise<number>): void;
  /** Where `tidings_spend_today` comes from (cost of today's sends, UTC, by currency); read on every scrape. */
  setSpendSource(source: () => Promise<Record<string, number>>): void;
  /** Where the provider health gauges come from; read on every scrape. */
  setProviderHealthSource(source: () => readonly ProviderHealthSample[]): void;
}

export interface ProviderHealthSample {
  provider: string;
  state: 'closed' | 'open' | 'half_open' | 'isolated';
  errorRate: number;
  latencyP95Ms: number | null;
}

const CIRCUIT_VALUES = { closed: 0, half_open: 1, open: 2, isolated: 3 } as const;

/** Provider calls take ~50 ms on a good day and are cut off at the send timeout (tens of seconds). */
const SEND_DURATION_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30];

export function createMetrics(opts: MetricsOptions = {}): PrometheusMetrics {
  const prefix = opts.prefix ?? 'tidings_';
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const accepted = new Counter({
    name: `${prefix}messages_accepted_total`,
    help: 'Messages accepted by the API, by channel.',
    labelNames: ['channel'] as const,
    registers,
  });
  const sent = new Counter({
    name: `${prefix}messages_sent_total`,
    help: 'Messages a provider accepted for delivery.',
    labelNames: ['provider', 'channel'] as const,
    registers,
  });
  const failed = new Counter({
    name: `${prefix}messages_failed_total`,
    help: 'Send attempts that failed, by provider error kind (a retried message counts each attempt).',
    labelNames: ['provider', 'channel', 'kind'] as const,
    registers,
  });
  const statusChanges = new Counter({
    name: `${prefix}message_status_total`,
    help: 'Status changes reported by providers (delivered, undelivered, failed, ...).',
    labelNames: ['provider', 'channel', 'status'] as const,
    registers,
  });
  const fallbacks = new Counter({
    name: `${prefix}message_fallbacks_total`,
    help: 'Messages moved to their next channel (failed for good, undelivered, or not delivered in time).',
    labelNames: ['from', 'to'] as const,
    registers,
  });
  const saved = new Counter({
    name: `${prefix}segments_saved_total`,
    help: 'SMS segments smart encoding saved at acceptance.',
    registers,
  });
  const sendDuration = new Histogram({
    name: `${prefix}provider_send_duration_seconds`,
    help: 'Time a provider took to answer a send, by outcome (sent or failed).',
    labelNames: ['provider', 'outcome'] as const,
    buckets: SEND_DURATION_BUCKETS,
    registers,
  });

  let queueDepthSource: (() => Promise<number>) | undefined;
  new Gauge({
    name: `${prefix}queue_depth`,
    help: 'Jobs waiting in the queue, read at scrape time (NaN when the queue could not be read).',
    registers,
    async collect() {
      if (!queueDepthSource) return;
      try {
        this.set(await queueDepthSource());
      } catch {
        // A scrape must not fail because the queue is unreachable; NaN says "unknown".
        this.set(Number.NaN);
      }
    },
  });

  let queueAgeSource: (() => Promise<number>) | undefined;
  new Gauge({
    name: `${prefix}queue_oldest_age_seconds`,
    help: 'How long the oldest due job has waited for a worker, read at scrape time (NaN when unknown).',
    registers,
    async collect() {
      if (!queueAgeSource) return;
      try {
        this.set(await queueAgeSource());
      } catch {
        this.set(Number.NaN);
      }
    },
  });

  let spendSource: (() => Promise<Record<string, number>>) | undefined;
  new Gauge({
    name: `${prefix}spend_today`,
    help: 'What the messages due today (UTC) cost so far, by currency: the same for every process (from the database).',
    labelNames: ['currency'] as const,
    registers,
    async collect() {
      if (!spendSource) return;
      try {
        for (const [currency, amount] of Object.entries(await spendSource())) this.set({ currency }, amount);
      } catch {
        // Unknown this time: the last value stays, and the scrape still succeeds.
      }
    },
  });

  let healthSource: (() => readonly ProviderHealthSample[]) | undefined;
  new Gauge({
    name: `${prefix}provider_circuit_state`,
    help: 'Circuit breaker per provider: 0 closed, 1 half-open (probing), 2 open, 3 isolated (credentials refused).',
    labelNames: ['provider'] as const,
    registers,
    collect() {
      for (const h of healthSource?.() ?? []) this.set({ provider: h.provider }, CIRCUIT_VALUES[h.state]);
    },
  });
  new Gauge({
    name: `${prefix}provider_error_rate`,
    help: 'Share of failed sends among the last 200 per provider.',
    labelNames: ['provider'] as const,
    registers,
    collect() {
      for (const h of healthSource?.() ?? []) this.set({ provider: h.provider }, h.errorRate);
    },
  });

  const metrics: Metrics = {
    accepted: (channel, count) => accepted.inc({ channel }, count),
    sent: (provider, channel, seconds) => {
      sent.inc({ provider, channel });
      sendDuration.observe({ provider, outcome: 'sent' }, seconds);
    },
    sendFailed: (provider, channel, kind, seconds) => {
      failed.inc({ provider, channel, kind });
      sendDuration.observe({ provider, outcome: 'failed' }, seconds);
    },
    statusChanged: (provider, channel, status) => statusChanges.inc({ provider, channel, status }),
    fellBack: (from, to) => fallbacks.inc({ from, to }),
    segmentsSaved: (count) => saved.inc(count),
  };

  return {
    registry,
    metrics,
    setQueueDepthSource: (source) => {
      queueDepthSource = source;
    },
    setSpendSource: (source) => {
      spendSource = source;
    },
    setQueueAgeSource: (source) => {
      queueAgeSource = source;
    },
    setProviderHealthSource: (source) => {
      healthSource = source;
    },
  };
}
