import { describe, expect, it } from 'vitest';
import { isTidingsError } from '../core/errors.js';
import { checkWebhookUrl, isLoopbackHost } from './webhook-url.js';

const refused = (url: string, allowHttp = false, allowPrivate = false): string => {
  try {
    checkWebhookUrl(url, { allowHttp, allowPrivate });
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
      expect(checkWebhookUrl(url, { allowHttp: false, allowPrivate: true })).toBe(new URL(url).toString());
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

  it('refuses loopback, private and link-local targets unless TIDINGS_ALLOW_PRIVATE_WEBHOOKS allows them', () => {
    const inside = [
      'https://localhost/h',
      'https://api.localhost/h',
      'https://127.0.0.1/h',
      'https://127.1.2.3:8443/h',
      'https://10.0.0.5/h',
      'https://172.16.0.1/h',
      'https://172.31.255.255/h',
      'https://192.168.1.10/h',
      'https://169.254.169.254/latest/meta-data/',
      'https://100.64.0.1/h',
      'https://0.0.0.0/h',
      'https://224.0.0.1/h',
      'https://[::1]/h',
      'https://[::]/h',
      'https://[fd00::1]/h',
      'https://[fe80::1]/h',
      'https://[::ffff:127.0.0.1]/h',
      'https://[::ffff:a9fe:a9fe]/h',
      // WHATWG URL parsing turns these spellings into dotted IPv4 first.
      'https://2130706433/h',
      'https://0x7f.1/h',
      'https://0177.0.0.1/h',
    ];
    for (const url of inside) {
      expect(refused(url), url).toMatch(/TIDINGS_ALLOW_PRIVATE_WEBHOOKS/);
      expect(checkWebhookUrl(url, { allowHttp: false, allowPrivate: true }), url).toBe(new URL(url).toString());
    }
    for (const url of [
      'https://8.8.8.8/h',
      'https://172.32.0.1/h',
      'https://192.169.0.1/h',
      'https://[2001:db8::1]/h',
      'https://hooks.example.com/h',
    ]) {
      expect(checkWebhookUrl(url, { allowHttp: false }), url).toBe(new URL(url).toString());
    }
  });
});
