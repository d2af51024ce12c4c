/**
 * @module providers/tencent
 * Tencent Cloud SMS as a `Provider`: one `SendSms` call per message with a registered template and
 * its ordered parameters, classified failures, and delivery reports by callback. Tencent carries
 * no free text, so a message without a mapped template fails at once with `rejected_content`
 * (`template_not_mapped`) and never reaches the network.
 */
import { maskPhone } from '../../core/masking.js';
import { hasTemplateFor } from '../template-mapping.js';
import { isProviderError } from '../../core/provider-error.js';
import type { OutboundMessage, Provider, ProviderFactory, SendResult } from '../../ports/provider.js';
import { TencentSmsClient, type SendSmsRequest } from './client.js';
import { describeTencentConfig, parseTencentUrl } from './config.js';
import { sendResultFromResponse } from './send-result.js';
import { createTencentStatusWebhook } from './status-webhook.js';
import { tencentTemplateFor } from './templates.js';

export { parseTencentUrl, type TencentConfig } from './config.js';
export { CALLBACK_ACK } from './status-webhook.js';

/** Mainland numbers need the SignName; Hong Kong, Macau, Taiwan and abroad are "international". */
const MAINLAND = /^\+86/;

export const createTencentProvider: ProviderFactory = (url, ctx): Provider => {
  const config = parseTencentUrl(url);
  const id = `tencent:${config.name}`;
  const logger = ctx.logger.child({ provider: id });
  const client = new TencentSmsClient({ ...config, clock: ctx.clock });

  async function send(msg: OutboundMessage, signal: AbortSignal): Promise<SendResult> {
    try {
      const template = tencentTemplateFor(msg, config.templates);
      const request: SendSmsRequest = {
        PhoneNumberSet: [msg.to],
        SmsSdkAppId: config.sdkAppId,
        TemplateId: template.templateId,
        TemplateParamSet: template.paramSet,
        // Echoed back in the answer and in pulled reports: ties them to our message.
        SessionContext: msg.id,
      };
      if (MAINLAND.test(msg.to)) {
        request.SignName = config.signName;
      } else {
        const senderId = msg.from ?? config.senderId;
        if (senderId !== null) request.SenderId = senderId;
      }
      const res = await client.sendSms(request, signal);
      const sent = sendResultFromResponse(res, msg.to, ctx.clock.now());
      logger.debug(
        { messageId: msg.id, to: maskPhone(msg.to), serialNo: sent.providerMessageId, template: template.templateId },
        'tencent accepted',
      );
      return sent;
    } catch (err) {
      if (isProviderError(err)) {
        logger.warn(
          { messageId: msg.id, to: maskPhone(msg.to), kind: err.kind, code: err.providerCode, err: err.message },
          'tencent send failed',
        );
      }
      throw err;
    }
  }

  const provider: Provider = {
    id,
    kind: 'tencent',
    channel: 'sms',
    capabilities: config.maxPerSecond === null ? {} : { maxPerSecond: config.maxPerSecond },
    send,
    describe: () => describeTencentConfig(config),
    close: () => client.close(),
    // Template-only carrier: routing skips it for a message it has no registered template for.
    canCarry: (msg) => hasTemplateFor(() => tencentTemplateFor(msg, config.templates)),
  };
  if (config.callbackToken === null) return provider;
  return {
    ...provider,
    statusWebhook: createTencentStatusWebhook({ callbackToken: config.callbackToken, clock: ctx.clock }),
  };
};
