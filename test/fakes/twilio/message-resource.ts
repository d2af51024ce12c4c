/**
 * @module test/fakes/twilio/message-resource
 * The Message resource exactly as Twilio serializes it: every property of the OpenAPI schema
 * `api.v2010.account.message`, counts as strings, RFC-2822 dates, `sid` = `SM` + 32 hex, relative
 * URIs (providers.md §1.1). Segments are counted with Twilio DevEd's own calculator (§2).
 */
import { randomUUID } from 'node:crypto';
import { SegmentedMessage } from 'sms-segments-calculator';

export type TwilioMessageStatus =
  | 'queued'
  | 'sending'
  | 'sent'
  | 'failed'
  | 'delivered'
  | 'undelivered'
  | 'receiving'
  | 'received'
  | 'accepted'
  | 'scheduled'
  | 'read'
  | 'partially_delivered'
  | 'canceled';

/** The wire JSON; property order follows Twilio's own answers. */
export interface TwilioMessage {
  account_sid: string;
  api_version: string;
  body: string;
  date_created: string;
  date_sent: string | null;
  date_updated: string;
  direction: 'inbound' | 'outbound-api' | 'outbound-call' | 'outbound-reply';
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

/** `prefix` + 32 hex digits. randomUUID draws from a cached pool; randomBytes per call shows in load tests. */
export function newSid(prefix: string): string {
  return prefix + randomUUID().replaceAll('-', '');
}

/** `Thu, 24 Aug 2023 05:01:45 +0000`, the way Twilio writes dates. */
export function rfc2822(at: number): string {
  return new Date(at).toUTCString().replace('GMT', '+0000');
}

/** `YYMMDDhhmm` in UTC, the carrier done date of `RawDlrDoneDate`. */
export function dlrDoneDate(at: number): string {
  return new Date(at).toISOString().replace(/^\d\d(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d).*$/, '$1$2$3$4$5');
}

const segmentCache = new Map<string, number>();

/** Cached: the calculator costs ~50 µs a call, and load tests send the same few bodies. */
// The GSM 03.38 basic table (no escapes): a body of these alone, up to 160 long, is one segment.
const GSM_BASIC_ONLY = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà]*$/;

export function segmentsOf(body: string): number {
  if (body === '') return 0;
  // The calculator costs ~0.5 ms a body, which would make this fake the bottleneck of load tests.
  if (body.length <= 160 && GSM_BASIC_ONLY.test(body)) return 1;
  let n = segmentCache.get(body);
  if (n === undefined) {
    n = new SegmentedMessage(body, 'auto').segmentsCount;
    if (segmentCache.size >= 1_000) segmentCache.clear();
    segmentCache.set(body, n);
  }
  return n;
}

export function newMessage(opts: {
  accountSid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  /** The account's default service, reported when no service was asked for (OpenAPI description). */
  defaultServiceSid: string;
  body: string;
  numMedia: number;
  at: number;
}): TwilioMessage {
  const sid = newSid(opts.numMedia > 0 ? 'MM' : 'SM');
  const uri = `/2010-04-01/Accounts/${opts.accountSid}/Messages/${sid}`;
  const viaService = opts.messagingServiceSid !== null;
  const date = rfc2822(opts.at);
  return {
    account_sid: opts.accountSid,
    api_version: '2010-04-01',
    body: opts.body,
    date_created: date,
    date_sent: null,
    date_updated: date,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: opts.from,
    messaging_service_sid: opts.messagingServiceSid ?? opts.defaultServiceSid,
    num_media: String(opts.numMedia),
    // Through a Messaging Service no sender is chosen yet, so Twilio reports "0" at creation.
    num_segments: viaService ? '0' : String(segmentsOf(opts.body)),
    price: null,
    price_unit: null,
    sid,
    status: viaService ? 'accepted' : 'queued',
    subresource_uris: { media: `${uri}/Media.json` },
    to: opts.to,
    uri: `${uri}.json`,
  };
}
