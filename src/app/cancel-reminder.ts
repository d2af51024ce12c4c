/**
 * @module app/cancel-reminder
 * DELETE /v1/reminders/{reference}: the appointment is off. Every message not yet handed to a
 * provider is canceled with the reminder, in one transaction; one a worker is sending right now
 * goes out (it cannot be called back) and shows as such. Canceling twice is harmless.
 */
import { TidingsError } from '../core/errors.js';
import type { AppDeps } from './deps.js';
import { publish, statusEvent } from './publish-events.js';
import { getReminder, type ReminderView } from './reminder-view.js';

export async function cancelReminder(deps: AppDeps, reference: string): Promise<ReminderView> {
  const at = deps.clock.now();
  const outcome = await deps.reminders.cancel(reference, at);
  if (!outcome) throw new TidingsError('not_found', `No reminder with reference ${reference}.`);
  publish(
    deps,
    outcome.canceled.map((messageId) => statusEvent('canceled', at, { messageId, reference })),
  );
  deps.logger.info({ reference, canceled: outcome.canceled.length }, 'reminder canceled');
  return getReminder(deps, reference);
}
