/**
 * @module app/create-reminder
 * POST /v1/reminders: one message per offset before the appointment, scheduled now; offsets
 * already past are listed as skipped. A reference names one reminder: the same request again is
 * answered with the reminder as it is now (200), so a client may retry safely; a different
 * request for a reference in use is refused with `reminder_exists` (change it with PATCH instead).
 */
import { checkTimeZone, parseAppointment } from '../core/appointment-time.js';
import { TidingsError } from '../core/errors.js';
import type { Channel, Purpose } from '../core/message.js';
import { parseOffsets, sendTimeFor } from '../core/reminder-offsets.js';
import type { Reminder, ReminderContent, StoredReminder } from '../ports/reminder-store.js';
import type { Caller } from './accept-message.js';
import type { AppDeps } from './deps.js';
import { requestHash } from './idempotency.js';
import { announceStored, prepareReminderMessages } from './reminder-messages.js';
import { toReminderView, type ReminderView } from './reminder-view.js';

export interface CreateReminderRequest {
  reference: string;
  appointmentAt: string;
  timezone: string;
  to: string;
  template: string;
  data?: Record<string, unknown>;
  locale?: string;
  offsets: string[];
  purpose?: Purpose;
  from?: string;
  channel?: Channel;
  metadata?: Record<string, unknown>;
}

const ROUTE = 'POST /v1/reminders';

function contentOf(req: CreateReminderRequest): ReminderContent {
  const { to, template, data, locale, purpose, from, channel, metadata } = req;
  return {
    to,
    template,
    ...(data !== undefined ? { data } : {}),
    ...(locale !== undefined ? { locale } : {}),
    ...(purpose !== undefined ? { purpose } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(channel !== undefined ? { channel } : {}),
    ...(metadata !== undefined ? { metadata } : {}),
  };
}

function sameRequestOrConflict(stored: StoredReminder, hash: string): { statusCode: 200; body: ReminderView } {
  if (stored.reminder.requestHash !== hash) {
    throw new TidingsError(
      'reminder_exists',
      `A reminder with reference ${stored.reminder.reference} exists and was made by a different request; change it with PATCH /v1/reminders/{reference}.`,
      'reference',
    );
  }
  return { statusCode: 200, body: toReminderView(stored) };
}

export async function createReminder(
  deps: AppDeps,
  req: CreateReminderRequest,
  caller: Caller,
): Promise<{ statusCode: 200 | 201; body: ReminderView }> {
  checkTimeZone(req.timezone);
  const appointmentAt = parseAppointment(req.appointmentAt, req.timezone);
  const offsets = parseOffsets(req.offsets);
  const hash = requestHash(ROUTE, req);
  const existing = await deps.reminders.get(req.reference);
  if (existing) return sameRequestOrConflict(existing, hash);

  const now = deps.clock.now();
  if (appointmentAt <= now) {
    throw new TidingsError('appointment_time_invalid', 'The appointment time has passed.', 'appointmentAt');
  }
  const reminder: Reminder = {
    reference: req.reference,
    apiKeyId: caller.apiKeyId,
    appointmentAt,
    timezone: req.timezone,
    content: contentOf(req),
    offsets: offsets.map((o) => o.label),
    status: 'active',
    reply: null,
    repliedAt: null,
    requestHash: hash,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const plan = offsets.map((o) => ({ offset: o.label, sendAt: sendTimeFor(o, appointmentAt, req.timezone) }));
  const due = plan.filter((p) => p.sendAt > now);
  const byOffset = await prepareReminderMessages(deps, reminder, due, now);
  const messages = [...byOffset.values()];
  const slots = plan.map((p) => {
    const m = byOffset.get(p.offset);
    // Quiet hours may have moved a message: the slot shows when it will really go.
    return { offset: p.offset, messageId: m?.id ?? null, sendAt: m?.sendAt ?? p.sendAt };
  });

  if ((await deps.reminders.create(reminder, slots, messages)) === 'exists') {
    // Another request took the reference between our read and our write.
    const winner = await deps.reminders.get(req.reference);
    if (winner) return sameRequestOrConflict(winner, hash);
  }
  announceStored(deps, messages);
  deps.logger.info(
    { reference: req.reference, scheduled: messages.length, skipped: plan.length - messages.length },
    'reminder created',
  );
  const stored = await deps.reminders.get(req.reference);
  return { statusCode: 201, body: toReminderView(stored!) };
}
