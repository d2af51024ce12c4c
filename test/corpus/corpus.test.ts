/**
 * The corpus of realistic messages (messages-en.json, messages-zh.json) that smart encoding is
 * measured on (bench/encoding-savings.ts, the README's figures): it must stay a fair sample of
 * what the API accepts, and smart encoding must never cost a message a segment or alter Chinese.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkBody, measure } from '../../src/content/segments.js';
import { toGsmLookalikes } from '../../src/content/smart-encoding.js';

interface CorpusMessage {
  text: string;
  kind: string;
}

const KINDS = ['otp', 'reminder', 'shipping', 'bank', 'marketing', 'alert', 'account'];

function load(language: 'en' | 'zh'): CorpusMessage[] {
  return JSON.parse(readFileSync(new URL(`./messages-${language}.json`, import.meta.url), 'utf8')) as CorpusMessage[];
}

const en = load('en');
const zh = load('zh');
const all = [...en, ...zh];

describe('the corpus', () => {
  it('holds at least 500 distinct messages, in both languages', () => {
    expect(all.length).toBeGreaterThanOrEqual(500);
    expect(new Set(all.map((m) => m.text)).size).toBe(all.length);
    expect(en.length).toBeGreaterThanOrEqual(200);
    expect(zh.length).toBeGreaterThanOrEqual(200);
  });

  it('holds only bodies the API accepts: non-empty, at most 1,600 characters', () => {
    for (const { text } of all) {
      expect(text.trim(), JSON.stringify(text)).not.toBe('');
      expect([...text].length, text).toBeLessThanOrEqual(1600);
      expect(() => checkBody(text), text).not.toThrow();
    }
  });

  it('labels every message with a known kind, and uses every kind in both languages', () => {
    for (const messages of [en, zh]) {
      for (const m of messages) expect(KINDS, m.text).toContain(m.kind);
      expect(new Set(messages.map((m) => m.kind))).toEqual(new Set(KINDS));
    }
  });

  it('has smart punctuation in some English messages, not all, and English with emoji too', () => {
    const smart = en.filter((m) => /[‘’“”–—…\u00a0\u202f]/.test(m.text)).length;
    expect(smart / en.length).toBeGreaterThan(0.1);
    expect(smart / en.length).toBeLessThan(0.4);
    expect(en.some((m) => /^[\x20-\x7e]*\p{Extended_Pictographic}/u.test(m.text))).toBe(true);
    expect(en.some((m) => measure(m.text).segments > 1)).toBe(true);
  });

  it('is all UCS-2 in Chinese, as Chinese text always is', () => {
    for (const { text } of zh) expect(measure(text).encoding, text).toBe('UCS-2');
  });
});

describe('smart encoding on the corpus', () => {
  it('never adds a segment to any message, and only ever produces GSM-7', () => {
    for (const { text } of all) {
      const result = toGsmLookalikes(text);
      expect(result.segmentsAfter, text).toBeLessThanOrEqual(result.segmentsBefore);
      expect(measure(result.text).segments, text).toBe(result.segmentsAfter);
      if (result.text !== text) expect(result.encodingAfter, text).toBe('GSM-7');
    }
  });

  it('never changes a Chinese message', () => {
    for (const { text } of zh) {
      const result = toGsmLookalikes(text);
      expect(result.text, text).toBe(text);
      expect(result.replacements).toBe(0);
    }
  });

  it('leaves English with an emoji as it is', () => {
    const withEmoji = en.filter((m) => /\p{Extended_Pictographic}/u.test(m.text));
    expect(withEmoji.length).toBeGreaterThan(10);
    for (const { text } of withEmoji) expect(toGsmLookalikes(text).text).toBe(text);
  });

  it('saves segments on English', () => {
    let before = 0;
    let after = 0;
    for (const { text } of en) {
      const result = toGsmLookalikes(text);
      before += result.segmentsBefore;
      after += result.segmentsAfter;
    }
    expect(after).toBeLessThan(before);
  });
});
