import { describe, expect, it } from 'vitest';
import { redisTarget } from './redis-url.js';

describe('TIDINGS_REDIS_URL', () => {
  it('takes our prefix option off the URL and prints no credentials', () => {
    const t = redisTarget('redis://tidings:s3cret@redis.internal:6380/2?prefix=staging');
    expect(t).toEqual({
      url: 'redis://tidings:s3cret@redis.internal:6380/2',
      prefix: 'staging',
      location: 'redis://redis.internal:6380/2 (prefix staging)',
    });
    expect(redisTarget('rediss://:pw@cache:6379').location).toBe('rediss://cache:6379/0 (prefix tidings)');
  });

  it('refuses other schemes and prefixes that would change key layout', () => {
    expect(() => redisTarget('http://cache:6379')).toThrow(/redis:\/\//);
    expect(() => redisTarget('redis://cache:6379?prefix=a:b')).toThrow(/prefix/);
    expect(() => redisTarget('redis://cache:6379?prefix={x}')).toThrow(/prefix/);
  });
});
