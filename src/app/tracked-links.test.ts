import { describe, expect, it } from 'vitest';
import { LINK_CODE, newLinkCode, rewriteLinks, trackLinks } from './tracked-links.js';

describe('tracked links', () => {
  it('replaces each URL and keeps the punctuation around it', () => {
    let n = 0;
    const code = () => `code${String(++n).padStart(6, '0')}`;
    const r = rewriteLinks(
      'Your order: https://shop.example.com/o/42?x=1. Track (http://t.carrier.com/abc)!',
      'https://t.example.com/',
      code,
    );
    expect(r.text).toBe('Your order: https://t.example.com/l/code000001. Track (https://t.example.com/l/code000002)!');
    expect(r.links).toEqual([
      { code: 'code000001', url: 'https://shop.example.com/o/42?x=1' },
      { code: 'code000002', url: 'http://t.carrier.com/abc' },
    ]);
  });

  it('leaves links already on the link domain, and bodies without URLs, alone', () => {
    expect(rewriteLinks('See https://t.example.com/l/abc', 'https://t.example.com').links).toEqual([]);
    expect(rewriteLinks('No link here, www.example.com', 'https://t.example.com').text).toBe(
      'No link here, www.example.com',
    );
  });

  it('rewrites only when a domain is set and tracking is asked for', () => {
    const body = 'Go https://a.example.com';
    expect(trackLinks({ linkDomain: undefined }, body, true, undefined).links).toEqual([]);
    expect(trackLinks({ linkDomain: 'https://t.example.com' }, body, undefined, undefined).links).toEqual([]);
    expect(trackLinks({ linkDomain: 'https://t.example.com' }, body, undefined, true).links).toHaveLength(1);
    expect(trackLinks({ linkDomain: 'https://t.example.com' }, body, false, true).links).toEqual([]);
  });

  it('makes random 10-character codes', () => {
    const codes = new Set(Array.from({ length: 2_000 }, newLinkCode));
    expect(codes.size).toBe(2_000);
    for (const c of codes) expect(c).toMatch(LINK_CODE);
  });
});
