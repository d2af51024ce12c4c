/**
 * @module providers/twilio
 * Twilio Programmable Messaging as a `Provider`: one create call per message, classified failures,
 * signed status callbacks. The adapter stays dumb: retries, routing and pacing happen around it.
 *
 * A 2xx whose body we cannot read is reported as `transient`: the message may or may not exist at
 * Twilio, and without its sid we cannot follow it. Retrying risks a duplicate text; not retrying
 * risks a silent loss. Twilio's create has no idempotency key, so 5xx answers carry the same risk
 * (providers.md §1.2), and for reminders and codes a duplicate is the lesser harm.
 */
import { maskPhone } from '../../core/masking.js';
import { isProviderError } from '../../core/provider-error.js';
import type { OutboundMessage, Provider, ProviderFactory, SendResult } from '../../ports/provider.js';
import { TwilioClient, type CreateMessageForm } from './client.js';
import { describeTwilioConfig, parseTwilioUrl } from './config.js';
import { twilioResponseError } from './errors.js';
import { sendResultFromCreated } from './send-result.js';
import { createTwilioInboundWebhook } from './inbound-webhook.js';
import { createTwilioStatusWebhook } from './status-webhook.js';

export { parseTwilioUrl, twilioUrlFromEnv, type TwilioConfig } from './config.js';

export const createTwilioProvider: ProviderFactory = (url, ctx): Provider => {
  const config = parseTwilioUrl(url);
  const id = `twilio:${config.name}`;
  const logger = ctx.logger.child({ provider: id });
  const client = new TwilioClient(config);
  const statusCallback = `${ctx.publicUrl.replace(/\/+$/, '')}/webhooks/twilio/status`;

  async function send(msg: OutboundMessage, signal: AbortSignal): Promise<SendResult> {
    const form: CreateMessageForm = {
      To: msg.to,
      Body: msg.body,
      StatusCallback: statusCallback,
      Attempt: msg.attempt,
    };
    const from = msg.from ?? config.from;
    if (from !== null) form.From = from;
    if (config.messagingServiceSid !== null) form.MessagingServiceSid = config.messagingServiceSid;

    try {
      const res = await client.createMessage(form, signal);
      if (res.status < 200 || res.status >= 300) {
        throw twilioResponseError(res.status, res.headers, res.body, ctx.clock.now());
      }
      const sent = sendResultFromCreated(res.status, res.body);
      logger.debug({ messageId: msg.id, to: maskPhone(msg.to), sid: sent.providerMessageId }, 'twilio accepted');
      return sent;
    } catch (err) {
      if (isProviderError(err)) {
        logger.warn(
          { messageId: msg.id, to: maskPhone(msg.to), kind: err.kind, code: err.providerCode, err: err.message },
          'twilio send failed',
        );
      }
      throw err;
    }
  }

  return {
    id,
    kind: 'twilio',
    channel: 'sms',
    capabilities: config.maxPerSecond === null ? {} : { maxPerSecond: config.maxPerSecond },
    send,
    statusWebhook: createTwilioStatusWebhook({ authToken: config.authToken, clock: ctx.clock }),
    inboundWebhook: createTwilioInboundWebhook({ authToken: config.authToken, clock: ctx.clock }),
    describe: () => describeTwilioConfig(config),
    close: () => client.close(),
  };
};
