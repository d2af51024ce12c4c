/**
 * @module app/twilio-compat/read-messages
 * `GET …/Messages/{Sid}.json` and `GET …/Messages.json`: an account's own messages, as Twilio's
 * SDKs read them. The list pages the way Twilio's does: `PageSize`, `Page`, and a `PageToken`:
 * `PA` + the SID of the last message of the page before, in `next_page_uri`, or `PB` + the SID of
 * the first message of the page after, in `previous_page_uri`. The SDKs follow both as they are. Filters: `To`, `From`, and `DateSent` (on that day), `DateSent<` (on or before),
 * `DateSent>` (on or after); a date-time instead of a date bounds at that instant.
 */
import { normalizeRecipient } from '../../content/phone.js';
import type { TwilioParams } from '../../core/twilio-signing.js';
import type { TwilioCompatAccount, TwilioCompatListFilter } from '../../ports/twilio-compat.js';
import type { TwilioCompatDeps } from './deps.js';
import { API_VERSION, messagePath, toTwilioMessage, type TwilioMessage } from './message-resource.js';
import { toMessageId, toMessageSid } from './message-sid.js';
import { twilioErrors } from './twilio-errors.js';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1_000;
const DAY_MS = 86_400_000;
const PAGE_TOKEN = /^P([AB])(SM[0-9a-fA-F]{32})$/;

export async function fetchMessage(
  deps: TwilioCompatDeps,
  account: TwilioCompatAccount,
  sid: string,
): Promise<TwilioMessage> {
  const id = toMessageId(sid);
  const row = id === null ? null : await deps.messages.get(account.sid, id);
  if (!row) throw twilioErrors.notFound(`${messagePath(account.sid, sid)}.json`);
  return toTwilioMessage(row);
}

export interface MessagePage {
  end: number;
  first_page_uri: string;
  next_page_uri: string | null;
  page: number;
  page_size: number;
  previous_page_uri: string | null;
  start: number;
  uri: string;
  messages: TwilioMessage[];
}

function field(q: TwilioParams, name: string): string | undefined {
  const v = q[name];
  return typeof v === 'string' ? v : v?.[0];
}

function integer(q: TwilioParams, name: string, min: number, max: number, fallback: number): number {
  const raw = field(q, name);
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw twilioErrors.invalidParameter(`${name} must be an integer from ${min} to ${max}.`);
  }
  return n;
}

/** A date (`2030-01-02`, a whole UTC day) or a date-time (an instant); null when it is neither. */
function parseDate(value: string): { start: number; end: number } | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = Date.parse(`${value}T00:00:00Z`);
    return Number.isNaN(start) ? null : { start, end: start + DAY_MS };
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : { start: at, end: at + 1 };
}

function sentRange(q: TwilioParams): Pick<TwilioCompatListFilter, 'sentFrom' | 'sentBefore'> {
  let sentFrom: number | undefined;
  let sentBefore: number | undefined;
  const bound = (name: string) => {
    const raw = field(q, name);
    if (raw === undefined || raw === '') return null;
    const range = parseDate(raw);
    if (!range) throw twilioErrors.invalidParameter(`${name} must be a date (YYYY-MM-DD) or an ISO 8601 date-time.`);
    return range;
  };
  const on = bound('DateSent');
  const before = bound('DateSent<');
  const after = bound('DateSent>');
  if (on) {
    // DateSent names a day: a date-time given for it stands for its UTC day.
    const day = Math.floor(on.start / DAY_MS) * DAY_MS;
    sentFrom = day;
    sentBefore = day + DAY_MS;
  }
  if (after) sentFrom = Math.max(sentFrom ?? -Infinity, after.start);
  if (before) sentBefore = Math.min(sentBefore ?? Infinity, before.end);
  return {
    ...(sentFrom !== undefined ? { sentFrom } : {}),
    ...(sentBefore !== undefined ? { sentBefore } : {}),
  };
}

