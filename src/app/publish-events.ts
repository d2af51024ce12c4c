/**
 * @module app/publish-events
 * Turns what happened to messages into events for the application's webhooks. A failure to record
 * an event is logged and never fails the send or the status change that caused it: the message is
 * the record of truth, the event a courtesy.
 */
import type { AppEvent, AppEventType } from '../ports/app-events.js';
import type { AppDeps } from './deps.js';

const STATUS_EVENTS: Record<string, AppEventType | undefined> = {
  queued: 'message.queued',
  sent: 'message.sent',
  delivered: 'message.delivered',
  undelivered: 'message.undelivered',
  failed: 'message.failed',
  canceled: 'message.canceled',
};

export function statusEvent(status: string, at: number, data: Record<string, unknown>): AppEvent | null {
  const type = STATUS_EVENTS[status];
  return type ? { type, at, data: { status, ...data } } : null;
}

export function publish(deps: AppDeps, events: (AppEvent | null)[]): void {
  const real = events.filter((e): e is AppEvent => e !== null);
  if (real.length === 0) return;
  deps.events
    .publish(real)
    .catch((err: unknown) =>
      deps.logger.warn({ err, events: real.length }, 'recording webhook events failed; the messages are unaffected'),
    );
}
