/**
 * @module app/reschedule-reminder
 * PATCH /v1/reminders/{reference}: the appointment moved (a new time, a new timezone) or other
 * offsets are wanted. Every message not yet handed to a provider is replaced by one at the new
 * time (cancel and recreate: a new message id, so a queue that still holds the old job can only
 * find it canceled); offsets now past are skipped; messages already sent are left as they are.
 * A timezone given alone keeps the wall-clock time: "09:00, but in Chicago".
 */
import { checkTimeZone, localTimeText, parseAppointment } from '../core/appointment-time.js';
import { TidingsError } from '../core/errors.js';
import { parseOffsets, sendTimeFor } from '../core/reminder-offsets.js';
import type { PlannedSlot, ReminderSlotView } from '../ports/reminder-store.js';
import type { AppDeps } from './deps.js';
import { publish, statusEvent } from './publish-events.js';
import { announceStored, prepareReminderMessages } from './reminder-messages.js';
import { getReminder, type ReminderView } from './reminder-view.js';

export interface RescheduleRequest {
  appointmentAt?: string;
  timezone?: string;
  offsets?: string[];
}

/** A slot whose message has not reached a provider (or never existed) is planned afresh. */
function replaceable(slot: ReminderSlotView): boolean {
  return ['scheduled', 'queued', 'canceled', 'missing', 'skipped'].includes(slot.status);
}

export async function rescheduleReminder(
  deps: AppDeps,
  reference: string,
  req: RescheduleRequest,
): Promise<ReminderView> {
  const stored = await deps.reminders.get(reference);
  if (!stored) throw new TidingsError('not_found', `No reminder with reference ${reference}.`);
  const r = stored.reminder;
  if (r.status !== 'active') {
    throw new TidingsError('reminder_not_modifiable', `The reminder ${reference} was canceled.`, 'reference');
  }
  const timezone = req.timezone ?? r.timezone;
  checkTimeZone(timezone);
  const appointmentAt =
    req.appointmentAt !== undefined
      ? parseAppointment(req.appointmentAt, timezone)
      : parseAppointment(localTimeText(r.appointmentAt, r.timezone), timezone, 'timezone');
  const offsets = parseOffsets(req.offsets ?? r.offsets);
  const now = deps.clock.now();
  if (appointmentAt <= now) {
    throw new TidingsError('appointment_time_invalid', 'The new appointment time has passed.', 'appointmentAt');
  }

  const current = new Map(stored.slots.map((s) => [s.offset, s]));
  const planned = offsets
    .map((o) => ({ offset: o.label, sendAt: sendTimeFor(o, appointmentAt, timezone), old: current.get(o.label) }))
    .filter((p) => !p.old || replaceable(p.old));
  const due = planned.filter((p) => p.sendAt > now);
  const basis = { ...r, appointmentAt, timezone };
  const byOffset = await prepareReminderMessages(deps, basis, due, now);
  const messages = [...byOffset.values()];
  const slots: PlannedSlot[] = planned.map((p) => {
    const m = byOffset.get(p.offset);
    return {
      offset: p.offset,
      messageId: m?.id ?? null,
      sendAt: m?.sendAt ?? p.sendAt,
      ...(m ? { message: m } : {}),
      replaces: p.old?.messageId ?? null,
    };
  });
  const wanted = new Set(offsets.map((o) => o.label));
  const outcome = await deps.reminders.change({
    reference,
    expectedVersion: r.version,
    appointmentAt,
    timezone,
    offsets: offsets.map((o) => o.label),
    at: now,
    slots,
    dropped: stored.slots.filter((s) => !wanted.has(s.offset)),
  });
  if (outcome.kind === 'conflict') {
    throw new TidingsError(
      'reminder_conflict',
      `The reminder ${reference} was changed or canceled by another request meanwhile; read it and try again.`,
    );
  }
  const storedIds = new Set(outcome.stored);
  announceStored(
    deps,
    messages.filter((m) => storedIds.has(m.id)),
  );
  publish(
    deps,
    outcome.canceled.map((messageId) => statusEvent('canceled', now, { messageId, reference })),
  );
  deps.logger.info(
    { reference, moved: outcome.canceled.length, scheduled: outcome.stored.length },
    'reminder rescheduled',
  );
  return getReminder(deps, reference);
}
