/**
 * @module app/webhook-url
 * Where the application may ask us to send its events. Payloads name messages and, for replies,
 * people's numbers, so they travel over TLS: plain http is accepted only to this machine (a
 * receiver on localhost during development) or when the operator allows it outright
 * (TIDINGS_ALLOW_HTTP_WEBHOOKS=1, for a test network). Loopback, private and link-local addresses
 * are refused unless TIDINGS_ALLOW_PRIVATE_WEBHOOKS=1 (local development, tests, a receiver on the
 * same private network): the server would otherwise call into its own network on an admin's word.
 */
import { TidingsError } from '../core/errors.js';
import { isPrivateHost } from './private-address.js';

export interface WebhookUrlPolicy {
  /** TIDINGS_ALLOW_HTTP_WEBHOOKS: plain http to any host. */
  allowHttp: boolean;
  /** TIDINGS_ALLOW_PRIVATE_WEBHOOKS: loopback, private and link-local targets. */
  allowPrivate?: boolean;
}

const invalid = (why: string): TidingsError => new TidingsError('validation_failed', why, 'url');

/** localhost, 127.0.0.0/8 and ::1: a loopback address never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The URL as it will be called, or `validation_failed` on `url` saying why not. */
export function checkWebhookUrl(input: string, opts: WebhookUrlPolicy): string {
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
  if (!opts.allowPrivate && isPrivateHost(url.hostname)) {
    throw invalid(
      'The url points at a loopback, private or link-local address; set TIDINGS_ALLOW_PRIVATE_WEBHOOKS=1 to allow it.',
    );
  }
  return url.toString();
}
