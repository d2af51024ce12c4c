import { describe, expect, it } from 'vitest';
import { maskNumbers, snippet } from './vendor-text.js';

describe('maskNumbers and snippet', () => {
  it('mask every phone-like run of digits, with or without +', () => {
    const masked = maskNumbers('The To number +15558675310 (or 13800138000) is not valid; code 21211');
    expect(masked).not.toContain('+15558675310');
    expect(masked).not.toContain('13800138000');
    expect(masked).toContain('code 21211');
  });

  it('flatten a body to one line, cut at 200 characters', () => {
    expect(snippet('<html>\n  <body> bad  gateway </body>\n</html>')).toBe('<html> <body> bad gateway </body> </html>');
    const long = snippet('x'.repeat(500));
    expect(long).toHaveLength(201);
    expect(long.endsWith('…')).toBe(true);
    expect(snippet('to +8613800138000')).toBe(`to ${maskNumbers('+8613800138000')}`);
  });
});
