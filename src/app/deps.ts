/**
 * @module app/deps
 * Everything a use case may touch, as ports. Composition roots in main/ fill it in.
 */
import type { PriceTable } from '../core/pricing.js';
import type { RetryPolicy } from '../core/retry.js';
import type { RoutingTable } from '../core/routing.js';
import type { TemplateRenderer } from '../content/template-renderer.js';
import type { ApiKeyStore } from '../ports/api-keys.js';
import type { Clock } from '../ports/clock.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { Logger } from '../ports/logger.js';
import type { MessageStore } from '../ports/message-store.js';
import type { Metrics } from '../ports/metrics.js';
import type { Provider } from '../ports/provider.js';
import type { TemplateStore } from '../ports/template-store.js';
import type { ContentFilter } from './content-filter.js';
import type { SuppressionList } from './suppression-list.js';
import type { SuppressionStore } from '../ports/suppression-store.js';
import type { AppEventSink } from '../ports/app-events.js';
import type { InboundStore } from '../ports/inbound-store.js';
import type { AutoReplies, KeywordRules } from '../core/keywords.js';
import type { HealthOptions, ProviderHealth } from './provider-health.js';
import type { TemplateCatalog } from './template-catalog.js';
import type { Protection } from './protection.js';
import type { WebhookDeliveryStore } from '../ports/webhook-deliveries.js';
import type { AnalyticsStore } from '../ports/analytics-store.js';
import type { EarlyReportStore } from '../ports/early-reports.js';
import type { WebhookSubscriptions } from './webhook-subscriptions.js';
import type { ReminderStore } from '../ports/reminder-store.js';

export interface IdSource {
  message(): string;
  inbound(): string;
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
  /** Price per segment by provider kind and country, for each message's estimated cost. */
  prices: PriceTable;
  /** Default for requests that do not say: swap look-alike characters for GSM-7 ones when it saves segments. */
  smartEncoding: boolean;
  /** How long a sent message with a fallback channel may stay undelivered before it moves on. */
  fallbackAfterMs: number;
  /** Opt-out, opt-in and help keywords, by default and per country. */
  keywords: KeywordRules;
  /** Automatic answers to keywords, in English and Chinese. */
  autoReplies: AutoReplies;
  /** How far back a reply looks for the message it answers. */
  conversationWindowMs: number;
  /** Timezone for template dates when the request gives none (IANA name). */
  defaultTimezone: string;
  /** Tracked short links (`https://t.example.com`); unset, bodies are never rewritten. */
  linkDomain?: string | undefined;
  /** Where an unknown short-link code goes; unset, a minimal neutral page. */
  linkFallbackUrl?: string | undefined;
  /** Trials each arm of an experiment needs before a verdict. */
  experimentMinSample: number;
}

export interface AppDeps {
  store: MessageStore;
  queue: JobQueue;
  apiKeys: ApiKeyStore;
  providers: readonly Provider[];
  routing: RoutingTable;
  health: ProviderHealth;
  healthOptions: HealthOptions;
  templateStore: TemplateStore;
  templates: TemplateCatalog;
  renderer: TemplateRenderer;
  contentFilter: ContentFilter;
  suppressions: SuppressionList;
  /** Events for the application's webhooks (message.sent, message.replied, recipient.opted_out…). */
  events: AppEventSink;
  /** The application's webhook endpoints (POST /v1/webhooks) and who subscribed to what. */
  webhooks: WebhookSubscriptions;
  /** The webhook outbox, read here as each endpoint's delivery log. */
  webhookDeliveries: WebhookDeliveryStore;
  suppressionStore: SuppressionStore;
  inbound: InboundStore;
  /** Rollups for reports and experiments; conversions and link clicks. */
  analytics: AnalyticsStore;
  /** Delivery reports that came before the message they are about was recorded as sent. */
  earlyReports: EarlyReportStore;
  /** Appointment reminders and the messages each one scheduled. */
  reminders: ReminderStore;
  clock: Clock;
  ids: IdSource;
  random: () => number;
  logger: Logger;
  metrics: Metrics;
  settings: AppSettings;
  /** Rate limits, per-recipient limits, quiet hours, geo, pumping guard, spend, and the worker's pacing. */
  protection: Protection;
}
