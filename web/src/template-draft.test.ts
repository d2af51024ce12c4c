import { describe, expect, it } from 'vitest';
import { draftOf, templateInput, variantShares } from './template-draft';
import type { Template } from './types';

const saved: Template = {
  name: 'booking',
  version: 3,
  body: 'Hi {{ name }}',
  locales: { zh: '{{ name }}您好' },
  variants: [
    { name: 'a', weight: 3 },
    { name: 'b', weight: 1, body: 'Hello {{ name }}', locales: { zh: '你好 {{ name }}' }, delay: '2h' },
  ],
  providerTemplates: { aliyun: 'SMS_1' },
  replies: { confirm: ['1', 'Y'] },
  purpose: 'transactional',
  description: 'Booking reminder',
  variables: ['name'],
  createdAt: '2026-11-24T14:00:00.000Z',
};

describe('template drafts', () => {
  it('round-trips a saved template, keeping what the editor does not show', () => {
    expect(templateInput(draftOf(saved))).toEqual({
      body: 'Hi {{ name }}',
      locales: { zh: '{{ name }}您好' },
      variants: [
        { name: 'a', weight: 3 },
        { name: 'b', weight: 1, body: 'Hello {{ name }}', locales: { zh: '你好 {{ name }}' }, delay: '2h' },
      ],
      providerTemplates: { aliyun: 'SMS_1' },
      replies: { confirm: ['1', 'Y'] },
      purpose: 'transactional',
      description: 'Booking reminder',
    });
  });

  it('leaves out empty rows and empty optional fields', () => {
    const d = draftOf({ ...saved, variants: [], providerTemplates: {}, replies: {}, description: null, purpose: null });
    d.locales.push({ tag: ' ', body: 'orphan' }, { tag: 'fr', body: '' });
    expect(templateInput(d)).toEqual({ body: 'Hi {{ name }}', locales: { zh: '{{ name }}您好' } });
  });

  it('gives each variant its share of the weights; nonsense weighs nothing', () => {
    expect(variantShares([{ weight: '3' }, { weight: '1' }])).toEqual([0.75, 0.25]);
    expect(variantShares([{ weight: 'x' }, { weight: '-2' }, { weight: '5' }])).toEqual([0, 0, 1]);
    expect(variantShares([{ weight: '0' }])).toEqual([0]);
  });
});
