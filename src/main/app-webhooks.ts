/**
 * @module main/app-webhooks
 * Wires the application's webhooks: the endpoint store and its in-memory subscriptions (kept fresh
 * by a version poll), the outbox the send path publishes to, and the delivery loop with its
 * Standard Webhooks sender. The loop is built here and started only by processes that work
 * (`serve --role worker|all`); an API-only process stores deliveries and leaves them to the workers.
 */
import { WebhookDeliveryLoop } from '../app/webhook-delivery-loop.js';
import { WebhookOutbox } from '../app/webhook-outbox.js';
import { WEBHOOK_SUBSCRIPTIONS_REFRESH_MS, WebhookSubscriptions } from '../app/webhook-subscriptions.js';
import type { Config } from '../config/index.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { StorageHandle } from '../storage/handle.js';
import { WebhookDeliveryRepository } from '../storage/webhook-delivery-repository.js';
import { WebhookEndpointRepository } from '../storage/webhook-endpoint-repository.js';
import { isPrivateHost } from '../app/private-address.js';
import { StandardWebhookSender } from '../webhooks/standard-webhook-sender.js';

/** Longest an idle delivery loop waits before it looks for due retries. */
const DELIVERY_POLL_MS = 1_000;

export interface AppWebhooks {
  subscriptions: WebhookSubscriptions;
  outbox: WebhookOutbox;
  deliveries: WebhookDeliveryRepository;
  loop: WebhookDeliveryLoop;
  sender: StandardWebhookSender;
  close(): Promise<void>;
}

export async function createAppWebhooks(
  storage: StorageHandle,
  config: Readonly<Config>,
  opts: { clock: Clock; logger: Logger; newId: (prefix: string) => string; random?: () => number },
): Promise<AppWebhooks> {
  const { clock, logger, newId } = opts;
  const subscriptions = new WebhookSubscriptions(new WebhookEndpointRepository(storage), {
    allowHttp: config.webhooks.allowHttp,
    allowPrivate: config.webhooks.allowPrivate,
    newId: () => newId('whe'),
    now: () => clock.now(),
  });
  await subscriptions.refresh();
  const refreshTimer = setInterval(() => {
    subscriptions.refresh().catch((err: unknown) => logger.warn({ err }, 'reloading webhook endpoints failed'));
  }, WEBHOOK_SUBSCRIPTIONS_REFRESH_MS);
  refreshTimer.unref();

  const deliveries = new WebhookDeliveryRepository(storage);
  // The application's endpoints are anyone's URLs: the SSRF guard applies at every connection too.
  const sender = new StandardWebhookSender(config.webhooks.allowPrivate ? {} : { refuseAddress: isPrivateHost });
  const loop = new WebhookDeliveryLoop(
    { store: deliveries, sender, clock, logger, random: opts.random ?? Math.random },
    {
      concurrency: config.webhooks.concurrency,
      timeoutMs: config.webhooks.timeoutMs,
      schedule: config.webhooks.retryScheduleMs,
      retentionMs: config.webhooks.retentionMs,
      pollMs: DELIVERY_POLL_MS,
    },
  );
  const outbox = new WebhookOutbox(subscriptions, deliveries, {
    clock,
    newId: () => newId('whd'),
    onStored: () => loop.wake(),
  });
  return {
    subscriptions,
    outbox,
    deliveries,
    loop,
    sender,
    async close() {
      clearInterval(refreshTimer);
      await loop.stop();
      await sender.close();
    },
  };
}
