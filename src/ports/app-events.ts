/**
 * @module ports/app-events
 * What the application hears about: every status change, reply and opt-out becomes an event for
 * the endpoints it registered (POST /v1/webhooks). Publishing only records the event; delivery
 * happens elsewhere, later, with retries, so publishing never slows the send path.
 */
export type AppEventType =
  | 'message.queued'
  | 'message.sent'
  | 'message.delivered'
  | 'message.undelivered'
  | 'message.failed'
  | 'message.canceled'
  | 'message.fallback'
  | 'message.replied'
  | 'recipient.opted_out'
  | 'recipient.opted_in'
  | 'reminder.confirmed'
  | 'reminder.canceled';

export const APP_EVENT_TYPES: readonly AppEventType[] = [
  'message.queued',
  'message.sent',
  'message.delivered',
  'message.undelivered',
  'message.failed',
  'message.canceled',
  'message.fallback',
  'message.replied',
  'recipient.opted_out',
  'recipient.opted_in',
  'reminder.confirmed',
  'reminder.canceled',
];

export interface AppEvent {
  type: AppEventType;
  /** Epoch ms when it happened. */
  at: number;
  /** The event's payload as the application receives it under `data` (ids, status, reference…). */
  data: Record<string, unknown>;
}

export interface AppEventSink {
  /** Records events for delivery; resolves once they are stored, never waits for delivery. */
  publish(events: AppEvent[]): Promise<void>;
}

export const noAppEvents: AppEventSink = { publish: async () => {} };
