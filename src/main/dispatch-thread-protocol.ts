/**
 * @module main/dispatch-thread-protocol
 * What the API thread and the dispatch thread say to each other (main/dispatch-thread), and which
 * of the dispatch thread's metrics reach `GET /metrics`.
 */
import type { MetricObjectWithValues, MetricValue, Registry } from 'prom-client';
import type { ProviderHealthView } from '../app/provider-health.js';

/** The dispatch thread's SQLite page cache, in MiB (see dispatch-thread-main). */
export const DISPATCH_SQLITE_CACHE_MB = 8;

/**
 * The dispatch thread's young generation, in MiB: V8's default (48 on 64-bit) would add as much to
 * the process's peak RSS for garbage that lives a few milliseconds.
 */
export const DISPATCH_YOUNG_GENERATION_MB = 16;

/** How often the dispatch thread reports its circuits to the API thread. */
export const HEALTH_REPORT_MS = 500;

export type ThreadMetrics = Array<MetricObjectWithValues<MetricValue<string>>>;

export type ToDispatch =
  | { type: 'wake' }
  | { type: 'deliveries' }
  | { type: 'suppressions' }
  | { type: 'banned-words' }
  /** A template was saved or deleted: which version is current must be read again. */
  | { type: 'template'; name: string }
  | { type: 'metrics'; id: number }
  | { type: 'stop'; deadlineMs: number };

export type FromDispatch =
  | { type: 'ready' }
  | { type: 'health'; views: ProviderHealthView[] }
  | { type: 'suppressions' }
  | { type: 'metrics'; id: number; metrics: ThreadMetrics; error?: string }
  | { type: 'stopped' };

/**
 * The dispatch thread's own counters and histograms (sends, failures, status changes, durations),
 * to be added to the API thread's. The rest is left out:
 * - its gauges: the API thread reads the queue and spend gauges from the database and the circuit
 *   gauges from the reported circuits;
 * - its process metrics: `process_cpu_seconds_total` and the others measure the whole process,
 *   which the API thread's already do, and adding them would count the process twice.
 */
export async function threadMetrics(registry: Registry, prefix = 'tidings_'): Promise<ThreadMetrics> {
  const all = (await registry.getMetricsAsJSON()) as ThreadMetrics;
  // prom-client declares `type` as a numeric enum, but sets it to these strings.
  const kept = new Set<unknown>(['counter', 'histogram']);
  return all.filter((m) => kept.has(m.type) && m.name.startsWith(prefix));
}
