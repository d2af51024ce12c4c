/**
 * @module test/fakes/twilio
 * A fake Twilio Messages API for integration and end-to-end tests: start it, point a `twilio://`
 * provider URL's `baseUrl` at it, and read what it received and called back.
 */
export {
  startFakeTwilio,
  type AcceptedMessage,
  type FakeTwilio,
  type FakeTwilioOptions,
  type NumberRule,
} from './fake-twilio.js';
export type { CallbackRecord, Outcome } from './status-callbacks.js';
export type { TwilioMessage, TwilioMessageStatus } from './message-resource.js';
export { twilioErrors, type FakeError } from './twilio-errors.js';