/** `To` as stored (E.164); a value that is no number matches nothing, as it would at Twilio. */
function normalizedTo(deps: TwilioCompatDeps, to: string): string {
  try {
    return normalizeRecipient(to, {
      defaultRegion: deps.app.settings.defaultRegion as Parameters<typeof normalizeRecipient>[1]['defaultRegion'],
      channel: 'voice', // a filter, not a send: any valid number may be looked up
    }).e164;
  } catch {
    return to;
  }
}

const FILTERS = ['To', 'From', 'DateSent', 'DateSent<', 'DateSent>'] as const;

/** Query strings in Twilio's order: filters, then PageSize, Page, PageToken. */
function pageUri(base: string, filters: [string, string][], size: number, page: number, token?: string): string {
  const parts = [...filters, ['PageSize', String(size)], ['Page', String(page)]];
  if (token !== undefined) parts.push(['PageToken', token]);
  return `${base}?${parts.map(([k, v]) => `${encodeURIComponent(k ?? '')}=${encodeURIComponent(v ?? '')}`).join('&')}`;
}

/** The canonical token for a cursor, as `uri` repeats it. */
function tokenOf(cursor: { beforeId?: string; afterId?: string }): string | undefined {
  if (cursor.beforeId !== undefined) return `PA${toMessageSid(cursor.beforeId)}`;
  if (cursor.afterId !== undefined) return `PB${toMessageSid(cursor.afterId)}`;
  return undefined;
}

export async function listMessages(
  deps: TwilioCompatDeps,
  account: TwilioCompatAccount,
  query: TwilioParams,
): Promise<MessagePage> {
  const pageSize = integer(query, 'PageSize', 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
  const page = integer(query, 'Page', 0, Number.MAX_SAFE_INTEGER, 0);
  const token = field(query, 'PageToken');
  let cursor: { beforeId: string } | { afterId: string } | Record<string, never> = {};
  if (token !== undefined && token !== '') {
    const [, direction, sid] = PAGE_TOKEN.exec(token) ?? [];
    const id = sid === undefined ? null : toMessageId(sid);
    if (id === null) throw twilioErrors.invalidParameter('PageToken is not one this server issued.');
    cursor = direction === 'A' ? { beforeId: id } : { afterId: id };
  }
  const backwards = 'afterId' in cursor;
  const filters: [string, string][] = [];
  for (const name of FILTERS) {
    const v = field(query, name);
    if (v !== undefined && v !== '') filters.push([name, v]);
  }
  const to = field(query, 'To');
  const from = field(query, 'From');
  const rows = await deps.messages.list({
    accountSid: account.sid,
    ...(to ? { to: normalizedTo(deps, to) } : {}),
    ...(from ? { from } : {}),
    ...sentRange(query),
    ...cursor,
    limit: pageSize + 1,
  });
  // The extra row tells whether there is a further page in the direction read.
  const more = rows.length > pageSize;
  const messages = (backwards ? rows.slice(-pageSize) : rows.slice(0, pageSize)).map(toTwilioMessage);
  const first = messages[0];
  const last = messages[messages.length - 1];
  const hasNext = backwards || more;
  const hasPrevious = backwards ? more : 'beforeId' in cursor;
  const base = `/${API_VERSION}/Accounts/${account.sid}/Messages.json`;
  const start = page * pageSize;
  return {
    end: start + Math.max(messages.length - 1, 0),
    first_page_uri: pageUri(base, filters, pageSize, 0),
    next_page_uri: hasNext && last ? pageUri(base, filters, pageSize, page + 1, `PA${last.sid}`) : null,
    page,
    page_size: pageSize,
    previous_page_uri:
      hasPrevious && first ? pageUri(base, filters, pageSize, Math.max(page - 1, 0), `PB${first.sid}`) : null,
    start,
    uri: pageUri(base, filters, pageSize, page, tokenOf(cursor)),
    messages,
  };
}
