/**
 * @module test/fakes/twilio
 * A fake Twilio Messages and Calls API for integration and end-to-end tests: start it, point a
 * `twilio://` or `twilio-voice://` provider URL's `baseUrl` at it, and read what it received and called back.
 */
export {
  startFakeTwilio,
  type AcceptedMessage,
  type FakeTwilio,
  type FakeTwilioOptions,
  type NumberRule,
} from './fake-twilio.js';
export type { CallbackRecord, Outcome } from './status-callbacks.js';
export type { AcceptedCall } from './fake-calls.js';
export type { CallCallbackRecord, CallOutcome } from './call-progress.js';
export type { TwilioCall, TwilioCallStatus } from './call-resource.js';
export type { SaidText } from './twiml.js';
export type { TwilioMessage, TwilioMessageStatus } from './message-resource.js';
export { twilioErrors, type FakeError } from './twilio-errors.js';
