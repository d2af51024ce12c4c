/**
 * @module providers/smtp/config
 * An SMTP provider is configured by one URL, the way mail libraries and operators already write it:
 * `smtp://USER:PASS@HOST:PORT?from=…` (port 587, STARTTLS when the server offers it) or
 * `smtps://USER:PASS@HOST:PORT?from=…` (port 465, TLS from the first byte). The sender is required:
 * a mail server rejects, or a spam filter sinks, mail without a proper From.
 */
import addressparser from 'nodemailer/lib/addressparser';
import { maskSecret } from '../../core/masking.js';

export interface SmtpConfig {
  /** The `name` in `smtp:<name>`. */
  name: string;
  host: string;
  port: number;
  /** TLS from connect (smtps, port 465); otherwise plain with STARTTLS when offered. */
  secure: boolean;
  /** Refuse to send unless STARTTLS succeeds: credentials and mail never cross the network in clear. */
  requireTLS: boolean;
  /** Null for a relay that takes mail without a login. */
  auth: { user: string; pass: string } | null;
  /** The From header as given, e.g. `Tidings <noreply@example.com>`. */
  from: string;
  /** The address part of `from`: the envelope sender, and the domain of our Message-IDs. */
  fromAddress: string;
  /** Our name in EHLO; null lets nodemailer use the machine's host name. */
  helo: string | null;
  /** Budget for each wait: connecting, the greeting, each reply. */
  timeoutMs: number;
  /** Pooled connections kept open to the server. */
  connections: number;
  maxPerSecond: number | null;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_CONNECTIONS = 3;

const NAME = /^[a-z0-9][a-z0-9_-]*$/i;
const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
const KNOWN_OPTIONS = new Set(['from', 'secure', 'requireTLS', 'name', 'helo', 'timeoutMs', 'connections', 'mps']);

/** Parses `smtp[s]://USER:PASS@HOST:PORT?from=…&secure=…&requireTLS=…&name=…&helo=…&timeoutMs=…&connections=…&mps=…`. */
export function parseSmtpUrl(input: URL | string): SmtpConfig {
  const url = typeof input === 'string' ? parseUrl(input) : input;
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error(`SMTP provider URL must start with smtp:// or smtps:// (got ${url.protocol}//)`);
  }
  const q = url.searchParams;
  for (const key of q.keys()) {
    if (!KNOWN_OPTIONS.has(key)) throw new Error(`SMTP provider URL: unknown option "${key}"`);
  }

  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new Error('SMTP provider URL needs a server host (smtp://USER:PASS@HOST:PORT?from=…)');
  const secure = bool(q.get('secure'), 'secure') ?? url.protocol === 'smtps:';
  const port = url.port === '' ? (secure ? 465 : 587) : Number(url.port);

  const user = decode(url.username, 'user');
  const pass = decode(url.password, 'password');
  if (user !== '' && pass === '') throw new Error('SMTP password is missing (smtp://USER:PASS@HOST)');
  if (user === '' && pass !== '') throw new Error('SMTP user is missing (smtp://USER:PASS@HOST)');

  const from = q.get('from')?.trim() ?? '';
  const fromAddress = senderAddress(from);

  const name = q.get('name') ?? 'default';
  if (!NAME.test(name)) throw new Error(`SMTP provider name "${name}" may hold only letters, digits, "-" and "_"`);
  const helo = q.get('helo');
  if (helo !== null && !/^[a-z0-9.-]+$/i.test(helo)) throw new Error(`SMTP helo "${helo}" must be a host name`);

  return {
    name,
    host,
    port,
    secure,
    requireTLS: bool(q.get('requireTLS'), 'requireTLS') ?? false,
    auth: user === '' ? null : { user, pass },
    from,
    fromAddress,
    helo,
    timeoutMs: positiveInt(q.get('timeoutMs'), 'timeoutMs') ?? DEFAULT_TIMEOUT_MS,
    connections: positiveInt(q.get('connections'), 'connections') ?? DEFAULT_CONNECTIONS,
    maxPerSecond: positiveInt(q.get('mps'), 'mps'),
  };
}

/** The config as an operator may see it: the same URL shape, the password masked. */
export function describeSmtpConfig(config: SmtpConfig): string {
  const q = new URLSearchParams();
  q.set('from', config.from);
  q.set('name', config.name);
  q.set('secure', String(config.secure));
  if (config.requireTLS) q.set('requireTLS', 'true');
  if (config.helo !== null) q.set('helo', config.helo);
  q.set('timeoutMs', String(config.timeoutMs));
  if (config.connections !== DEFAULT_CONNECTIONS) q.set('connections', String(config.connections));
  if (config.maxPerSecond !== null) q.set('mps', String(config.maxPerSecond));
  const login = config.auth ? `${config.auth.user}:${maskSecret(config.auth.pass)}@` : '';
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `${config.secure ? 'smtps' : 'smtp'}://${login}${host}:${config.port}?${q.toString()}`;
}

/** One bare address, `local@domain.tld`: what a message's `to` must be on this channel. */
export function isMailAddress(value: string): boolean {
  return ADDRESS.test(value);
}

/** Reads `Name <address>` or a bare address; exactly one mailbox. */
export function senderAddress(from: string): string {
  if (from === '') throw new Error('SMTP provider URL needs ?from= (e.g. from=Tidings%20<noreply@example.com>)');
  const parsed = addressparser(from);
  const only = parsed.length === 1 ? parsed[0] : undefined;
  const address = only?.address ?? '';
  if (!ADDRESS.test(address)) throw new Error(`SMTP from "${from}" is not one e-mail address`);
  return address;
}

function parseUrl(input: string): URL {
  try {
    return new URL(input);
  } catch {
    // Never echo the input: it holds the password.
    throw new Error('SMTP provider URL is not a valid URL (smtp://USER:PASS@HOST:PORT?from=…)');
  }
}

function decode(value: string, what: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new Error(`SMTP provider URL: the ${what} is not valid percent-encoding`);
  }
}

function bool(value: string | null, what: string): boolean | null {
  if (value === null) return null;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new Error(`SMTP ${what} must be true or false (got "${value}")`);
}

function positiveInt(value: string | null, what: string): number | null {
  if (value === null) return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`SMTP ${what} must be a positive integer (got "${value}")`);
  return n;
}
