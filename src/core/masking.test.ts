import { describe, expect, it } from 'vitest';
import { maskPhone, maskSecret, maskText } from './masking.js';

describe('masking', () => {
  it('masks phone numbers like +86138****8000', () => {
    expect(maskPhone('+8613812348000')).toBe('+86138****8000');
    expect(maskPhone('+14155552671')).toBe('+14155****2671');
    expect(maskPhone('12')).toBe('**');
  });

  it('keeps only a hint of a secret', () => {
    expect(maskSecret('0123456789abcdef')).toBe('0123****');
    expect(maskSecret('abc')).toBe('****');
  });

  it('masks numbers and codes inside free text', () => {
    const out = maskText('Your code is 482913, call +1 415 555 2671');
    expect(out).not.toContain('482913');
    expect(out).not.toContain('555 2671');
    expect(out).toContain('Your code is');
  });
});
