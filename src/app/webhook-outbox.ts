/**
 * @module app/webhook-outbox
 * The event sink the send path publishes to. It writes one delivery per event and subscribed
 * endpoint, with the body already serialized (what is signed is what was stored), and nothing at all
 * when nobody subscribed. Delivery happens later, in the delivery loop.
 */
import type { AppEvent, AppEventSink } from '../ports/app-events.js';
import type { Clock } from '../ports/clock.js';
import type { NewWebhookDelivery, WebhookDeliveryStore } from '../ports/webhook-deliveries.js';
import type { WebhookSubscriptions } from './webhook-subscriptions.js';

/** The body every endpoint receives, per Standard Webhooks: `{type, timestamp, data}`. */
export function webhookPayload(event: AppEvent): string {
  return JSON.stringify({ type: event.type, timestamp: new Date(event.at).toISOString(), data: event.data });
}

export class WebhookOutbox implements AppEventSink {
  constructor(
    private readonly subscriptions: WebhookSubscriptions,
    private readonly deliveries: WebhookDeliveryStore,
    private readonly opts: { clock: Clock; newId: () => string; onStored?: () => void },
  ) {}

  async publish(events: AppEvent[]): Promise<void> {
    const rows: NewWebhookDelivery[] = [];
    const now = this.opts.clock.now();
    for (const event of events) {
      const endpoints = this.subscriptions.subscribers(event.type);
      if (endpoints.length === 0) continue;
      const payload = webhookPayload(event);
      for (const endpointId of endpoints) {
        rows.push({ id: this.opts.newId(), endpointId, eventType: event.type, payload, createdAt: now });
      }
    }
    if (rows.length === 0) return;
    await this.deliveries.enqueue(rows);
    this.opts.onStored?.();
  }
}
