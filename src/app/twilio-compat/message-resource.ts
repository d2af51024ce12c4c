/**
 * @module app/twilio-compat/message-resource
 * A message as Twilio's Message resource (OpenAPI `api.v2010.account.message`): every property,
 * counts as strings, RFC 2822 dates, prices as Twilio writes charges (negative, five decimals),
 * relative URIs. Our statuses carry over by name; a queued message sent through a Messaging
 * Service reads `accepted`, as Twilio's do before a sender is chosen.
 */
import type { MessageStatus } from '../../core/message.js';
import type { TwilioCompatMessageRow } from '../../ports/twilio-compat.js';
import { toMessageSid } from './message-sid.js';

export type TwilioMessageStatus =
  'queued' | 'sending' | 'sent' | 'failed' | 'delivered' | 'undelivered' | 'accepted' | 'scheduled' | 'canceled';

export interface TwilioMessage {
  account_sid: string;
  api_version: '2010-04-01';
  body: string;
  date_created: string;
  date_sent: string | null;
  date_updated: string;
  direction: 'outbound-api';
  error_code: number | null;
  error_message: string | null;
  from: string | null;
  messaging_service_sid: string | null;
  num_media: string;
  num_segments: string;
  price: string | null;
  price_unit: string | null;
  sid: string;
  status: TwilioMessageStatus;
  subresource_uris: { media: string };
  to: string;
  uri: string;
}

export const API_VERSION = '2010-04-01';

/** `Thu, 24 Aug 2023 05:01:45 +0000`, the way Twilio writes dates. */
export function rfc2822(at: number): string {
  return new Date(at).toUTCString().replace('GMT', '+0000');
}

export function twilioStatus(status: MessageStatus, viaService: boolean): TwilioMessageStatus {
  switch (status) {
    case 'queued':
      return viaService ? 'accepted' : 'queued';
    case 'scheduled':
    case 'sending':
    case 'sent':
    case 'delivered':
    case 'undelivered':
    case 'failed':
    case 'canceled':
      return status;
  }
}

/**
 * Twilio's error codes are integers. A provider's numeric code (21211, 30003…) carries over; a code
 * of ours that is not a number (a timeout, a refused connection) reads as 30008, Twilio's "Unknown
 * error", with our text kept in `error_message`.
 */
export function twilioErrorCode(code: string | null): number | null {
  if (code === null) return null;
  return /^\d{5}$/.test(code) ? Number(code) : 30008;
}

/** Twilio reports what it charged, as a negative amount; before that, our estimate once the message left. */
function twilioPrice(row: TwilioCompatMessageRow): { price: string | null; unit: string | null } {
  const left = row.status === 'sent' || row.status === 'delivered' || row.status === 'undelivered';
  const money = row.price ?? (left ? row.cost : null);
  if (money === null) return { price: null, unit: null };
  return { price: (-Math.abs(money.amount)).toFixed(5), unit: money.currency };
}

export function messagePath(accountSid: string, sid: string): string {
  return `/${API_VERSION}/Accounts/${accountSid}/Messages/${sid}`;
}

export function toTwilioMessage(row: TwilioCompatMessageRow): TwilioMessage {
  const sid = toMessageSid(row.id);
  const path = messagePath(row.accountSid, sid);
  const { price, unit } = twilioPrice(row);
  return {
    account_sid: row.accountSid,
    api_version: API_VERSION,
    body: row.body,
    date_created: rfc2822(row.createdAt),
    date_sent: row.sentAt === null ? null : rfc2822(row.sentAt),
    date_updated: rfc2822(row.updatedAt),
    direction: 'outbound-api',
    error_code: twilioErrorCode(row.errorCode),
    error_message: row.errorCode === null ? null : row.errorMessage,
    from: row.from,
    messaging_service_sid: row.messagingServiceSid,
    num_media: '0',
    num_segments: String(row.segments),
    price,
    price_unit: unit,
    sid,
    status: twilioStatus(row.status, row.messagingServiceSid !== null),
    subresource_uris: { media: `${path}/Media.json` },
    to: row.to,
    uri: `${path}.json`,
  };
}
