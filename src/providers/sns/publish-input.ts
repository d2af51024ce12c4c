/**
 * @module providers/sns/publish-input
 * One of our messages as the `Publish` SNS expects for an SMS (providers.md §5.1): the number, the
 * text, and the SMS settings as message attributes. A message's own `from` wins over the configured
 * sender: an E.164 number is an origination number, a short name is a sender ID.
 */
import type { MessageAttributeValue, PublishCommandInput } from '@aws-sdk/client-sns';
import { ProviderError } from '../../core/provider-error.js';
import type { OutboundMessage } from '../../ports/provider.js';
import type { SnsConfig } from './config.js';

const E164 = /^\+[1-9]\d{1,14}$/;
const SENDER_ID = /^(?=.*[A-Za-z])[A-Za-z0-9]{3,11}$/;

const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });

export function publishInput(msg: OutboundMessage, config: SnsConfig): PublishCommandInput {
  let senderId = config.senderId;
  let originationNumber = config.originationNumber;
  if (msg.from !== null && msg.from !== '') {
    if (E164.test(msg.from)) originationNumber = msg.from;
    else if (SENDER_ID.test(msg.from)) senderId = msg.from;
    else {
      // Sent as is, SNS would refuse the whole request; say why before spending a call.
      throw new ProviderError(
        'permanent',
        'SNS sender must be an E.164 number or a sender ID of 3–11 letters and digits',
      );
    }
  }

  const attributes: Record<string, MessageAttributeValue> = { 'AWS.SNS.SMS.SMSType': text(config.smsType) };
  if (senderId !== null) attributes['AWS.SNS.SMS.SenderID'] = text(senderId);
  if (originationNumber !== null) attributes['AWS.MM.SMS.OriginationNumber'] = text(originationNumber);
  if (config.maxPrice !== null) {
    attributes['AWS.SNS.SMS.MaxPrice'] = { DataType: 'Number', StringValue: config.maxPrice };
  }
  return { PhoneNumber: msg.to, Message: msg.body, MessageAttributes: attributes };
}
