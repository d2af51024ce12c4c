/**
 * @module providers/tencent/config
 * A Tencent Cloud SMS provider is configured by one URL, so an operator can paste it into an
 * environment variable and read it back with the secret masked:
 *
 *   tencent://SECRET_ID:SECRET_KEY@SignName?sdkAppId=1400000000&region=ap-guangzhou
 *     &templates=booking_reminder:1110123(name|time),otp:1110456(code|minutes)
 *     &senderId=…&callbackToken=…&endpoint=https://sms.tencentcloudapi.com&host=…&name=…
 *     &timeoutMs=10000&connections=64&mps=…
 *
 * The host part is the SMS signature's *content* (签名内容, e.g. `%E8%85%BE%E8%AE%AF%E4%BA%91`
 * for 腾讯云), percent-encoded when it is not ASCII. Errors say what is wrong, never the secret.
 */
import { maskSecret } from '../../core/masking.js';
import { formatTemplateMap, parseTemplateMap, type TemplateSpec } from './templates.js';

export interface TencentConfig {
  /** The `name` in `tencent:<name>`; lets one install hold several Tencent accounts. */
  name: string;
  secretId: string;
  secretKey: string;
  /** SignName for mainland China numbers; international sends go without one. */
  signName: string;
  sdkAppId: string;
  region: string;
  templates: ReadonlyMap<string, TemplateSpec>;
  /** SenderId for international numbers, when the account has its own (else Tencent's shared one). */
  senderId: string | null;
  /** Shared secret the status-callback URL must carry as `?token=`; null: callbacks are refused. */
  callbackToken: string | null;
  /** Where requests go: Tencent's API, or a fake server in tests. */
  endpoint: string;
  /** The Host that is sent and signed; its first label (`sms`) is the service in the TC3 scope. */
  host: string;
  timeoutMs: number;
  connections: number;
  maxPerSecond: number | null;
}

export const DEFAULT_HOST = 'sms.tencentcloudapi.com';
export const DEFAULT_REGION = 'ap-guangzhou';
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECTIONS = 64;

const NAME = /^[a-z0-9][a-z0-9_-]*$/i;
const SDK_APP_ID = /^\d{5,20}$/;
const REGION = /^[a-z]{2,}(-[a-z]+)+(-\d+)?$/;
const PRINTABLE = /^[\x21-\x7e]+$/;
const HOSTNAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i;
const MIN_CALLBACK_TOKEN = 16;
const KNOWN_OPTIONS = new Set([
  'sdkAppId',
  'region',
  'templates',
  'senderId',
  'callbackToken',
  'endpoint',
  'host',
  'name',
  'timeoutMs',
  'connections',
  'mps',
]);

export function parseTencentUrl(input: URL | string): TencentConfig {
  const url = typeof input === 'string' ? parseUrl(input) : input;
  if (url.protocol !== 'tencent:') {
    throw new Error(`Tencent provider URL must start with tencent:// (got ${url.protocol}//)`);
  }
  const q = url.searchParams;
  for (const key of q.keys()) {
    if (!KNOWN_OPTIONS.has(key)) throw new Error(`Tencent provider URL: unknown option "${key}"`);
  }

  const secretId = decode(url.username, 'SecretId');
  if (!PRINTABLE.test(secretId)) throw new Error('Tencent SecretId is missing (tencent://SECRET_ID:SECRET_KEY@SIGN)');
  const secretKey = decode(url.password, 'SecretKey');
  if (secretKey === '') throw new Error('Tencent SecretKey is missing (tencent://SECRET_ID:SECRET_KEY@SIGN)');
  const signName = decode(url.host, 'SignName').trim();
  if (signName === '') throw new Error('Tencent SignName is missing (tencent://SECRET_ID:SECRET_KEY@SIGN)');

  const sdkAppId = q.get('sdkAppId') ?? '';
  if (!SDK_APP_ID.test(sdkAppId))
    throw new Error('Tencent sdkAppId is required: the SMS application id, e.g. 1400006666');
  const region = q.get('region') ?? DEFAULT_REGION;
  if (!REGION.test(region)) throw new Error(`Tencent region "${region}" does not look like ap-guangzhou`);

  const callbackToken = q.get('callbackToken');
  if (callbackToken !== null && callbackToken.length < MIN_CALLBACK_TOKEN) {
    throw new Error(`Tencent callbackToken must be at least ${MIN_CALLBACK_TOKEN} characters: it is the only proof`);
  }
  const host = (q.get('host') ?? DEFAULT_HOST).toLowerCase();
  if (!HOSTNAME.test(host)) throw new Error(`Tencent host "${host}" is not a host name`);

  const name = q.get('name') ?? 'default';
  if (!NAME.test(name)) throw new Error(`Tencent provider name "${name}" may hold only letters, digits, "-" and "_"`);

  return {
    name,
    secretId,
    secretKey,
    signName,
    sdkAppId,
    region,
    templates: parseTemplateMap(q.get('templates')),
    senderId: q.get('senderId') || null,
    callbackToken,
    endpoint: parseEndpoint(q.get('endpoint'), host),
    host,
    timeoutMs: positiveInt(q.get('timeoutMs'), 'timeoutMs') ?? DEFAULT_TIMEOUT_MS,
    connections: positiveInt(q.get('connections'), 'connections') ?? DEFAULT_CONNECTIONS,
    maxPerSecond: positiveInt(q.get('mps'), 'mps'),
  };
}

/** The config as an operator may see it: the same URL shape, the SecretKey and token masked. */
export function describeTencentConfig(c: TencentConfig): string {
  const q = new URLSearchParams();
  q.set('sdkAppId', c.sdkAppId);
  q.set('region', c.region);
  if (c.templates.size > 0) q.set('templates', formatTemplateMap(c.templates));
  if (c.senderId !== null) q.set('senderId', c.senderId);
  if (c.callbackToken !== null) q.set('callbackToken', maskSecret(c.callbackToken));
  if (c.endpoint !== `https://${c.host}`) q.set('endpoint', c.endpoint);
  if (c.host !== DEFAULT_HOST) q.set('host', c.host);
  q.set('name', c.name);
  q.set('timeoutMs', String(c.timeoutMs));
  if (c.connections !== DEFAULT_CONNECTIONS) q.set('connections', String(c.connections));
  if (c.maxPerSecond !== null) q.set('mps', String(c.maxPerSecond));
  // Printed, not parsed: the sign name and mapping read as typed.
  return `tencent://${c.secretId}:${maskSecret(c.secretKey)}@${c.signName}?${decodeURIComponent(q.toString())}`;
}

function parseUrl(input: string): URL {
  try {
    return new URL(input);
  } catch {
    // Never echo the input: it holds the SecretKey.
    throw new Error('Tencent provider URL is not a valid URL (tencent://SECRET_ID:SECRET_KEY@SIGN?sdkAppId=…)');
  }
}

function decode(value: string, what: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new Error(`Tencent provider URL: the ${what} is not valid percent-encoding`);
  }
}

/** Tencent's API lives at `/`; a path would be outside what TC3 signs. */
function parseEndpoint(value: string | null, host: string): string {
  if (value === null || value === '') return `https://${host}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`Tencent endpoint "${value}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('Tencent endpoint must be http(s)');
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '') {
    throw new Error('Tencent endpoint is an origin only, e.g. https://sms.tencentcloudapi.com');
  }
  return url.origin;
}

function positiveInt(value: string | null, what: string): number | null {
  if (value === null) return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`Tencent ${what} must be a positive integer (got "${value}")`);
  return n;
}
