import { monotonicFactory } from 'ulid';
import { describe, expect, it } from 'vitest';
import { toMessageId, toMessageSid } from './message-sid.js';

describe('Message SID mapping', () => {
  it('writes the ULID as 32 hex digits after SM, and reads it back', () => {
    const sid = toMessageSid('msg_01J9Z6X8W2K4N7Q3R5T8V0Y2A4');
    expect(sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(toMessageId(sid)).toBe('msg_01J9Z6X8W2K4N7Q3R5T8V0Y2A4');
  });

  it('maps the extremes of the ULID range onto the extremes of the SID range', () => {
    expect(toMessageSid('msg_00000000000000000000000000')).toBe(`SM${'0'.repeat(32)}`);
    expect(toMessageSid('msg_7ZZZZZZZZZZZZZZZZZZZZZZZZZ')).toBe(`SM${'f'.repeat(32)}`);
    expect(toMessageId(`SM${'F'.repeat(32)}`)).toBe('msg_7ZZZZZZZZZZZZZZZZZZZZZZZZZ');
  });

  it('is one-to-one and keeps the order of ids (newer message, larger SID)', () => {
    const next = monotonicFactory(() => Math.random());
    const ids = Array.from({ length: 500 }, () => `msg_${next()}`);
    const sids = ids.map(toMessageSid);
    expect(new Set(sids).size).toBe(ids.length);
    expect(sids.map((s) => toMessageId(s))).toEqual(ids);
    expect([...sids].sort()).toEqual(sids);
  });

  it('refuses what is not an SM SID or a ULID message id', () => {
    expect(toMessageId(`MM${'a'.repeat(32)}`)).toBeNull();
    expect(toMessageId(`SM${'a'.repeat(31)}`)).toBeNull();
    expect(toMessageId('msg_01J9Z6X8W2K4N7Q3R5T8V0Y2A4')).toBeNull();
    expect(() => toMessageSid('msg_8ZZZZZZZZZZZZZZZZZZZZZZZZZ')).toThrow();
    expect(() => toMessageSid('in_01J9Z6X8W2K4N7Q3R5T8V0Y2A4')).toThrow();
  });
});
