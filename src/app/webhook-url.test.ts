import { describe, expect, it } from 'vitest';
import { isTidingsError } from '../core/errors.js';
import { checkWebhookUrl, isLoopbackHost } from './webhook-url.js';

const refused = (url: string, allowHttp = false): string => {
  try {
    checkWebhookUrl(url, { allowHttp });
  } catch (err) {
    if (isTidingsError(err) && err.code === 'validation_failed' && err.field === 'url') return err.message;
    throw err;
  }
  throw new Error(`${url} was accepted`);
};

describe('webhook URLs', () => {
  it('accepts https anywhere', () => {
    expect(checkWebhookUrl('https://app.example.com/hooks/tidings?x=1', { allowHttp: false })).toBe(
      'https://app.example.com/hooks/tidings?x=1',
    );
  });

  it('accepts plain http only to loopback unless the operator allows it', () => {
    for (const url of [
      'http://localhost:4000/h',
      'http://127.0.0.1:9/h',
      'http://[::1]:8080/h',
      'http://a.localhost/',
    ]) {
      expect(checkWebhookUrl(url, { allowHttp: false })).toBe(new URL(url).toString());
    }
    expect(refused('http://app.example.com/h')).toMatch(/https/);
    expect(refused('http://10.0.0.5/h')).toMatch(/TIDINGS_ALLOW_HTTP_WEBHOOKS/);
    expect(checkWebhookUrl('http://app.example.com/h', { allowHttp: true })).toBe('http://app.example.com/h');
  });

  it('refuses what is not an http URL at all', () => {
    expect(refused('app.example.com/h')).toMatch(/absolute/);
    expect(refused('ftp://example.com/h', true)).toMatch(/https/);
    expect(refused('https://example.com/h#frag')).toMatch(/fragment/);
  });

  it('knows loopback hosts from look-alikes', () => {
    expect(isLoopbackHost('127.1.2.3')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('127.0.0.1.example.com')).toBe(false);
    expect(isLoopbackHost('localhost.example.com')).toBe(false);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
  });
});
