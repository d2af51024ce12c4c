/**
 * @module test/fakes/sns
 * A fake Amazon SNS (Query API, `Publish` to a phone number) for integration and end-to-end tests:
 * start it, point an `sns://` provider URL's `endpoint` at it, and read what it accepted.
 */
export { startFakeSns, type DeliveryLogRecord, type FakeSns, type FakeSnsOptions, type SentSms } from './fake-sns.js';
export { snsErrors, STATUS_BY_CODE, type SnsFault } from './sns-errors.js';
export { signRequest, type SignableRequest } from './sigv4.js';
