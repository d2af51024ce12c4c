/**
 * @module app/reminder-replies
 * A recipient answered a reminder with one of its template's reply intents: `confirm` or
 * `cancel`. It is recorded on the reminder and reported to the application as
 * `reminder.confirmed` / `reminder.canceled`, with the reference, so the booking system can act.
 * Tidings does not cancel the appointment's other reminders by itself: the application decides
 * (DELETE /v1/reminders/{reference}), as it may want to call the customer first.
 */
import type { AppEvent } from '../ports/app-events.js';
import type { ReminderReply } from '../ports/reminder-store.js';
import type { AppDeps } from './deps.js';

const REPLIES: Record<string, ReminderReply | undefined> = { confirm: 'confirmed', cancel: 'canceled' };

export interface AnsweredReminder {
  messageId: string;
  intent: string;
  inboundId: string;
  from: string;
  text: string;
  at: number;
}

/** Records the answer; returns the event for the application, or null when it answered no reminder. */
export async function recordReminderReply(deps: AppDeps, a: AnsweredReminder): Promise<AppEvent | null> {
  const reply = REPLIES[a.intent];
  if (!reply) return null;
  let found: Awaited<ReturnType<typeof deps.reminders.recordReply>>;
  try {
    found = await deps.reminders.recordReply(a.messageId, reply, a.at);
  } catch (err) {
    // The reply itself is stored and still published as message.replied; only this summary is lost.
    deps.logger.warn({ err, messageId: a.messageId }, 'recording a reply on its reminder failed');
    return null;
  }
  if (!found) return null;
  const r = found.reminder;
  return {
    type: reply === 'confirmed' ? 'reminder.confirmed' : 'reminder.canceled',
    at: a.at,
    data: {
      reference: r.reference,
      reply,
      appointmentAt: new Date(r.appointmentAt).toISOString(),
      timezone: r.timezone,
      offset: found.offset,
      messageId: a.messageId,
      inboundId: a.inboundId,
      from: a.from,
      text: a.text,
      metadata: r.content.metadata ?? null,
    },
  };
}
