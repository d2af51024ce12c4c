/**
 * @module main/twilio-compat
 * Wires the Twilio-compatible API: its credential and message records, the status-callback outbox
 * that sits in front of the application's event sink, and a delivery loop for it (the webhook
 * delivery loop with a Twilio-signing sender, on the webhook settings). Like the webhooks' loop it
 * is built everywhere and started only by processes that work.
 */
import type { AppDeps } from '../app/deps.js';
import { TwilioCompatVerifier } from '../app/twilio-compat/credentials.js';
import type { TwilioCompatDeps } from '../app/twilio-compat/deps.js';
import { TwilioCallbackOutbox } from '../app/twilio-compat/status-callbacks.js';
import { WebhookDeliveryLoop } from '../app/webhook-delivery-loop.js';
import type { Config } from '../config/index.js';
import type { AppEventSink } from '../ports/app-events.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { MessageStore } from '../ports/message-store.js';
import type { StorageHandle } from '../storage/handle.js';
import { TwilioCallbackRepository } from '../storage/twilio-callback-repository.js';
import { TwilioCompatAccountRepository, TwilioCompatMessageRepository } from '../storage/twilio-compat-repository.js';
import { isPrivateHost } from '../app/private-address.js';
import { TwilioCallbackSender } from '../webhooks/twilio-callback-sender.js';

/** Longest an idle callback loop waits before it looks for due retries. */
const DELIVERY_POLL_MS = 1_000;

export interface TwilioCompat {
  accounts: TwilioCompatAccountRepository;
  messages: TwilioCompatMessageRepository;
  verifier: TwilioCompatVerifier;
  /** The event sink to give the application: records callbacks, then passes every event on. */
  events: AppEventSink;
  loop: WebhookDeliveryLoop;
  /** What the HTTP routes need, once the application's deps exist. */
  http(app: AppDeps): TwilioCompatDeps;
  close(): Promise<void>;
}

export function createTwilioCompat(
  storage: StorageHandle,
  config: Readonly<Config>,
  opts: {
    clock: Clock;
    logger: Logger;
    newId: (prefix: string) => string;
    messages: Pick<MessageStore, 'get'>;
    events: AppEventSink;
    random?: () => number;
  },
): TwilioCompat {
  const { clock, logger } = opts;
  const accounts = new TwilioCompatAccountRepository(storage);
  const messages = new TwilioCompatMessageRepository(storage);
  const callbacks = new TwilioCallbackRepository(storage);
  const verifier = new TwilioCompatVerifier({ accounts, clock });
  // StatusCallback URLs come with each message, from any key that may send: guarded at connect time too.
  const sender = new TwilioCallbackSender(config.webhooks.allowPrivate ? {} : { refuseAddress: isPrivateHost });
  const loop = new WebhookDeliveryLoop(
    { store: callbacks, sender, clock, logger, random: opts.random ?? Math.random },
    {
      concurrency: config.webhooks.concurrency,
      timeoutMs: config.webhooks.timeoutMs,
      schedule: config.webhooks.retryScheduleMs,
      retentionMs: config.webhooks.retentionMs,
      pollMs: DELIVERY_POLL_MS,
    },
  );
  const events = new TwilioCallbackOutbox(opts.events, {
    accounts,
    registrations: messages,
    callbacks,
    messages: opts.messages,
    clock,
    newId: () => opts.newId('twc'),
    onStored: () => loop.wake(),
  });
  return {
    accounts,
    messages,
    verifier,
    events,
    loop,
    http: (app) => ({
      app,
      accounts,
      messages,
      verifier,
      allowHttpCallbacks: config.webhooks.allowHttp,
      allowPrivateCallbacks: config.webhooks.allowPrivate,
    }),
    async close() {
      await loop.stop();
      await sender.close();
    },
  };
}
