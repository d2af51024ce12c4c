import { describe, expect, it } from 'vitest';
import { senderRateFromFormat, warmUpAllowance } from './sender-rate.js';

describe('sender rate from the sender format', () => {
  it('follows Twilio: long code 1, toll-free 3, short code 100, outside +1 and sender ids 10', () => {
    expect(senderRateFromFormat('twilio', '+14155552671')).toBe(1);
    expect(senderRateFromFormat('twilio', '+18885550100')).toBe(3);
    expect(senderRateFromFormat('twilio', '+18335550100')).toBe(3);
    expect(senderRateFromFormat('twilio', '12345')).toBe(100);
    expect(senderRateFromFormat('twilio', '+447700900123')).toBe(10);
    expect(senderRateFromFormat('twilio', 'Tidings')).toBe(10);
  });

  it('says nothing for a Messaging Service or another provider kind', () => {
    expect(senderRateFromFormat('twilio', `MG${'0'.repeat(32)}`)).toBeNull();
    expect(senderRateFromFormat('sim', '+14155552671')).toBeNull();
    expect(senderRateFromFormat('aliyun', '阿里云')).toBeNull();
  });
});

describe('warm-up schedule', () => {
  it('starts at 50 and doubles daily up to the target', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((d) => warmUpAllowance(d, 2_000, 50))).toEqual([
      50, 100, 200, 400, 800, 1_600, 2_000,
    ]);
    expect(warmUpAllowance(400, 2_000, 50)).toBe(2_000);
    expect(warmUpAllowance(1, 30, 50)).toBe(30);
  });
});
