/**
 * @module test/fakes/tencent
 * A fake Tencent Cloud SMS API for integration and end-to-end tests: start it, point a `tencent://`
 * provider URL's `endpoint` at it, and read what it sent and which delivery reports it pushed.
 */
export {
  startFakeTencent,
  SMS_SERVICE,
  SMS_VERSION,
  type FakeTencent,
  type FakeTencentOptions,
  type NumberRule,
  type RefusedRequest,
  type SentSms,
} from './fake-tencent.js';
export type { FakeTemplate } from './send-sms.js';
export type { CallbackRecord, TencentReport } from './status-reports.js';
export { verifyTc3, expectedSignature, parseAuthorization } from './tc3-verifier.js';
export { tencentErrors, type FakeError } from './tencent-errors.js';
