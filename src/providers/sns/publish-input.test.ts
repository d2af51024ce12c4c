import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../core/provider-error.js';
import type { OutboundMessage } from '../../ports/provider.js';
import { parseSnsUrl } from './config.js';
import { publishInput } from './publish-input.js';

const base = 'sns://AKIAIOSFODNN7EXAMPLE:secret@us-east-1';
const message = (from: string | null = null): OutboundMessage => ({
  id: 'msg_1',
  channel: 'sms',
  to: '+15555550100',
  from,
  body: 'Your code is 123456',
  encoding: 'GSM-7',
  segments: 1,
  attempt: 1,
});

describe('publishInput', () => {
  it('sends the number, the text and the SMS type (Transactional by default)', () => {
    expect(publishInput(message(), parseSnsUrl(base))).toEqual({
      PhoneNumber: '+15555550100',
      Message: 'Your code is 123456',
      MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
    });
  });

  it('adds the configured sender ID, origination number and max price (a Number)', () => {
    const config = parseSnsUrl(
      `${base}?smsType=Promotional&senderId=Tidings&originationNumber=%2B15555550199&maxPrice=0.5`,
    );
    expect(publishInput(message(), config).MessageAttributes).toEqual({
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Promotional' },
      'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'Tidings' },
      'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: '+15555550199' },
      'AWS.SNS.SMS.MaxPrice': { DataType: 'Number', StringValue: '0.5' },
    });
  });

  it("lets the message's own sender win: a number as origination, a name as sender ID", () => {
    const config = parseSnsUrl(`${base}?senderId=Tidings&originationNumber=%2B15555550199`);
    const byNumber = publishInput(message('+15555550177'), config).MessageAttributes;
    expect(byNumber?.['AWS.MM.SMS.OriginationNumber']?.StringValue).toBe('+15555550177');
    expect(byNumber?.['AWS.SNS.SMS.SenderID']?.StringValue).toBe('Tidings');
    const byName = publishInput(message('Clinic42'), config).MessageAttributes;
    expect(byName?.['AWS.SNS.SMS.SenderID']?.StringValue).toBe('Clinic42');
    expect(byName?.['AWS.MM.SMS.OriginationNumber']?.StringValue).toBe('+15555550199');
  });

  it('refuses a sender SNS would refuse, as permanent, before any call', () => {
    let err: unknown;
    try {
      publishInput(message('My Clinic'), parseSnsUrl(base));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind: 'permanent', providerCode: null });
  });
});
