/**
 * @module test/fakes/twilio/call-resource
 * The Call resource exactly as Twilio serializes it: every property of the OpenAPI schema
 * `api.v2010.account.call` (extract in call-schema.json), `sid` = `CA` + 32 hex, RFC-2822 dates,
 * durations and prices as strings, relative URIs (providers.md §1.7).
 */
import { newSid, rfc2822 } from './message-resource.js';

export type TwilioCallStatus =
  'queued' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'failed' | 'no-answer' | 'canceled';

/** The wire JSON; property order follows the spec's `create` example. */
export interface TwilioCall {
  account_sid: string;
  answered_by: string | null;
  api_version: string;
  caller_name: string | null;
  date_created: string;
  date_updated: string;
  direction: string;
  duration: string | null;
  end_time: string | null;
  forwarded_from: string | null;
  from: string;
  from_formatted: string;
  group_sid: string | null;
  parent_call_sid: string | null;
  phone_number_sid: string;
  price: string | null;
  price_unit: string;
  sid: string;
  start_time: string | null;
  status: TwilioCallStatus;
  subresource_uris: Record<string, string>;
  to: string;
  to_formatted: string;
  trunk_sid: string | null;
  uri: string;
  queue_time: string;
}

const SUBRESOURCES = [
  ['notifications', 'Notifications'],
  ['recordings', 'Recordings'],
  ['payments', 'Payments'],
  ['events', 'Events'],
  ['siprec', 'Siprec'],
  ['streams', 'Streams'],
  ['transcriptions', 'Transcriptions'],
  ['user_defined_message_subscriptions', 'UserDefinedMessageSubscriptions'],
  ['user_defined_messages', 'UserDefinedMessages'],
] as const;

/** Twilio formats North American numbers for display, `(415) 867-5309`; others stay E.164. */
export function formatted(number: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(number);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : number;
}

export function newCall(opts: { accountSid: string; to: string; from: string; at: number }): TwilioCall {
  const sid = newSid('CA');
  const base = `/2010-04-01/Accounts/${opts.accountSid}/Calls/${sid}`;
  const date = rfc2822(opts.at);
  return {
    account_sid: opts.accountSid,
    answered_by: null,
    api_version: '2010-04-01',
    caller_name: null,
    date_created: date,
    date_updated: date,
    direction: 'outbound-api',
    duration: null,
    end_time: null,
    forwarded_from: null,
    from: opts.from,
    from_formatted: formatted(opts.from),
    group_sid: null,
    parent_call_sid: null,
    phone_number_sid: newSid('PN'),
    price: null,
    price_unit: 'USD',
    sid,
    start_time: null,
    status: 'queued',
    subresource_uris: Object.fromEntries(SUBRESOURCES.map(([key, name]) => [key, `${base}/${name}.json`])),
    to: opts.to,
    to_formatted: formatted(opts.to),
    trunk_sid: null,
    uri: `${base}.json`,
    queue_time: '0',
  };
}
