import { describe, expect, it } from 'vitest';
import { headerValue, httpStatusError, kindOfHttpStatus, retryAfterFor } from './http-status.js';

const NOW = Date.UTC(2030, 0, 1, 12);

describe('kindOfHttpStatus', () => {
  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [429, 'rate_limited'],
    [503, 'unavailable'],
    [500, 'transient'],
    [502, 'transient'],
    [504, 'transient'],
    [507, 'transient'],
    [400, 'permanent'],
    [404, 'permanent'],
  ])('%i → %s', (status, kind) => {
    expect(kindOfHttpStatus(status)).toBe(kind);
  });
});

describe('httpStatusError', () => {
  it('keeps the status as providerCode and reads Retry-After on 429 and 503 only', () => {
    const cause = new Error('<html>busy</html>');
    expect(httpStatusError(503, { 'retry-after': '7' }, NOW, { who: 'Aliyun', cause })).toMatchObject({
      kind: 'unavailable',
      providerCode: '503',
      retryAfterMs: 7000,
      message: 'Aliyun answered HTTP 503',
      cause,
    });
    const date = new Date(NOW + 3000).toUTCString();
    expect(httpStatusError(429, { 'retry-after': [date] }, NOW, { who: 'X' })).toMatchObject({
      kind: 'rate_limited',
      providerCode: '429',
      retryAfterMs: 3000,
    });
    expect(httpStatusError(502, { 'retry-after': '7' }, NOW, { who: 'X' })).toMatchObject({
      kind: 'transient',
      providerCode: '502',
      retryAfterMs: null,
    });
    expect(httpStatusError(503, {}, NOW, { who: 'X' }).retryAfterMs).toBeNull();
  });
});

describe('retryAfterFor and headerValue', () => {
  it('only where waiting helps; the first of repeated headers', () => {
    expect(retryAfterFor('permanent', { 'retry-after': '1' }, NOW)).toBeNull();
    expect(retryAfterFor('unavailable', { 'retry-after': '1' }, NOW)).toBe(1000);
    expect(headerValue({ a: ['1', '2'] }, 'a')).toBe('1');
    expect(headerValue({}, 'a')).toBeNull();
  });
});
