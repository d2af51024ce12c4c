/**
 * @module providers/webpush/config
 * A Web Push provider is configured by one URL holding the VAPID key pair and the contact that
 * push services show the operator of a misbehaving sender (RFC 8292 `sub`). What follows the `@`
 * is that contact without its scheme:
 *
 *   webpush://PUBLIC_KEY:PRIVATE_KEY@ops%40example.com?ttl=86400   → sub = mailto:ops@example.com
 *   webpush://PUBLIC_KEY:PRIVATE_KEY@example.com/contact           → sub = https://example.com/contact
 *
 * `ca=/path/to/ca.pem` adds a CA to trust besides the system's, for a private push service (one
 * behind a company CA, or a test service): the file is read once, when the provider starts.
 *
 * Keys are the base64url strings `web-push generate-vapid-keys` prints. They are checked here to be
 * one P-256 pair, because a mismatched pair fails only later, at every push service, as 401/403.
 */
import { createECDH } from 'node:crypto';
import { maskSecret } from '../../core/masking.js';

export type Urgency = 'very-low' | 'low' | 'normal' | 'high';

export interface WebPushConfig {
  /** The `name` in `webpush:<name>`. */
  name: string;
  /** VAPID public key: base64url of the 65-byte uncompressed P-256 point (the browser's applicationServerKey). */
  publicKey: string;
  /** VAPID private key: base64url of the 32-byte P-256 scalar. */
  privateKey: string;
  /** `mailto:…` or `https:…`. */
  subject: string;
  /** How long the push service keeps an undelivered notification (the TTL header), in seconds. */
  ttlSeconds: number;
  urgency: Urgency;
  /** Per-request budget, connect to last byte. */
  timeoutMs: number;
  maxPerSecond: number | null;
  /** A PEM file of extra CA certificates to trust (`ca=`), or null: the system's CAs only. */
  caFile: string | null;
}

export const DEFAULT_TTL_SECONDS = 86_400;
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Fallback notices are sent because another channel failed: ask for prompt delivery. */
export const DEFAULT_URGENCY: Urgency = 'high';

const NAME = /^[a-z0-9][a-z0-9_-]*$/i;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const URGENCIES: ReadonlySet<string> = new Set(['very-low', 'low', 'normal', 'high']);
const KNOWN_OPTIONS = new Set(['ttl', 'urgency', 'name', 'timeoutMs', 'mps', 'ca']);
/** Push services keep messages up to 28 days (RFC 8030 leaves the cap to them; FCM's is 4 weeks). */
const MAX_TTL_SECONDS = 2_419_200;

/** Parses `webpush://PUBLIC_KEY:PRIVATE_KEY@CONTACT?ttl=…&urgency=…&name=…&timeoutMs=…&mps=…&ca=…`. */
export function parseWebPushUrl(input: URL | string): WebPushConfig {
  const url = typeof input === 'string' ? parseUrl(input) : input;
  if (url.protocol !== 'webpush:')
    throw new Error(`Web Push provider URL must start with webpush:// (got ${url.protocol}//)`);
  const q = url.searchParams;
  for (const key of q.keys()) {
    if (!KNOWN_OPTIONS.has(key)) throw new Error(`Web Push provider URL: unknown option "${key}"`);
  }

  const publicKey = decode(url.username, 'public key');
  const privateKey = decode(url.password, 'private key');
  checkKeyPair(publicKey, privateKey);

  const name = q.get('name') ?? 'default';
  if (!NAME.test(name)) throw new Error(`Web Push provider name "${name}" may hold only letters, digits, "-" and "_"`);
  const urgency = q.get('urgency') ?? DEFAULT_URGENCY;
  if (!URGENCIES.has(urgency))
    throw new Error(`Web Push urgency must be very-low, low, normal or high (got "${urgency}")`);
  const ttl = q.get('ttl');
  const ttlSeconds = ttl === null ? DEFAULT_TTL_SECONDS : Number(ttl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 0 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new Error(`Web Push ttl must be whole seconds from 0 to ${MAX_TTL_SECONDS} (got "${ttl}")`);
  }
  const caFile = q.get('ca');
  if (caFile === '') throw new Error('Web Push ca must be the path of a PEM file (ca=/etc/tidings/push-ca.pem)');

  return {
    name,
    publicKey,
    privateKey,
    subject: subjectOf(url),
    ttlSeconds,
    urgency: urgency as Urgency,
    timeoutMs: positiveInt(q.get('timeoutMs'), 'timeoutMs') ?? DEFAULT_TIMEOUT_MS,
    maxPerSecond: positiveInt(q.get('mps'), 'mps'),
    caFile,
  };
}

