/**
 * @module providers/webpush
 * Web Push (RFC 8030, encrypted per RFC 8291, signed with VAPID per RFC 8292) as the push channel:
 * one POST to the subscription's endpoint per message. A 201 means the push service took it; no push
 * service reports delivery to the device, so there is no status callback. A 404/410 means the
 * subscription is gone: `invalid_recipient`, never retried.
 *
 * Push endpoints come from browsers, through the application: only `https:` endpoints are used.
 * A private push service (a company CA, or a test service's own certificate) is trusted with the
 * URL's `ca=` file, besides the system's CAs.
 */
import webpush from 'web-push';
import { isProviderError, ProviderError } from '../../core/provider-error.js';
import type { OutboundMessage, Provider, ProviderFactory, SendResult } from '../../ports/provider.js';
import { readCaFile } from './ca-file.js';
import { PushClient } from './client.js';
import { describeWebPushConfig, parseWebPushUrl } from './config.js';
import { pushResponseError } from './errors.js';
import { MAX_PAYLOAD_BYTES, notificationPayload } from './payload.js';

export { parseWebPushUrl, type WebPushConfig } from './config.js';

export const createWebPushProvider: ProviderFactory = (url, ctx): Provider => {
  const config = parseWebPushUrl(url);
  const id = `webpush:${config.name}`;
  const logger = ctx.logger.child({ provider: id });
  const ca = config.caFile === null ? undefined : readCaFile(config.caFile);
  const client = new PushClient({ timeoutMs: config.timeoutMs, ...(ca === undefined ? {} : { ca }) });
  const vapidDetails = { subject: config.subject, publicKey: config.publicKey, privateKey: config.privateKey };

  async function send(msg: OutboundMessage, signal: AbortSignal): Promise<SendResult> {
    const subscription = msg.push;
    // The endpoint is the subscription's secret-ish capability URL: log its origin only.
    const origin = originOf(subscription?.endpoint);
    try {
      if (!subscription || origin === null || !subscription.endpoint.startsWith('https://')) {
        throw new ProviderError('invalid_recipient', 'The message has no https push subscription');
      }
      const payload = notificationPayload(msg);
      if (payload === null) {
        throw new ProviderError('rejected_content', `The notification is over ${MAX_PAYLOAD_BYTES} bytes of JSON`);
      }
      let details: ReturnType<typeof webpush.generateRequestDetails>;
      try {
        details = webpush.generateRequestDetails(subscription, payload, {
          vapidDetails,
          TTL: config.ttlSeconds,
          urgency: config.urgency,
          contentEncoding: 'aes128gcm',
        });
      } catch (err) {
        // Bad p256dh/auth keys: this subscription can never be encrypted to.
        throw new ProviderError('invalid_recipient', 'The push subscription keys are not usable', { cause: err });
      }
      const res = await client.deliver(details, signal);
      if (res.status < 200 || res.status >= 300) {
        throw pushResponseError(res.status, res.headers, res.body, origin, ctx.clock.now());
      }
      const location = res.headers.location;
      const providerMessageId = (Array.isArray(location) ? location[0] : location) || msg.id;
      logger.debug({ messageId: msg.id, service: origin, status: res.status }, 'push service accepted');
      return { providerMessageId, status: 'sent', price: null };
    } catch (err) {
      if (isProviderError(err)) {
        logger.warn(
          { messageId: msg.id, service: origin, kind: err.kind, code: err.providerCode, err: err.message },
          'push send failed',
        );
      }
      throw err;
    }
  }

  return {
    id,
    kind: 'webpush',
    channel: 'push',
    capabilities: config.maxPerSecond === null ? {} : { maxPerSecond: config.maxPerSecond },
    send,
    describe: () => describeWebPushConfig(config),
    close: () => client.close(),
  };
};

function originOf(endpoint: string | undefined): string | null {
  if (!endpoint) return null;
  try {
    return new URL(endpoint).origin;
  } catch {
    return null;
  }
}
