import { describe, expect, it } from 'vitest';
import { voiceFor } from './voices.js';

describe('voiceFor', () => {
  it.each([
    ['zh', 'cmn-CN'],
    ['zh-CN', 'cmn-CN'],
    ['zh_CN', 'cmn-CN'],
    ['zh-Hans-CN', 'cmn-CN'],
    ['zh-Hant', 'cmn-TW'],
    ['zh-Hant-TW', 'cmn-TW'],
    ['zh-TW', 'cmn-TW'],
    ['zh-HK', 'yue-HK'],
    ['yue', 'yue-HK'],
    ['en', 'en-US'],
    ['EN-gb', 'en-GB'],
    ['en-NZ', 'en-US'],
    ['es-MX', 'es-US'],
    ['es-419', 'es-US'],
    ['pt', 'pt-BR'],
    ['pt-PT', 'pt-PT'],
    ['fr-CA', 'fr-CA'],
    ['de-AT', 'de-DE'],
    ['no', 'nb-NO'],
  ])('%s → %s, read by its Google standard voice', (locale, language) => {
    expect(voiceFor(locale)).toEqual({ language, voice: `Google.${language}-Standard-A` });
  });

  it.each([null, undefined, '', 'xx', 'tlh-Latn', '-'])('has none for %s', (locale) => {
    expect(voiceFor(locale)).toBeNull();
  });
});
