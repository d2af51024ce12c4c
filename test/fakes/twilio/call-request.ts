/**
 * @module test/fakes/twilio/call-request
 * What Twilio checks in `POST /Calls.json` before it places a call (providers.md §1.7): `To`, `From`,
 * and one of `Url`, `Twiml` or `ApplicationSid`. Codes for the missing fields come from Twilio's
 * error pages (21201, 21213, 21205). The spec states the other rules checked here (Twiml's 4,000
 * characters, the callback events and method) but not the code Twilio answers them with: those get
 * the stand-in 20001, a 400 our adapter classifies like any unknown 400 (permanent).
 */
import type { FakeError } from './twilio-errors.js';

export type CallbackEvent = 'initiated' | 'ringing' | 'answered' | 'completed';

export interface CreateCallRequest {
  to: string;
  from: string;
  url: string | null;
  twiml: string | null;
  applicationSid: string | null;
  statusCallback: string | null;
  /** The progress events to call back; Twilio sends only `completed` when none are asked for. */
  statusCallbackEvents: CallbackEvent[];
  statusCallbackMethod: 'POST' | 'GET';
}

const E164 = /^\+[1-9]\d{6,14}$/;
const CLIENT_OR_SIP = /^(client:[\w.-]+|sip:[^\s@]+@[^\s@]+)$/i;
const APPLICATION_SID = /^AP[0-9a-fA-F]{32}$/;
const EVENTS: ReadonlySet<string> = new Set(['initiated', 'ringing', 'answered', 'completed']);
const MAX_TWIML = 4000;

export function readCallRequest(form: URLSearchParams): CreateCallRequest | FakeError {
  const to = form.get('To') ?? '';
  const from = form.get('From') ?? '';
  const url = form.get('Url') || null;
  const twiml = form.get('Twiml') || null;
  const applicationSid = form.get('ApplicationSid') || null;
  const statusCallback = form.get('StatusCallback') || null;
  const method = (form.get('StatusCallbackMethod') || 'POST').toUpperCase();
  // Twilio reads both spellings of the repeated key; the SDK sends `StatusCallbackEvent`.
  const events = [...form.getAll('StatusCallbackEvent'), ...form.getAll('StatusCallbackEvent[]')]
    .flatMap((e) => e.split(/[\s,]+/))
    .filter((e) => e !== '');

  if (to === '') return { status: 400, code: 21201, message: "No 'To' number is specified" };
  if (from === '') return { status: 400, code: 21213, message: "No 'From' number is specified" };
  if (url === null && twiml === null && applicationSid === null) {
    return { status: 400, code: 21205, message: 'Url parameter is required.' };
  }
  if (url !== null && twiml === null && !validHttpUrl(url)) {
    return { status: 400, code: 21205, message: `Url is not a valid URL: ${url}` };
  }
  if (twiml !== null && twiml.length > MAX_TWIML) return invalid('Twiml', `over ${MAX_TWIML} characters`);
  if (applicationSid !== null && !APPLICATION_SID.test(applicationSid))
    return invalid('ApplicationSid', applicationSid);
  if (statusCallback !== null && !validHttpUrl(statusCallback)) {
    return { status: 400, code: 21609, message: 'Invalid StatusCallback url' };
  }
  if (method !== 'POST' && method !== 'GET') return invalid('StatusCallbackMethod', method);
  const unknown = events.find((e) => !EVENTS.has(e));
  if (unknown !== undefined) return invalid('StatusCallbackEvent', unknown);
  if (!E164.test(to) && !CLIENT_OR_SIP.test(to)) {
    return { status: 400, code: 21211, message: `The phone number you are attempting to call, ${to}, is not valid.` };
  }
  if (!E164.test(from) && !/^client:[\w.-]+$/i.test(from)) {
    return { status: 400, code: 21212, message: `The caller ID ${from} is not a valid phone number.` };
  }
  return {
    to,
    from,
    url,
    twiml,
    applicationSid,
    statusCallback,
    statusCallbackEvents: events.length === 0 ? ['completed'] : [...new Set(events as CallbackEvent[])],
    statusCallbackMethod: method,
  };
}

function invalid(param: string, value: string): FakeError {
  return { status: 400, code: 20001, message: `Invalid ${param}: ${value}` };
}

/** An http(s) URL with a valid hostname; Twilio refuses underscores in it. */
function validHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    const okScheme = url.protocol === 'http:' || url.protocol === 'https:';
    return okScheme && url.hostname !== '' && !url.hostname.includes('_');
  } catch {
    return false;
  }
}
