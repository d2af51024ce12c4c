/**
 * @module test/fakes/sns/publish-request
 * What SNS checks in a `Publish` to a phone number before it accepts it (providers.md §5.1): the
 * target, the message, the `MessageAttributes.entry.N.*` map and the SMS attributes' values.
 * Texts follow AWS's where known; the fake only speaks SMS, so topic and endpoint targets are
 * refused as not found.
 */
import { snsErrors, type SnsFault } from './sns-errors.js';

export interface MessageAttribute {
  dataType: string;
  stringValue: string | null;
  binaryValue: string | null;
}

export interface PublishRequest {
  phoneNumber: string;
  message: string;
  attributes: Record<string, MessageAttribute>;
  smsType: 'Promotional' | 'Transactional';
  senderId: string | null;
  originationNumber: string | null;
  maxPrice: number | null;
}

const E164 = /^\+[1-9]\d{1,14}$/;
const SENDER_ID = /^(?=.*[A-Za-z])[A-Za-z0-9]{3,11}$/;
/** AWS's limit on an SMS body (unverified figure: the SNS guide states 1,600 characters in all). */
const MAX_SMS_CHARS = 1600;

export function readPublishRequest(params: URLSearchParams): PublishRequest | SnsFault {
  const message = params.get('Message');
  if (message === null) return snsErrors.missingMessage();
  const phoneNumber = params.get('PhoneNumber');
  const topicArn = params.get('TopicArn') ?? params.get('TargetArn');
  if (phoneNumber === null && topicArn === null) {
    return snsErrors.invalidParameter(
      'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter',
    );
  }
  if (phoneNumber !== null && topicArn !== null) {
    return snsErrors.invalidParameter(
      'Invalid parameter: TopicArn or TargetArn Reason: Only one of PhoneNumber, TopicArn or TargetArn may be set',
    );
  }
  if (phoneNumber === null) return { code: 'NotFound', message: 'Topic does not exist' };
  if (!E164.test(phoneNumber)) {
    return snsErrors.invalidParameter(
      `Invalid parameter: PhoneNumber Reason: ${phoneNumber} is not valid to publish to`,
    );
  }
  if (message === '') return snsErrors.invalidParameter('Invalid parameter: Empty message');
  if (Array.from(message).length > MAX_SMS_CHARS)
    return snsErrors.invalidParameter('Invalid parameter: Message too long');

  const read = readAttributes(params);
  if ('fault' in read) return read.fault;
  return readSmsAttributes(phoneNumber, message, read.attributes);
}

const fail = (message: string): { fault: SnsFault } => ({ fault: snsErrors.parameterValueInvalid(message) });

/** `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue` / `.Value.BinaryValue`. */
function readAttributes(
  params: URLSearchParams,
): { attributes: Record<string, MessageAttribute> } | { fault: SnsFault } {
  const out: Record<string, MessageAttribute> = {};
  for (let n = 1; ; n++) {
    const prefix = `MessageAttributes.entry.${n}`;
    const name = params.get(`${prefix}.Name`);
    if (name === null) break;
    const dataType = params.get(`${prefix}.Value.DataType`);
    const stringValue = params.get(`${prefix}.Value.StringValue`);
    const binaryValue = params.get(`${prefix}.Value.BinaryValue`);
    if (!dataType) {
      return fail(`The message attribute '${name}' must contain non-empty message attribute type.`);
    }
    const base = dataType.split('.')[0];
    if (base !== 'String' && base !== 'Number' && base !== 'Binary') {
      return fail(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    const value = base === 'Binary' ? binaryValue : stringValue;
    if (!value) {
      return fail(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${base}'.`,
      );
    }
    if (base === 'Number' && !Number.isFinite(Number(value))) {
      return fail(`Could not cast message attribute '${name}' value to number.`);
    }
    out[name] = { dataType, stringValue, binaryValue };
  }
  return { attributes: out };
}

function readSmsAttributes(
  phoneNumber: string,
  message: string,
  attributes: Record<string, MessageAttribute>,
): PublishRequest | SnsFault {
  const text = (name: string): string | null => attributes[name]?.stringValue ?? null;
  const smsType = text('AWS.SNS.SMS.SMSType') ?? 'Promotional';
  if (smsType !== 'Promotional' && smsType !== 'Transactional') {
    return snsErrors.invalidParameter(
      `Invalid parameter: MessageAttributes Reason: AWS.SNS.SMS.SMSType must be Promotional or Transactional, got ${smsType}`,
    );
  }
  const senderId = text('AWS.SNS.SMS.SenderID');
  if (senderId !== null && !SENDER_ID.test(senderId)) {
    return snsErrors.invalidParameter(`Invalid parameter: MessageAttributes Reason: Invalid SenderID ${senderId}`);
  }
  const originationNumber = text('AWS.MM.SMS.OriginationNumber');
  if (originationNumber !== null && !E164.test(originationNumber)) {
    return snsErrors.invalidParameter(
      `Invalid parameter: MessageAttributes Reason: Invalid OriginationNumber ${originationNumber}`,
    );
  }
  const maxPriceText = attributes['AWS.SNS.SMS.MaxPrice'];
  if (maxPriceText !== undefined && maxPriceText.dataType !== 'Number') {
    return snsErrors.parameterValueInvalid(
      "The message attribute 'AWS.SNS.SMS.MaxPrice' has an invalid message attribute type: expected Number",
    );
  }
  return {
    phoneNumber,
    message,
    attributes,
    smsType,
    senderId,
    originationNumber,
    maxPrice: maxPriceText?.stringValue == null ? null : Number(maxPriceText.stringValue),
  };
}
