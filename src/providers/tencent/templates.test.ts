import { describe, expect, it } from 'vitest';
import { outboundMessage, thrownProviderError } from '../../../test/support/provider-test-kit.js';
import type { OutboundMessage, TemplateRef } from '../../ports/provider.js';
import { formatTemplateMap, parseTemplateMap, parseTemplateSpec, tencentTemplateFor } from './templates.js';

const MAP = parseTemplateMap('booking_reminder:1110123(name|time),otp:1110456( code | minutes ),welcome:1110789()');

const msg = (template: Partial<TemplateRef> | null): OutboundMessage =>
  outboundMessage(
    { channel: 'sms', to: '+8613800138000' },
    {
      body: 'rendered text',
      encoding: 'UCS-2',
      template: template === null ? null : { name: 'otp', version: 1, data: {}, providerTemplates: {}, ...template },
    },
  );

describe('parseTemplateSpec and parseTemplateMap', () => {
  it('reads ids, ordered variables, empty lists and bare ids', () => {
    expect(parseTemplateSpec('1110123(name|time)')).toEqual({ templateId: '1110123', params: ['name', 'time'] });
    expect(parseTemplateSpec('42()')).toEqual({ templateId: '42', params: [] });
    expect(parseTemplateSpec(' 42 ')).toEqual({ templateId: '42', params: null });
    expect(parseTemplateSpec('7(user.first_name)')).toEqual({ templateId: '7', params: ['user.first_name'] });
    expect(MAP.get('otp')).toEqual({ templateId: '1110456', params: ['code', 'minutes'] });
    expect(parseTemplateMap(null).size).toBe(0);
  });

  it('prints a mapping back in the same syntax', () => {
    expect(formatTemplateMap(MAP)).toBe(
      'booking_reminder:1110123(name|time),otp:1110456(code|minutes),welcome:1110789()',
    );
  });

  it.each([
    ['abc', /must look like/],
    ['12(a|b', /must look like/],
    ['12(a||b)', /not a variable name/],
    ['12(a b)', /not a variable name/],
  ])('refuses the spec %s', (text, message) => {
    expect(() => parseTemplateSpec(text)).toThrow(message);
  });

  it.each([
    ['otp', /must be name:/],
    ['bad name:12', /must be name:/],
    ['otp:1,otp:2', /mapped twice/],
    ['otp:x', /must look like/],
  ])('refuses the mapping %s', (text, message) => {
    expect(() => parseTemplateMap(text)).toThrow(message);
  });
});

describe('tencentTemplateFor', () => {
  it('fills the slots in the mapped order, as strings', () => {
    expect(tencentTemplateFor(msg({ data: { minutes: 5, code: '042917', extra: 'x' } }), MAP)).toEqual({
      templateId: '1110456',
      paramSet: ['042917', '5'],
    });
  });

  it("prefers the template's own spec, reads dotted paths, and allows templates without variables", () => {
    const own = msg({ name: 'booking_reminder', data: { user: { name: 'Li' }, at: true }, providerTemplates: {} });
    own.template!.providerTemplates.tencent = '999(user.name|at)';
    expect(tencentTemplateFor(own, MAP)).toEqual({ templateId: '999', paramSet: ['Li', 'true'] });
    expect(tencentTemplateFor(msg({ name: 'welcome', data: { name: 'Li' } }), MAP)).toEqual({
      templateId: '1110789',
      paramSet: [],
    });
  });

  it('takes the order for a bare id from the mapping with the same id, or none when there is no data', () => {
    const bare = msg({ name: 'otp', data: { code: '1', minutes: '2' }, providerTemplates: { tencent: '1110456' } });
    expect(tencentTemplateFor(bare, MAP).paramSet).toEqual(['1', '2']);
    expect(tencentTemplateFor(msg({ name: 'ping', data: {}, providerTemplates: { tencent: '555' } }), MAP)).toEqual({
      templateId: '555',
      paramSet: [],
    });
    const unknownOrder = thrownProviderError(() =>
      tencentTemplateFor(msg({ name: 'otp', data: { code: '1' }, providerTemplates: { tencent: '777' } }), MAP),
    );
    expect(unknownOrder).toMatchObject({ kind: 'rejected_content', providerCode: 'template_not_mapped' });
    expect(unknownOrder.message).toMatch(/777\(var1\|var2\)/);
  });

  it('refuses a message without a mapped template as rejected_content / template_not_mapped', () => {
    for (const m of [
      msg(null),
      msg({ name: 'unknown', data: { a: 1 } }),
      msg({ name: 'otp', providerTemplates: { tencent: 'SMS_123' } }),
    ]) {
      expect(thrownProviderError(() => tencentTemplateFor(m, MAP))).toMatchObject({
        kind: 'rejected_content',
        providerCode: 'template_not_mapped',
        retryable: false,
      });
    }
  });

  it('refuses missing, null or structured values with template_param_missing', () => {
    for (const data of [{ code: '1' }, { code: '1', minutes: null }, { code: '1', minutes: { n: 5 } }]) {
      expect(thrownProviderError(() => tencentTemplateFor(msg({ data }), MAP))).toMatchObject({
        kind: 'rejected_content',
        providerCode: 'template_param_missing',
      });
    }
  });
});
