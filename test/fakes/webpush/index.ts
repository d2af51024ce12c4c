/**
 * @module test/fakes/webpush
 * A fake Web Push service for tests of the push adapter: start it, make subscriptions with
 * `subscribe()`, give the adapter its `ca`, and read what it accepted (decrypted).
 */
export {
  startFakePushService,
  type AcceptedPush,
  type FakePushService,
  type FakePushServiceOptions,
  type PushFault,
  type PushSubscriptionJson,
} from './fake-push-service.js';
export { checkVapid, type VapidCheck } from './vapid.js';
