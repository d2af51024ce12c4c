import { describe, expect, it } from 'vitest';
import { aliyunPhoneNumber } from './phone-number.js';

describe('aliyunPhoneNumber', () => {
  it('sends mainland mobiles as their bare 11 digits', () => {
    expect(aliyunPhoneNumber('+8613800138000')).toBe('13800138000');
  });

  it('sends other numbers as country code and number, digits only', () => {
    expect(aliyunPhoneNumber('+85291234567')).toBe('85291234567');
    expect(aliyunPhoneNumber('+14155550123')).toBe('14155550123');
    // A +86 number that is not a mobile keeps its country code; Aliyun refuses it, not us.
    expect(aliyunPhoneNumber('+861012345678')).toBe('861012345678');
  });
});
