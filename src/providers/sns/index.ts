/**
 * @module providers/sns
 * Amazon SNS as an SMS `Provider`: one `Publish` to a phone number per message, classified failures,
 * SNS's MessageId as the provider message id. The adapter stays dumb: retries, routing and pacing
 * happen around it.
 *
 * No `statusWebhook`: SNS makes no HTTP callback about SMS delivery. It writes delivery status to
 * CloudWatch Logs (when the account's SMS delivery-status logging is on), so messages sent here stay
 * `sent` unless something reads those logs back.
 */
import { maskPhone } from '../../core/masking.js';
import { isProviderError } from '../../core/provider-error.js';
import type { OutboundMessage, Provider, ProviderFactory, SendResult } from '../../ports/provider.js';
import { createSnsClient, publish } from './client.js';
import { describeSnsConfig, parseSnsUrl } from './config.js';
import { publishInput } from './publish-input.js';

export { parseSnsUrl, type SnsConfig } from './config.js';

export const createSnsProvider: ProviderFactory = (url, ctx): Provider => {
  const config = parseSnsUrl(url);
  const id = `sns:${config.name}`;
  const logger = ctx.logger.child({ provider: id });
  const client = createSnsClient(config);
  const now = (): number => ctx.clock.now();

  async function send(msg: OutboundMessage, signal: AbortSignal): Promise<SendResult> {
    try {
      const input = publishInput(msg, config);
      const messageId = await publish(client, input, signal, { timeoutMs: config.timeoutMs, now });
      logger.debug({ messageId: msg.id, to: maskPhone(msg.to), snsMessageId: messageId }, 'sns accepted');
      return { providerMessageId: messageId };
    } catch (err) {
      if (isProviderError(err)) {
        logger.warn(
          { messageId: msg.id, to: maskPhone(msg.to), kind: err.kind, code: err.providerCode, err: err.message },
          'sns send failed',
        );
      }
      throw err;
    }
  }

  return {
    id,
    kind: 'sns',
    channel: 'sms',
    capabilities: config.maxPerSecond === null ? {} : { maxPerSecond: config.maxPerSecond },
    send,
    describe: () => describeSnsConfig(config),
    close: async () => client.destroy(),
  };
};