/** The config as an operator may see it: the same URL shape, the private key masked. */
export function describeWebPushConfig(config: WebPushConfig): string {
  const q = new URLSearchParams();
  q.set('name', config.name);
  q.set('timeoutMs', String(config.timeoutMs));
  q.set('ttl', String(config.ttlSeconds));
  q.set('urgency', config.urgency);
  if (config.maxPerSecond !== null) q.set('mps', String(config.maxPerSecond));
  if (config.caFile !== null) q.set('ca', config.caFile);
  const contact = config.subject.startsWith('mailto:')
    ? config.subject.slice('mailto:'.length).replace('@', '%40')
    : config.subject.slice('https://'.length);
  return `webpush://${config.publicKey}:${maskSecret(config.privateKey)}@${contact}?${q.toString()}`;
}

/** `ops%40example.com` → `mailto:ops@example.com`; `example.com/contact` → `https://example.com/contact`. */
function subjectOf(url: URL): string {
  const host = decode(url.host, 'contact');
  if (host.includes('@')) {
    if (url.pathname !== '' && url.pathname !== '/') {
      throw new Error('Web Push contact: an e-mail address takes no path (webpush://PUB:PRIV@ops%40example.com)');
    }
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(host))
      throw new Error(`Web Push contact "${host}" is not an e-mail address`);
    return `mailto:${host}`;
  }
  if (!/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(url.hostname)) {
    throw new Error(
      'Web Push provider URL needs a contact after the @: an e-mail address (ops%40example.com) or a web address (example.com/contact)',
    );
  }
  return `https://${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}

function checkKeyPair(publicKey: string, privateKey: string): void {
  const usage = 'the VAPID keys as `npx web-push generate-vapid-keys` prints them (webpush://PUBLIC_KEY:PRIVATE_KEY@…)';
  if (publicKey === '' || privateKey === '') throw new Error(`Web Push provider URL needs ${usage}`);
  if (!BASE64URL.test(publicKey) || !BASE64URL.test(privateKey)) {
    throw new Error(`Web Push keys must be base64url: ${usage}`);
  }
  const pub = Buffer.from(publicKey, 'base64url');
  const priv = Buffer.from(privateKey, 'base64url');
  if (pub.length !== 65 || pub[0] !== 0x04) throw new Error('Web Push public key must be a 65-byte P-256 point');
  if (priv.length !== 32) throw new Error('Web Push private key must be 32 bytes');
  let derived: Buffer;
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(priv);
    derived = ecdh.getPublicKey();
  } catch {
    throw new Error('Web Push private key is not a valid P-256 key');
  }
  if (!derived.equals(pub)) throw new Error('Web Push public and private keys are not one pair');
}

function parseUrl(input: string): URL {
  try {
    return new URL(input);
  } catch {
    // Never echo the input: it holds the private key.
    throw new Error('Web Push provider URL is not a valid URL (webpush://PUBLIC_KEY:PRIVATE_KEY@CONTACT?options)');
  }
}

function decode(value: string, what: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new Error(`Web Push provider URL: the ${what} is not valid percent-encoding`);
  }
}

function positiveInt(value: string | null, what: string): number | null {
  if (value === null) return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`Web Push ${what} must be a positive integer (got "${value}")`);
  return n;
}
