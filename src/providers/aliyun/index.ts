/**
 * @module providers/aliyun
 * Aliyun (Alibaba Cloud) SMS, Dysmsapi `SendSms`, as a `Provider`: one signed call per message
 * with a registered template and its parameters, classified failures, and delivery reports
 * (SmsReport) pushed to a token-checked URL. Aliyun carries no free text, so a message without a
 * mapped template fails at once with `rejected_content` (`template_not_mapped`) and never reaches
 * the network.
 *
 * SendSms has no idempotency key (providers.md §3.1): a timeout or 5xx is retried as `transient`
 * and may send twice, which for reminders and codes is the lesser harm than a silent loss.
 */
import { maskPhone } from '../../core/masking.js';
import { hasTemplateFor } from '../template-mapping.js';
import { isProviderError } from '../../core/provider-error.js';
import type { OutboundMessage, Provider, ProviderFactory, SendResult } from '../../ports/provider.js';
import { AliyunSmsClient, type SendSmsParams } from './client.js';
import { describeAliyunConfig, parseAliyunUrl } from './config.js';
import { aliyunPhoneNumber } from './phone-number.js';
import { sendResultFromResponse } from './send-result.js';
import { createAliyunStatusWebhook } from './status-webhook.js';
import { aliyunTemplateFor } from './templates.js';

export { parseAliyunUrl, type AliyunConfig } from './config.js';
export { SMS_REPORT_ACK } from './status-webhook.js';

export const createAliyunProvider: ProviderFactory = (url, ctx): Provider => {
  const config = parseAliyunUrl(url);
  const id = `aliyun:${config.name}`;
  const logger = ctx.logger.child({ provider: id });
  const client = new AliyunSmsClient({ ...config, clock: ctx.clock });

  async function send(msg: OutboundMessage, signal: AbortSignal): Promise<SendResult> {
    try {
      const template = aliyunTemplateFor(msg, config.templates);
      // The sender on Aliyun is the approved signature, so `msg.from` has nothing to choose here.
      const params: SendSmsParams = {
        PhoneNumbers: aliyunPhoneNumber(msg.to),
        SignName: config.signName,
        TemplateCode: template.templateCode,
        // Echoed back in delivery reports (`out_id`): ties them to our message.
        OutId: msg.id,
      };
      if (template.templateParam !== null) params.TemplateParam = template.templateParam;
      const res = await client.sendSms(params, signal);
      const sent = sendResultFromResponse(res, ctx.clock.now());
      logger.debug(
        { messageId: msg.id, to: maskPhone(msg.to), bizId: sent.providerMessageId, template: template.templateCode },
        'aliyun accepted',
      );
      return sent;
    } catch (err) {
      if (isProviderError(err)) {
        logger.warn(
          { messageId: msg.id, to: maskPhone(msg.to), kind: err.kind, code: err.providerCode, err: err.message },
          'aliyun send failed',
        );
      }
      throw err;
    }
  }

  const provider: Provider = {
    id,
    kind: 'aliyun',
    channel: 'sms',
    capabilities: config.maxPerSecond === null ? {} : { maxPerSecond: config.maxPerSecond },
    send,
    describe: () => describeAliyunConfig(config),
    close: () => client.close(),
    // Template-only carrier: routing skips it for a message it has no registered template for.
    canCarry: (msg) => hasTemplateFor(() => aliyunTemplateFor(msg, config.templates)),
  };
  // Without a token there is nothing to check a report against, so reports are not taken at all.
  if (config.callbackToken === null) return provider;
  return {
    ...provider,
    statusWebhook: createAliyunStatusWebhook({ callbackToken: config.callbackToken, clock: ctx.clock }),
  };
};
