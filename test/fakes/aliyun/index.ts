/**
 * @module test/fakes/aliyun
 * A fake Aliyun Dysmsapi for integration and end-to-end tests: start it, point an `aliyun://`
 * provider URL's `endpoint` at it (or the official SDK's `endpoint` at its `host`), and read what
 * it sent and which SmsReport pushes it made.
 */
export {
  startFakeAliyun,
  SMS_VERSION,
  type FakeAliyun,
  type FakeAliyunOptions,
  type NumberRule,
  type RefusedRequest,
  type SentSms,
} from './fake-aliyun.js';
export type { FakeTemplate } from './send-sms.js';
export type { FlowControl } from './flow-control.js';
export { beijingTimestamp, type ReportPush, type SmsReport } from './sms-reports.js';
export { verifyAcs3, expectedAcs3Signature, parseAcs3Authorization } from './acs3-verifier.js';
export { verifyRpc, expectedRpcSignature, rpcStringToSign, popEncode } from './rpc-verifier.js';
export { business, gateway, errorFor, BUSINESS_MESSAGES, GATEWAY_ERRORS, type FakeError } from './aliyun-errors.js';
