/**
 * @module providers/twilio-voice/call-result
 * Reads the Call resource Twilio answers a create with (HTTP 201) into our `SendResult`: the call's
 * sid is the message's provider id, and the call is queued until its status callback says how it
 * ended. Only the sid is required; Twilio adds fields freely.
 */
import type { SendResult } from '../../ports/provider.js';
import { twilioUnreadableSuccess } from '../twilio/errors.js';

const CALL_SID = /^CA[0-9a-fA-F]{32}$/;

export function sendResultFromCall(httpStatus: number, body: string): SendResult {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw twilioUnreadableSuccess(httpStatus, body);
  }
  const sid = (json as { sid?: unknown } | null)?.sid;
  if (typeof sid !== 'string' || !CALL_SID.test(sid)) throw twilioUnreadableSuccess(httpStatus, body);
  // A call is priced only after it ends, so there is never a price at creation.
  return { providerMessageId: sid, status: 'queued', price: null };
}
