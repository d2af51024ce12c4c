/**
 * @module app/deps
 * Everything a use case may touch, as ports. Composition roots in main/ fill it in.
 */
import type { RetryPolicy } from '../core/retry.js';
import type { ApiKeyStore } from '../ports/api-keys.js';
import type { Clock } from '../ports/clock.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { Logger } from '../ports/logger.js';
import type { MessageStore } from '../ports/message-store.js';
import type { Metrics } from '../ports/metrics.js';
import type { Provider } from '../ports/provider.js';

export interface IdSource {
  message(): string;
  apiKey(): string;
}

export interface AppSettings {
  /** Region for numbers written without a country code (ISO 3166 alpha-2), e.g. "US". */
  defaultRegion: string | undefined;
  /** How far ahead `sendAt` may lie. */
  maxScheduleAheadMs: number;
  retry: RetryPolicy;
  /** Longest a single provider call may take before it counts as a transient failure. */
  sendTimeoutMs: number;
}

export interface AppDeps {
  store: MessageStore;
  queue: JobQueue;
  apiKeys: ApiKeyStore;
  providers: readonly Provider[];
  clock: Clock;
  ids: IdSource;
  random: () => number;
  logger: Logger;
  metrics: Metrics;
  settings: AppSettings;
}
