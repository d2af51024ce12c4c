/**
 * @module app/query-messages
 * Reading messages back: one with its history, or a page of many. Cursors are opaque to callers
 * (base64url of the last id), so the paging scheme can change without breaking them.
 */
import type { MessageStatus } from '../core/message.js';
import { TidingsError } from '../core/errors.js';
import { normalizeRecipient } from '../content/phone.js';
import type { AppDeps } from './deps.js';
import { toEventView, toMessageView, type EventView, type MessageView } from './message-view.js';

export async function getMessage(deps: AppDeps, id: string): Promise<MessageView & { events: EventView[] }> {
  const message = await deps.store.get(id);
  if (!message) throw new TidingsError('not_found', `No message ${id}.`);
  const events = await deps.store.events(id);
  return { ...toMessageView(message), events: events.map(toEventView) };
}

export interface ListQuery {
  status?: MessageStatus;
  to?: string;
  reference?: string;
  since?: string;
  until?: string;
  template?: string;
  cursor?: string;
  limit?: number;
}

const encodeCursor = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^msg_[0-9A-Z]{26}$/.test(id)) throw new TidingsError('malformed_cursor', undefined, 'cursor');
  return id;
}

function parseTime(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new TidingsError('validation_failed', `${field} must be an ISO 8601 time.`, field);
  return at;
}

export async function listMessages(
  deps: AppDeps,
  q: ListQuery,
): Promise<{ data: MessageView[]; nextCursor: string | null }> {
  const limit = q.limit ?? 50;
  const since = parseTime(q.since, 'since');
  const until = parseTime(q.until, 'until');
  const to =
    q.to === undefined
      ? undefined
      : normalizeRecipient(q.to, {
          defaultRegion: deps.settings.defaultRegion as Parameters<typeof normalizeRecipient>[1]['defaultRegion'],
          channel: 'voice', // a filter, not a send: any valid number may be looked up
        }).e164;
  const rows = await deps.store.list({
    limit: limit + 1,
    ...(q.status ? { status: q.status } : {}),
    ...(to ? { to } : {}),
    ...(q.reference ? { reference: q.reference } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    ...(q.template ? { template: q.template } : {}),
    ...(q.cursor ? { before: decodeCursor(q.cursor) } : {}),
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { data: page.map(toMessageView), nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
