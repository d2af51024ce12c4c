/**
 * @module core/campaign
 * A campaign: one template sent to many recipients at a chosen rate, inside a daily time window.
 * The lifecycle and the window arithmetic live here, pure, so the runner and the API agree on them
 * and tests can move the clock.
 */
import { localParts, nextDate, zonedInstant, type LocalDate } from './local-time.js';

export type CampaignStatus = 'draft' | 'scheduled' | 'running' | 'paused' | 'cancelled' | 'completed';
export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = [
  'draft',
  'scheduled',
  'running',
  'paused',
  'cancelled',
  'completed',
];

/** `pending` until the runner has turned the row into a message (`accepted`) or been refused (`refused`). */
export type RecipientStatus = 'pending' | 'accepted' | 'refused' | 'cancelled';

export type CampaignAction = 'start' | 'pause' | 'resume' | 'cancel';

/** Why a row never became a recipient. Stable: callers match on them. */
export const ROW_REJECTION_CODES = [
  'malformed_row',
  'missing_number',
  'invalid_number',
  'not_mobile',
  'duplicate_recipient',
  'row_too_large',
] as const;
export type RowRejectionCode = (typeof ROW_REJECTION_CODES)[number];

/** A daily window, `HH:MM` to `HH:MM` local time; an end before the start spans midnight. */
export interface CampaignWindow {
  start: string;
  end: string;
  /** IANA zone; absent, each recipient's own (from their number's country). */
  timezone?: string;
}

/** The status an action leads to from `from`, or null when the action does not apply there. */
export function nextStatus(
  from: CampaignStatus,
  action: CampaignAction,
  opts: { startAt: number | null; now: number },
): CampaignStatus | null {
  switch (action) {
    case 'start':
      if (from !== 'draft') return null;
      return opts.startAt !== null && opts.startAt > opts.now ? 'scheduled' : 'running';
    case 'pause':
      return from === 'running' || from === 'scheduled' ? 'paused' : null;
    case 'resume':
      if (from !== 'paused') return null;
      return opts.startAt !== null && opts.startAt > opts.now ? 'scheduled' : 'running';
    case 'cancel':
      return from === 'cancelled' || from === 'completed' ? null : 'cancelled';
  }
}

/** Whether recipients may still be added: before the start, or while paused. */
export function acceptsRecipients(status: CampaignStatus): boolean {
  return status === 'draft' || status === 'paused';
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after local midnight, or null when not `HH:MM`. */
export function parseClock(value: string): number | null {
  const m = HH_MM.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/**
 * The instant the window next opens in `timeZone`, or `now` itself when it is open at `now`.
 * A window whose start equals its end is always open.
 */
export function windowOpensAt(window: CampaignWindow, timeZone: string, now: number): number {
  const start = parseClock(window.start);
  const end = parseClock(window.end);
  if (start === null || end === null || start === end) return now;
  const p = localParts(now, timeZone);
  const minute = p.hour * 60 + p.minute;
  const open = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (open) return now;
  const today: LocalDate = { year: p.year, month: p.month, day: p.day };
  // Before today's start: it opens later today; otherwise tomorrow.
  const day = minute < start ? today : nextDate(today);
  return zonedInstant(day, Math.floor(start / 60), start % 60, timeZone);
}

/** Seconds until `pending` more messages are sent at `rate` per second; null when nothing moves. */
export function etaSeconds(pending: number, rate: number): number | null {
  if (pending <= 0) return 0;
  if (!(rate > 0)) return null;
  return Math.ceil(pending / rate);
}

/** The idempotency key of a row's message: the same row can never become two messages. */
export function rowIdempotencyKey(campaignId: string, row: number): string {
  return `campaign:${campaignId}:${row}`;
}
