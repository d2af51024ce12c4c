/**
 * @module test/fakes/twilio/create-request
 * What Twilio checks in `POST /Messages.json` before it creates anything (providers.md §1.1), in the
 * order it checks it, answering with the same error codes.
 */
import { twilioErrors, type FakeError } from './twilio-errors.js';

export interface CreateRequest {
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  mediaUrls: string[];
  statusCallback: string | null;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const CHANNEL_ADDRESS = /^[a-z]+:\+?[\w.@-]+$/i;
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

/** Reads the form the way Twilio does: names are case-sensitive, missing and empty are alike. */
export function readCreateRequest(form: URLSearchParams): CreateRequest | FakeError {
  const to = form.get('To') ?? '';
  const from = form.get('From') || null;
  const messagingServiceSid = form.get('MessagingServiceSid') || null;
  const body = form.get('Body') ?? '';
  const mediaUrls = form.getAll('MediaUrl').filter((u) => u !== '');
  const contentSid = form.get('ContentSid') || null;
  const statusCallback = form.get('StatusCallback') || null;

  if (to === '') return twilioErrors.missingTo();
  if (from === null && messagingServiceSid === null) return twilioErrors.missingFrom();
  if (body === '' && mediaUrls.length === 0 && contentSid === null) return twilioErrors.missingBody();
  if (Array.from(body).length > 1600) return twilioErrors.bodyTooLong();
  if (statusCallback !== null && !validCallbackUrl(statusCallback)) return twilioErrors.badStatusCallback();
  if (messagingServiceSid !== null && !MESSAGING_SERVICE_SID.test(messagingServiceSid)) {
    return { status: 400, code: 21701, message: `The Messaging Service Sid ${messagingServiceSid} is invalid.` };
  }
  if (!E164.test(to) && !CHANNEL_ADDRESS.test(to)) return twilioErrors.invalidTo(to);
  return { to, from, messagingServiceSid, body, mediaUrls, statusCallback };
}

export function isFakeError(x: CreateRequest | FakeError): x is FakeError {
  return 'code' in x;
}

/** An http(s) URL with a valid hostname; Twilio refuses underscores in it. */
function validCallbackUrl(value: string): boolean {
  try {
    const url = new URL(value);
    const okScheme = url.protocol === 'http:' || url.protocol === 'https:';
    return okScheme && url.hostname !== '' && !url.hostname.includes('_');
  } catch {
    return false;
  }
}
