import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

describe('configuration', () => {
  it('has embedded defaults that need nothing set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      publicUrl: 'http://127.0.0.1:3000',
      databaseUrl: 'sqlite:./data/tidings.db',
      providerUrls: [],
      sendTimeoutMs: 10_000,
      workerConcurrency: 256,
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads durations, lists and the seed variables', () => {
    const c = loadConfig({
      PORT: '8080',
      TIDINGS_PUBLIC_URL: 'https://sms.example.com/',
      TIDINGS_PROVIDERS: 'sim://a, sim://b',
      TIDINGS_SEND_TIMEOUT: '2s',
      TIDINGS_RETRY_MAX_DELAY: '5m',
      TWILIO_ACCOUNT_SID: 'AC123',
    });
    expect(c.port).toBe(8080);
    expect(c.publicUrl).toBe('https://sms.example.com');
    expect(c.providerUrls).toEqual(['sim://a', 'sim://b']);
    expect(c.sendTimeoutMs).toBe(2_000);
    expect(c.retry.maxDelayMs).toBe(300_000);
    expect(c.twilioEnv.TWILIO_ACCOUNT_SID).toBe('AC123');
    expect(c.jobLeaseMs).toBeGreaterThanOrEqual(2 * c.sendTimeoutMs);
  });

  it('bounds the heap growth between full collections: 50 % by default, 0 for V8 to choose', () => {
    expect(loadConfig({}).heapGrowthPercent).toBe(50);
    expect(loadConfig({ TIDINGS_HEAP_GROWTH: '0' }).heapGrowthPercent).toBe(0);
    expect(loadConfig({ TIDINGS_HEAP_GROWTH: '100' }).heapGrowthPercent).toBe(100);
    for (const bad of ['-1', '1.5', 'lots', '301']) {
      expect(() => loadConfig({ TIDINGS_HEAP_GROWTH: bad })).toThrow(/TIDINGS_HEAP_GROWTH/);
    }
  });

  it('reads secrets from mounted files (X_FILE)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidings-config-'));
    writeFileSync(join(dir, 'key'), 'a-very-long-admin-key-from-a-file\n');
    expect(loadConfig({ TIDINGS_API_KEY_FILE: join(dir, 'key') }).apiKey).toBe('a-very-long-admin-key-from-a-file');
    expect(() => loadConfig({ TIDINGS_API_KEY_FILE: join(dir, 'missing') })).toThrow(ConfigError);
  });

  it('picks the Redis queue from TIDINGS_REDIS_URL (or its _FILE), and never echoes a bad one', () => {
    expect(loadConfig({}).redisUrl).toBeUndefined();
    expect(loadConfig({ TIDINGS_REDIS_URL: 'redis://:s3cret@redis:6379/2' }).redisUrl).toBe(
      'redis://:s3cret@redis:6379/2',
    );
    const dir = mkdtempSync(join(tmpdir(), 'tidings-config-'));
    writeFileSync(join(dir, 'redis'), 'rediss://tidings:s3cret@redis.internal:6380/0\n');
    expect(loadConfig({ TIDINGS_REDIS_URL_FILE: join(dir, 'redis') }).redisUrl).toBe(
      'rediss://tidings:s3cret@redis.internal:6380/0',
    );
    for (const bad of ['http://:s3cret@redis:6379', 'redis://', 'redis:s3cret']) {
      let message = '';
      try {
        loadConfig({ TIDINGS_REDIS_URL: bad });
      } catch (err) {
        message = String(err);
      }
      expect(message).toContain('TIDINGS_REDIS_URL');
      expect(message).not.toContain('s3cret');
    }
  });

  it('names every invalid variable', () => {
    expect(() =>
      loadConfig({ TIDINGS_PORT: 'eighty', TIDINGS_DEFAULT_REGION: 'usa', TIDINGS_API_KEY: 'short' }),
    ).toThrow(/TIDINGS_PORT.*TIDINGS_API_KEY.*TIDINGS_DEFAULT_REGION|TIDINGS_PORT/);
    let message = '';
    try {
      loadConfig({ TIDINGS_SEND_TIMEOUT: 'forever', TIDINGS_API_KEY: 'short' });
    } catch (err) {
      message = String(err);
    }
    expect(message).toContain('TIDINGS_SEND_TIMEOUT');
    expect(message).toContain('TIDINGS_API_KEY');
    expect(message).not.toContain('short'); // a bad secret is never echoed back
  });
});
