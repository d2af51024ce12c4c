import { describe, expect, it } from 'vitest';
import { outboundMessage, thrownProviderError } from '../../../test/support/provider-test-kit.js';
import type { OutboundMessage, TemplateRef } from '../../ports/provider.js';
import { aliyunTemplateFor, formatTemplateMap, parseTemplateMap } from './templates.js';

const MAP = parseTemplateMap('booking_reminder:SMS_123, otp : SMS_456');

const msg = (template: Partial<TemplateRef> | null): OutboundMessage =>
  outboundMessage(
    { channel: 'sms', to: '+8613800138000' },
    {
      body: 'rendered text',
      encoding: 'UCS-2',
      template: template === null ? null : { name: 'otp', version: 1, data: {}, providerTemplates: {}, ...template },
    },
  );

describe('parseTemplateMap', () => {
  it('reads name:code pairs, trimming spaces, and prints them back', () => {
    expect([...MAP]).toEqual([
      ['booking_reminder', 'SMS_123'],
      ['otp', 'SMS_456'],
    ]);
    expect(formatTemplateMap(MAP)).toBe('booking_reminder:SMS_123,otp:SMS_456');
    expect(parseTemplateMap(null).size).toBe(0);
    expect(parseTemplateMap(' ').size).toBe(0);
  });

  it.each([['otp'], ['bad name:SMS_1'], ['otp:sms_1'], ['otp:SMS_'], [':SMS_1']])('refuses %s', (text) => {
    expect(() => parseTemplateMap(text)).toThrow(/name:SMS_123/);
  });
});

describe('aliyunTemplateFor', () => {
  it('maps by name and turns every scalar value into a string, in the order given', () => {
    expect(aliyunTemplateFor(msg({ data: { code: '042917', minutes: 5, urgent: true } }), MAP)).toEqual({
      templateCode: 'SMS_456',
      templateParam: '{"code":"042917","minutes":"5","urgent":"true"}',
    });
  });

  it("prefers the template's own code, and omits TemplateParam when there is no data", () => {
    const own = msg({ name: 'otp', data: {}, providerTemplates: { aliyun: ' SMS_999 ', tencent: '1110' } });
    expect(aliyunTemplateFor(own, MAP)).toEqual({ templateCode: 'SMS_999', templateParam: null });
  });

  it('leaves out values that cannot fill a flat ${name} slot', () => {
    const m = msg({ data: { name: '李雷', user: { id: 1 }, list: [1], none: null, missing: undefined } });
    expect(aliyunTemplateFor(m, MAP).templateParam).toBe('{"name":"李雷"}');
    expect(aliyunTemplateFor(msg({ data: { user: { id: 1 } } }), MAP).templateParam).toBeNull();
  });

  it('refuses a message without a template, with a message that says what to configure', () => {
    const err = thrownProviderError(() => aliyunTemplateFor(msg(null), MAP));
    expect(err).toMatchObject({ kind: 'rejected_content', providerCode: 'template_not_mapped', retryable: false });
    expect(err.message).toMatch(/registered templates only/);
    expect(err.message).toMatch(/providerTemplates\.aliyun/);
  });

  it('refuses an unmapped template, naming the template and both ways to map it', () => {
    const err = thrownProviderError(() =>
      aliyunTemplateFor(msg({ name: 'welcome', providerTemplates: { tencent: '1' } }), MAP),
    );
    expect(err).toMatchObject({ kind: 'rejected_content', providerCode: 'template_not_mapped' });
    expect(err.message).toContain('"welcome"');
    expect(err.message).toContain('welcome:SMS_123');
    expect(err.message).toContain('providerTemplates.aliyun');
  });

  it('refuses an own code that is not a TemplateCode', () => {
    const err = thrownProviderError(() => aliyunTemplateFor(msg({ providerTemplates: { aliyun: '1110456' } }), MAP));
    expect(err).toMatchObject({ kind: 'rejected_content', providerCode: 'template_not_mapped' });
    expect(err.message).toContain('"1110456"');
  });
});
