/**
 * @module providers/twilio/config
 * A Twilio provider is configured by one URL, `twilio://ACCOUNT_SID:AUTH_TOKEN@SENDER?options`, so an
 * operator can paste it into an environment variable and read it back with the token masked. This file
 * turns that URL (or the seed's TWILIO_* variables) into a checked, typed config and fails early with
 * a message that says what is wrong, never what the secret is.
 */
import { maskSecret } from '../../core/masking.js';

export interface TwilioConfig {
  /** The `name` in `twilio:<name>`; lets one install hold several Twilio accounts. */
  name: string;
  accountSid: string;
  authToken: string;
  /** Sender (E.164 number, short code or alphanumeric ID); null when a Messaging Service picks it. */
  from: string | null;
  messagingServiceSid: string | null;
  /** Origin (and optional path prefix) of the REST API; a fake server in tests. */
  baseUrl: string;
  /** Per-request budget, connect to last byte. */
  timeoutMs: number;
  /** Keep-alive connections to the API; Twilio allows many concurrent requests per account. */
  connections: number;
  /** Declared sending rate, when the operator knows the sender's MPS. */
  maxPerSecond: number | null;
}

export const DEFAULT_BASE_URL = 'https://api.twilio.com';
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECTIONS = 128;

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;
const NAME = /^[a-z0-9][a-z0-9_-]*$/i;
const KNOWN_OPTIONS = new Set(['baseUrl', 'messagingServiceSid', 'name', 'timeoutMs', 'connections', 'mps']);

/**
 * Parses `twilio://SID:TOKEN@+15551234567?baseUrl=…&messagingServiceSid=MG…&name=…&timeoutMs=…`.
 * `scheme` lets Twilio Voice (`twilio-voice://`) share the account part of the URL.
 */
export function parseTwilioUrl(input: URL | string, scheme: 'twilio' | 'twilio-voice' = 'twilio'): TwilioConfig {
  const url = typeof input === 'string' ? parseUrl(input) : input;
  if (url.protocol !== `${scheme}:`)
    throw new Error(`Twilio provider URL must start with ${scheme}:// (got ${url.protocol}//)`);
  const q = url.searchParams;
  for (const key of q.keys()) {
    if (!KNOWN_OPTIONS.has(key)) throw new Error(`Twilio provider URL: unknown option "${key}"`);
  }

  const accountSid = decode(url.username, 'account SID');
  if (!ACCOUNT_SID.test(accountSid)) {
    throw new Error('Twilio account SID must be "AC" followed by 32 hex digits (twilio://ACCOUNT_SID:AUTH_TOKEN@FROM)');
  }
  const authToken = decode(url.password, 'auth token');
  if (authToken === '') throw new Error('Twilio auth token is missing (twilio://ACCOUNT_SID:AUTH_TOKEN@FROM)');

  // The host names the sender; a Messaging Service SID there (or in the query) lets Twilio pick one.
  const host = decode(url.host, 'sender');
  let from: string | null = host === '' ? null : host;
  let messagingServiceSid = q.get('messagingServiceSid');
  if (from !== null && MESSAGING_SERVICE_SID.test(from)) {
    messagingServiceSid ??= from;
    from = null;
  }
  if (messagingServiceSid !== null && !MESSAGING_SERVICE_SID.test(messagingServiceSid)) {
    throw new Error('Twilio messagingServiceSid must be "MG" followed by 32 hex digits');
  }
  if (from === null && messagingServiceSid === null) {
    throw new Error('Twilio provider needs a sender (twilio://SID:TOKEN@+15551234567) or ?messagingServiceSid=MG…');
  }

  const name = q.get('name') ?? 'primary';
  if (!NAME.test(name)) throw new Error(`Twilio provider name "${name}" may hold only letters, digits, "-" and "_"`);

  return {
    name,
    accountSid,
    authToken,
    from,
    messagingServiceSid,
    baseUrl: parseBaseUrl(q.get('baseUrl')),
    timeoutMs: positiveInt(q.get('timeoutMs'), 'timeoutMs') ?? DEFAULT_TIMEOUT_MS,
    connections: positiveInt(q.get('connections'), 'connections') ?? DEFAULT_CONNECTIONS,
    maxPerSecond: positiveInt(q.get('mps'), 'mps'),
  };
}

/**
 * Builds a provider URL from the seed's variables, so an install configured the old way keeps
 * working. Null when the account is not configured at all.
 */
export function twilioUrlFromEnv(env: Record<string, string | undefined>): string | null {
  const sid = env.TWILIO_ACCOUNT_SID?.trim();
  const token = env.TWILIO_AUTH_TOKEN?.trim();
  if (!sid || !token) return null;
  const from = env.TWILIO_PHONE_NUMBER?.trim() || null;
  const service = env.TWILIO_MESSAGING_SERVICE_SID?.trim() || null;
  const host = from ?? service;
  if (host === null) {
    throw new Error('TWILIO_PHONE_NUMBER or TWILIO_MESSAGING_SERVICE_SID is required with TWILIO_ACCOUNT_SID');
  }
  const q = new URLSearchParams();
  if (env.TWILIO_BASE_URL?.trim()) q.set('baseUrl', env.TWILIO_BASE_URL.trim());
  if (from !== null && service !== null) q.set('messagingServiceSid', service);
  const query = q.toString();
  return `twilio://${encodeURIComponent(sid)}:${encodeURIComponent(token)}@${encodeURIComponent(host)}${query ? `?${query}` : ''}`;
}

/** The config as an operator may see it: the same URL shape, the token masked. */
export function describeTwilioConfig(config: TwilioConfig): string {
  const q = new URLSearchParams();
  if (config.baseUrl !== DEFAULT_BASE_URL) q.set('baseUrl', config.baseUrl);
  if (config.messagingServiceSid !== null) q.set('messagingServiceSid', config.messagingServiceSid);
  q.set('name', config.name);
  q.set('timeoutMs', String(config.timeoutMs));
  if (config.connections !== DEFAULT_CONNECTIONS) q.set('connections', String(config.connections));
  if (config.maxPerSecond !== null) q.set('mps', String(config.maxPerSecond));
  // Printed, not parsed: no percent-encoding, so the sender and the mask read as typed.
  return `twilio://${config.accountSid}:${maskSecret(config.authToken)}@${config.from ?? ''}?${q.toString()}`;
}

function parseUrl(input: string): URL {
  try {
    return new URL(input);
  } catch {
    // Never echo the input: it holds the auth token.
    throw new Error('Twilio provider URL is not a valid URL (twilio://ACCOUNT_SID:AUTH_TOKEN@FROM?options)');
  }
}

function decode(value: string, what: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new Error(`Twilio provider URL: the ${what} is not valid percent-encoding`);
  }
}

function parseBaseUrl(value: string | null): string {
  if (value === null || value === '') return DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`Twilio baseUrl "${value}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('Twilio baseUrl must be http(s)');
  if (url.search !== '' || url.hash !== '') throw new Error('Twilio baseUrl may not have a query or fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function positiveInt(value: string | null, what: string): number | null {
  if (value === null) return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`Twilio ${what} must be a positive integer (got "${value}")`);
  return n;
}
