/**
 * @module app/reminder-messages
 * The messages a reminder schedules, made by the same acceptance as POST /v1/messages
 * (prepareMessage, then the counted limits), so suppressions, the content filter, quiet hours and
 * limits apply to reminders exactly as to any message. Each carries the reminder's reference, and
 * metadata naming the reminder and the offset, so the application can tell them apart.
 */
import { TidingsError } from '../core/errors.js';
import type { Message } from '../core/message.js';
import type { ReminderContent } from '../ports/reminder-store.js';
import { loadTemplates, prepareMessage, type SendRequest } from './accept-message.js';
import type { AppDeps } from './deps.js';

export interface ReminderBasis {
  reference: string;
  apiKeyId: string;
  appointmentAt: number;
  timezone: string;
  content: ReminderContent;
}

export interface DueSlot {
  offset: string;
  sendAt: number;
}

/** The send request of one offset's message. */
export function slotRequest(r: ReminderBasis, slot: DueSlot): SendRequest {
  const c = r.content;
  return {
    to: c.to,
    template: c.template,
    // The template can show the appointment (`{{ appointmentAt | date: … }}`); the caller's data wins.
    data: { appointmentAt: new Date(r.appointmentAt).toISOString(), ...c.data },
    ...(c.locale !== undefined ? { locale: c.locale } : {}),
    ...(c.purpose !== undefined ? { purpose: c.purpose } : {}),
    ...(c.from !== undefined ? { from: c.from } : {}),
    ...(c.channel !== undefined ? { channel: c.channel } : {}),
    reference: r.reference,
    metadata: { ...c.metadata, reminder: r.reference, reminderOffset: slot.offset },
    // The appointment's zone is where the recipient will be: template dates and quiet hours follow it.
    recipient: { timezone: r.timezone },
    sendAt: new Date(slot.sendAt).toISOString(),
  };
}

/**
 * The message of each due slot, by offset; throws the first refusal (nothing is stored then, so
 * a reminder is scheduled whole or not at all). A slot whose message quiet hours would hold until
 * the appointment or later gets none: a reminder after the fact is noise, so it is skipped.
 */
export async function prepareReminderMessages(
  deps: AppDeps,
  r: ReminderBasis,
  due: readonly DueSlot[],
  now: number,
): Promise<Map<string, Message>> {
  if (due.length === 0) return new Map();
  const requests = due.map((slot) => slotRequest(r, slot));
  const templates = await loadTemplates(deps, requests.slice(0, 1));
  const prepared = requests.map((req, i) => {
    try {
      return prepareMessage(deps, req, { apiKeyId: r.apiKeyId }, now, templates);
    } catch (err) {
      // The offset at fault helps when only one of them breaks a rule (sendAt too far ahead).
      if (err instanceof TidingsError && err.field === 'sendAt') {
        throw new TidingsError(err.code, `Offset ${due[i]!.offset}: ${err.message}`, 'offsets');
      }
      throw err;
    }
  });
  const byOffset = new Map<string, Message>();
  prepared.forEach((m, i) => {
    if ((m.sendAt ?? now) < r.appointmentAt) byOffset.set(due[i]!.offset, m);
  });
  const messages = [...byOffset.values()];
  if (messages.length > 0 && deps.protection.acceptance.active) {
    // One reminder's messages share their text by design: not duplicates of each other, nor of
    // the messages a reschedule replaces.
    const refusals = await deps.protection.acceptance.admit(messages, r.apiKeyId, { duplicates: false });
    const refused = refusals.find((e) => e !== null);
    if (refused) throw refused;
  }
  return byOffset;
}

/** After a commit: wake the workers (or relay to Redis) and count what was accepted. */
export function announceStored(deps: AppDeps, messages: readonly Message[]): void {
  if (messages.length === 0) return;
  deps.queue.announce(messages.map((m) => m.id));
  deps.metrics.accepted(messages[0]!.channel, messages.length);
}
