import { describe, expect, it } from 'vitest';
import { compileBannedWords } from './banned-words.js';
import { parseBannedWordsFile } from './banned-words-file.js';

describe('parseBannedWordsFile', () => {
  it('reads terms, skips comments and blank lines, and scopes terms by section', () => {
    const file = [
      '# Tidings banned words',
      'free money',
      '   代开发票   ',
      '',
      '[marketing]',
      'limited offer',
      '  # indented comment',
      '[ Marketing , transactional ]',
      'winner',
      '[all]',
      'scam #1 deal',
    ].join('\n');
    expect(parseBannedWordsFile(file)).toEqual([
      { term: 'free money', purposes: 'all' },
      { term: '代开发票', purposes: 'all' },
      { term: 'limited offer', purposes: ['marketing'] },
      { term: 'winner', purposes: ['marketing', 'transactional'] },
      { term: 'scam #1 deal', purposes: 'all' },
    ]);
  });

  it('reads CRLF line ends and a byte-order mark', () => {
    expect(parseBannedWordsFile('\uFEFF[otp]\r\nfoo\r\n')).toEqual([{ term: 'foo', purposes: ['otp'] }]);
  });

  it('reads an empty file as an empty list', () => {
    expect(parseBannedWordsFile('')).toEqual([]);
    expect(parseBannedWordsFile('# nothing yet\n\n')).toEqual([]);
  });

  it.each([
    ['[promo]', /line 3: section \[promo\] names the unknown purpose "promo"/],
    ['[marketing, sms]', /line 3: .*unknown purpose "sms"/],
    ['[]', /line 3: section \[\] names an empty purpose/],
    ['[all, marketing]', /line 3: .*unknown purpose "all"/],
  ])('refuses the section %s with its line number', (section, message) => {
    expect(() => parseBannedWordsFile(`free money\n\n${section}\nfoo`)).toThrow(message);
  });

  it('gives what compileBannedWords takes', () => {
    const filter = compileBannedWords(parseBannedWordsFile('[marketing]\nlimited offer\n[all]\nscam'));
    expect(filter.find('limited offer', 'marketing')?.term).toBe('limited offer');
    expect(filter.find('limited offer', 'otp')).toBeNull();
    expect(filter.find('a scam', 'otp')?.term).toBe('scam');
  });
});
