/**
 * @module app/webhook-url
 * Where the application may ask us to send its events. Payloads name messages and, for replies,
 * people's numbers, so they travel over TLS: plain http is accepted only to this machine (a
 * receiver on localhost during development) or when the operator allows it outright
 * (TIDINGS_ALLOW_HTTP_WEBHOOKS=1, for a test network).
 */
import { TidingsError } from '../core/errors.js';

const invalid = (why: string): TidingsError => new TidingsError('validation_failed', why, 'url');

/** localhost, 127.0.0.0/8 and ::1: a loopback address never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The URL as it will be called, or `validation_failed` on `url` saying why not. */
export function checkWebhookUrl(input: string, opts: { allowHttp: boolean }): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw invalid('The url is not an absolute URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('The url must start with https://.');
  if (url.hostname === '') throw invalid('The url has no host.');
  if (url.hash !== '') throw invalid('The url must not have a #fragment.');
  if (url.protocol === 'http:' && !opts.allowHttp && !isLoopbackHost(url.hostname)) {
    throw invalid(
      'The url must use https:// (plain http is accepted only to localhost, or with TIDINGS_ALLOW_HTTP_WEBHOOKS=1).',
    );
  }
  return url.toString();
}
