import { describe, expect, it } from 'vitest';
import { PushServiceError, pushResponseError } from './errors.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const ORIGIN = 'https://fcm.googleapis.com';

describe('pushResponseError', () => {
  it.each([
    [404, 'invalid_recipient'],
    [410, 'invalid_recipient'],
    [401, 'auth'],
    [403, 'auth'],
    [429, 'rate_limited'],
    [400, 'permanent'],
    [413, 'rejected_content'],
    [415, 'permanent'],
    [500, 'transient'],
    [502, 'transient'],
    [503, 'unavailable'],
  ])('%i → %s', (status, kind) => {
    const err = pushResponseError(status, {}, '{"code":1}', ORIGIN, NOW);
    expect(err).toMatchObject({ kind, providerCode: String(status) });
    expect(err.cause).toBeInstanceOf(PushServiceError);
    expect((err.cause as PushServiceError).body).toBe('{"code":1}');
  });

  it('reads Retry-After in seconds or as a date, for 429 and 503 only', () => {
    expect(pushResponseError(429, { 'retry-after': '7' }, '', ORIGIN, NOW).retryAfterMs).toBe(7000);
    expect(
      pushResponseError(503, { 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, '', ORIGIN, NOW).retryAfterMs,
    ).toBe(30_000);
    expect(pushResponseError(500, { 'retry-after': '7' }, '', ORIGIN, NOW).retryAfterMs).toBeNull();
    expect(pushResponseError(429, {}, '', ORIGIN, NOW).retryAfterMs).toBeNull();
  });
});
