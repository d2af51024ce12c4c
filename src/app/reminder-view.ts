/**
 * @module app/reminder-view
 * A reminder as the API shows it, and reading one by reference.
 */
import { localTimeText } from '../core/appointment-time.js';
import { TidingsError } from '../core/errors.js';
import type { StoredReminder } from '../ports/reminder-store.js';
import type { AppDeps } from './deps.js';

export interface ReminderMessageView {
  offset: string;
  /** Null for an offset that was already past: nothing was scheduled. */
  id: string | null;
  sendAt: string;
  status: string;
}

export interface ReminderView {
  reference: string;
  status: 'active' | 'canceled';
  appointmentAt: string;
  /** The appointment as the clocks in `timezone` read it. */
  localTime: string;
  timezone: string;
  to: string;
  template: string;
  data?: Record<string, unknown>;
  locale?: string;
  purpose?: string;
  channel?: string;
  from?: string;
  metadata?: Record<string, unknown>;
  offsets: string[];
  reply: 'confirmed' | 'canceled' | null;
  repliedAt: string | null;
  createdAt: string;
  updatedAt: string;
  messages: ReminderMessageView[];
}

const iso = (ms: number) => new Date(ms).toISOString();

export function toReminderView({ reminder: r, slots }: StoredReminder): ReminderView {
  return {
    reference: r.reference,
    status: r.status,
    appointmentAt: iso(r.appointmentAt),
    localTime: localTimeText(r.appointmentAt, r.timezone),
    timezone: r.timezone,
    ...r.content,
    offsets: r.offsets,
    reply: r.reply,
    repliedAt: r.repliedAt === null ? null : iso(r.repliedAt),
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    messages: slots.map((s) => ({ offset: s.offset, id: s.messageId, sendAt: iso(s.sendAt), status: s.status })),
  };
}

export async function getReminder(deps: AppDeps, reference: string): Promise<ReminderView> {
  const stored = await deps.reminders.get(reference);
  if (!stored) throw new TidingsError('not_found', `No reminder with reference ${reference}.`);
  return toReminderView(stored);
}
