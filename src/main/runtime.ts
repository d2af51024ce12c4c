/**
 * @module main/runtime
 * The composition root: the only place that picks concrete adapters. Everything a process needs
 * is built here from the frozen configuration, and torn down in reverse order by `close()`.
 */
import { randomBytes, randomFillSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { monotonicFactory } from 'ulid';
import { MESSAGE_ID_PREFIX } from '../core/message-id.js';
import { ApiKeyVerifier } from '../app/api-keys.js';
import { observeSends } from '../app/failure-alerts.js';
import type { AppDeps } from '../app/deps.js';
import { ContentFilter } from '../app/content-filter.js';
import { DEFAULT_AUTO_REPLIES } from '../core/keywords.js';
import { applyStatusReports } from '../app/ingest-status.js';
import { ProviderHealth } from '../app/provider-health.js';
import { Protection } from '../app/protection.js';
import { SUPPRESSIONS_REFRESH_MS, SuppressionList } from '../app/suppression-list.js';
import { TemplateCatalog } from '../app/template-catalog.js';
import { unknownRouteProviders } from '../config/routing.js';
import { ConfigError, type Config } from '../config/index.js';
import type { BannedTerm } from '../content/banned-words.js';
import { parseBannedWordsFile } from '../content/banned-words-file.js';
import { createTemplateRenderer } from '../content/template-renderer.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { Logger } from '../ports/logger.js';
import type { Provider } from '../ports/provider.js';
import { createProvider } from '../providers/registry.js';
import { twilioUrlFromEnv } from '../providers/twilio/config.js';
import { ApiKeyRepository } from '../storage/api-key-repository.js';
import { BannedWordRepository } from '../storage/banned-word-repository.js';
import { openStorage, type Storage } from '../storage/connect.js';
import { MessageRepository } from '../storage/message-repository.js';
import { AnalyticsRepository } from '../storage/analytics-repository.js';
import { oldestWaitingAgeSeconds } from '../storage/queue-age.js';
import { EarlyReportRepository } from '../storage/early-report-repository.js';
import { spendToday } from '../app/analytics-report.js';
import { InboundRepository } from '../storage/inbound-repository.js';
import { ReminderRepository } from '../storage/reminder-repository.js';
import { SuppressionRepository } from '../storage/suppression-repository.js';
import { TemplateRepository } from '../storage/template-repository.js';
import { createAppWebhooks, type AppWebhooks } from './app-webhooks.js';
import { createOperatorAlerts } from './operator-alerts.js';
import { openQueue } from './open-queue.js';
import { createTwilioCompat, type TwilioCompat } from './twilio-compat.js';
import { openLimits } from './open-limits.js';
import type { CampaignDeps } from '../app/manage-campaigns.js';
import { CampaignMessageCounts } from '../app/campaign-message-counts.js';
import { RateMeter } from '../app/campaign-view.js';
import { CampaignRepository } from '../storage/campaign-repository.js';

/** How often a process re-reads the API-managed banned-word list that another process may have changed. */
const BANNED_WORDS_REFRESH_MS = 10_000;

function readBannedWordsFile(path: string | undefined): BannedTerm[] {
  if (path === undefined) return [];
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`TIDINGS_BANNED_WORDS_FILE points at ${path}, which cannot be read`, { cause: err });
  }
  try {
    return parseBannedWordsFile(text);
  } catch (err) {
    throw new ConfigError(`TIDINGS_BANNED_WORDS_FILE ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * ulid's default generator asks the OS for randomness once per character. Drawing from a pooled
 * buffer of crypto bytes keeps the same quality at a fraction of the cost per id.
 */
function pooledRandom(): () => number {
  const pool = randomBytes(4096);
  let next = 0;
  return () => {
    if (next >= pool.length) {
      randomFillSync(pool);
      next = 0;
    }
    return (pool[next++] ?? 0) / 256;
  };
}

export interface Runtime {
  config: Readonly<Config>;
  deps: AppDeps;
  storage: Storage;
  queue: JobQueue;
  /** Where the jobs live (embedded, or BullMQ on which Redis), safe to print. */
  queueLocation: string;
  verifier: ApiKeyVerifier;
  logger: ReturnType<typeof createLogger>;
  metrics: ReturnType<typeof createMetrics>;
  /** The application's webhooks; `serve` starts their delivery loop in worker processes. */
  webhooks: AppWebhooks;
  /** The Twilio-compatible API: its records, and its status-callback loop (started with the webhooks'). */
  twilioCompat: TwilioCompat;
  /** Campaigns: their store, for the API and for the runner that `serve` starts in worker processes. */
  campaigns: CampaignDeps;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  logger?: ReturnType<typeof createLogger>;
  clock?: Clock;
  /** Page cache of the SQLite connection, in MiB (default 32). */
  sqliteCacheMb?: number;
}

/** Provider URLs in routing order: TIDINGS_PROVIDERS first, then the seed's TWILIO_* variables; the simulator when nothing else is configured. */
export function providerUrls(config: Readonly<Config>): string[] {
  const urls = [...config.providerUrls];
  const twilio = twilioUrlFromEnv(config.twilioEnv);
  if (twilio && !urls.some((u) => u.startsWith('twilio:'))) urls.push(twilio);
  if (urls.length === 0) urls.push('sim://');
  return urls;
}

export async function createRuntime(config: Readonly<Config>, opts: RuntimeOptions = {}): Promise<Runtime> {
  const logger = opts.logger ?? createLogger({ level: config.logLevel });
  const log = logger as unknown as Logger;
  const clock = opts.clock ?? systemClock;
  const metrics = createMetrics();
  const storage = openStorage(config.databaseUrl, opts.sqliteCacheMb ? { cacheMb: opts.sqliteCacheMb } : {});
  await storage.migrate();

  const store = new MessageRepository(storage);
  const { queue, location: queueLocation } = await openQueue(config, storage, {
    clock,
    logger: log.child({ component: 'queue' }),
  });
  metrics.setQueueDepthSource(() => queue.depth());
  // The jobs table (the embedded queue, or the outbox not yet relayed) and, scaled out, Redis's wait list.
  metrics.setQueueAgeSource(async () => {
    const now = clock.now();
    const [inTable, inRedis] = await Promise.all([
      oldestWaitingAgeSeconds(storage, now),
      queue.oldestWaitingSince?.() ?? null,
    ]);
    return Math.max(inTable, inRedis === null ? 0 : (now - inRedis) / 1000);
  });
  metrics.setSpendSource(() => spendToday(deps.analytics, clock.now()));

  const nextUlid = monotonicFactory(pooledRandom());
  const providers: Provider[] = [];
  const templateStore = new TemplateRepository(storage);
  const renderer = createTemplateRenderer();
  const suppressionStore = new SuppressionRepository(storage);
  const suppressions = new SuppressionList(suppressionStore, new Set(config.suppressionExempt));
  await suppressions.refresh();
  const contentFilter = new ContentFilter(
    new BannedWordRepository(storage),
    readBannedWordsFile(config.bannedWordsFile),
  );
  await contentFilter.refresh();
  const refreshTimer = setInterval(() => {
    contentFilter.refresh().catch((err: unknown) => log.warn({ err }, 'reloading banned words failed'));
  }, BANNED_WORDS_REFRESH_MS);
  refreshTimer.unref();
  const suppressionTimer = setInterval(() => {
    suppressions.refresh().catch((err: unknown) => log.warn({ err }, 'reloading the suppression list failed'));
  }, SUPPRESSIONS_REFRESH_MS);
  suppressionTimer.unref();
  const newId = (prefix: string): string => `${prefix}_${nextUlid()}`;
  const webhooks = await createAppWebhooks(storage, config, {
    clock,
    logger: log.child({ component: 'webhooks' }),
    newId,
  });
  const operatorAlerts = await createOperatorAlerts(storage, config, {
    clock,
    logger: log,
    newId,
    publicUrl: config.publicUrl,
  });
  const limits = await openLimits(config, storage);
  // Sits in front of the webhook outbox: callbacks for compat messages, then every event passed on.
  const twilioCompat = createTwilioCompat(storage, config, {
    clock,
    logger: log.child({ component: 'twilio-compat' }),
    newId,
    messages: store,
    events: webhooks.outbox,
  });
  const deps: AppDeps = {
    store,
    queue,
    apiKeys: new ApiKeyRepository(storage.db),
    providers,
    routing: config.routing,
    // Replaced below once the providers exist.
    health: new ProviderHealth([], log),
    healthOptions: config.circuit,
    templateStore,
    templates: new TemplateCatalog(templateStore, renderer, clock),
    renderer,
    contentFilter,
    suppressions,
    suppressionStore,
    inbound: new InboundRepository(storage),
    analytics: new AnalyticsRepository(storage),
    earlyReports: new EarlyReportRepository(storage),
    reminders: new ReminderRepository(storage),
    events: twilioCompat.events,
    webhooks: webhooks.subscriptions,
    webhookDeliveries: webhooks.deliveries,
    clock,
    ids: {
      // From the clock that stamps createdAt: an id range is a time range (core/message-id).
      message: () => `${MESSAGE_ID_PREFIX}${nextUlid(clock.now())}`,
      apiKey: () => `key_${nextUlid()}`,
      inbound: () => `in_${nextUlid()}`,
    },
    random: Math.random,
    logger: log,
    // Every send attempt also feeds the failure-rate alert.
    metrics: observeSends(metrics.metrics, operatorAlerts.alerts),
    settings: {
      defaultRegion: config.defaultRegion,
      maxScheduleAheadMs: config.maxScheduleAheadMs,
      retry: config.retry,
      sendTimeoutMs: config.sendTimeoutMs,
      prices: config.prices,
      smartEncoding: config.smartEncoding,
      defaultTimezone: config.defaultTimezone,
      fallbackAfterMs: config.fallbackAfterMs,
      keywords: config.keywords.rules,
      autoReplies: { ...DEFAULT_AUTO_REPLIES, ...config.keywords.replies },
      conversationWindowMs: config.conversationWindowMs,
      linkDomain: config.links.domain,
      linkFallbackUrl: config.links.fallbackUrl,
      experimentMinSample: config.experimentMinSample,
    },
    protection: new Protection({
      counter: limits.counter,
      duplicates: store.guardsDuplicates ? (ms, windowMs, now) => store.findDuplicates(ms, windowMs, now) : undefined,
      policy: config.limits,
      clock,
      logger: log.child({ component: 'limits' }),
      random: Math.random,
      alert: (condition, summary, detail) => void operatorAlerts.alerts.raise(condition, summary, detail),
    }),
  };
  for (const url of providerUrls(config)) {
    providers.push(
      await createProvider(url, {
        publicUrl: config.publicUrl,
        clock,
        logger: log.child({ component: 'provider' }),
        reportStatus: (providerId, events) => {
          applyStatusReports(deps, providerId, events).catch((err: unknown) =>
            log.error({ err, provider: providerId }, 'applying status reports failed'),
          );
        },
      }),
    );
  }

  const unknown = unknownRouteProviders(
    config.routing,
    providers.map((p) => p.id),
  );
  if (unknown.length > 0) {
    throw new ConfigError(
      `the routing table names providers that are not configured: ${unknown.join(', ')} (configured: ${providers.map((p) => p.id).join(', ')})`,
    );
  }
  deps.health = new ProviderHealth(
    providers.map((p) => p.id),
    log.child({ component: 'providers' }),
    config.circuit,
    (id, state) => void operatorAlerts.alerts.circuitChanged(id, state),
  );
  metrics.setProviderHealthSource(() => deps.health.views());

  const campaignStore = new CampaignRepository(storage);
  const campaigns: CampaignDeps = {
    app: deps,
    campaigns: campaignStore,
    newId: () => newId('cmp'),
    meter: new RateMeter(),
    counts: new CampaignMessageCounts(campaignStore, clock),
  };

  return {
    config,
    deps,
    campaigns,
    storage,
    queue,
    queueLocation,
    verifier: new ApiKeyVerifier(deps, config.apiKey),
    logger,
    metrics,
    webhooks,
    twilioCompat,
    async close() {
      clearInterval(refreshTimer);
      clearInterval(suppressionTimer);
      // Alerts first: releasing the circuits below is not a recovery to announce.
      await operatorAlerts.close();
      deps.health.close();
      await queue.close();
      await webhooks.close();
      await twilioCompat.close();
      await Promise.all(providers.map((p) => p.close?.()));
      await deps.protection.close();
      await storage.close();
    },
  };
}
