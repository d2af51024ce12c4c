import { describe, expect, it } from 'vitest';
import { lookupChain, pickLocale } from './template-locale.js';

describe('pickLocale', () => {
  const all = ['default', 'zh-Hant-TW', 'zh-Hant', 'zh', 'en-US'];

  it('walks zh-Hant-TW → zh-Hant → zh → default', () => {
    expect(pickLocale(all, 'zh-Hant-TW')).toBe('zh-Hant-TW');
    expect(pickLocale(['default', 'zh-Hant', 'zh'], 'zh-Hant-TW')).toBe('zh-Hant');
    expect(pickLocale(['default', 'zh'], 'zh-Hant-TW')).toBe('zh');
    expect(pickLocale(['default', 'en'], 'zh-Hant-TW')).toBe('default');
  });

  it('walks zh-CN → zh → default', () => {
    expect(pickLocale(['default', 'zh-CN', 'zh'], 'zh-CN')).toBe('zh-CN');
    expect(pickLocale(['default', 'zh'], 'zh-CN')).toBe('zh');
    expect(pickLocale(['default', 'zh-Hant'], 'zh-CN')).toBe('default');
  });

  it('gives zh-TW the Traditional body before the generic Chinese one', () => {
    expect(pickLocale(['default', 'zh', 'zh-Hant'], 'zh-TW')).toBe('zh-Hant');
    expect(pickLocale(['default', 'zh', 'zh-Hans'], 'zh-CN')).toBe('zh-Hans');
    expect(pickLocale(['default', 'zh', 'zh-Hant'], 'zh-HK')).toBe('zh-Hant');
  });

  it('matches case-insensitively and returns the key as stored', () => {
    expect(pickLocale(['default', 'zh-hant'], 'ZH-HANT-tw')).toBe('zh-hant');
    expect(pickLocale(['default', 'en-US'], 'en-us')).toBe('en-US');
    expect(pickLocale(['DEFAULT', 'fr'], 'de')).toBe('DEFAULT');
  });

  it('reads an underscore as a hyphen, on either side', () => {
    expect(pickLocale(['default', 'zh'], 'zh_CN')).toBe('zh');
    expect(pickLocale(['default', 'pt_BR'], 'pt-BR')).toBe('pt_BR');
  });

  it('ignores extensions such as a calendar', () => {
    expect(pickLocale(['default', 'th'], 'th-TH-u-ca-buddhist')).toBe('th');
  });

  it('uses default when no locale is requested', () => {
    expect(pickLocale(all, null)).toBe('default');
    expect(pickLocale(all, '')).toBe('default');
    expect(pickLocale(all, '  ')).toBe('default');
  });

  it('returns null when nothing fits and there is no default', () => {
    expect(pickLocale(['fr', 'de'], 'zh-CN')).toBeNull();
    expect(pickLocale([], null)).toBeNull();
  });

  it('still tries a tag Intl cannot parse, and its prefixes', () => {
    expect(pickLocale(['default', 'x-klingon'], 'x-klingon')).toBe('x-klingon');
    expect(pickLocale(['default', 'zz'], 'zz-!!')).toBe('zz');
  });

  it('tries tags from most to least specific', () => {
    expect(lookupChain('zh-Hant-TW')).toEqual(['zh-hant-tw', 'zh-hant', 'zh']);
    expect(lookupChain('zh-CN')).toEqual(['zh-cn', 'zh-hans-cn', 'zh-hans', 'zh']);
    expect(lookupChain('zh-TW')).toEqual(['zh-tw', 'zh-hant-tw', 'zh-hant', 'zh']);
  });
});
