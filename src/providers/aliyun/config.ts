/**
 * @module providers/aliyun/config
 * An Aliyun (Alibaba Cloud) SMS provider is configured by one URL, so an operator can paste it into
 * an environment variable and read it back with the secret masked:
 *
 *   aliyun://ACCESS_KEY_ID:ACCESS_KEY_SECRET@SignName?templates=booking_reminder:SMS_123,otp:SMS_456
 *     &region=cn-hangzhou&endpoint=https://dysmsapi.aliyuncs.com&callbackToken=…&name=…
 *     &timeoutMs=10000&connections=64&mps=…
 *
 * The host part is the approved SMS signature (签名, e.g. `%E9%98%BF%E9%87%8C%E4%BA%91` for 阿里云),
 * percent-encoded when it is not ASCII. Errors say what is wrong, never what the secret is.
 */
import { maskSecret } from '../../core/masking.js';
import { formatTemplateMap, parseTemplateMap } from './templates.js';

export interface AliyunConfig {
  /** The `name` in `aliyun:<name>`; lets one install hold several Aliyun accounts. */
  name: string;
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  /** Picks the default endpoint; Dysmsapi itself is not region-scoped in the signature. */
  region: string;
  /** Our template name → Aliyun TemplateCode (`SMS_123`). */
  templates: ReadonlyMap<string, string>;
  /** Shared secret the SmsReport URL must carry as `?token=`; null: reports are refused. */
  callbackToken: string | null;
  /** Origin of the API: Aliyun's, or a fake server in tests. Its host (and port) is what is signed. */
  endpoint: string;
  timeoutMs: number;
  connections: number;
  maxPerSecond: number | null;
}

export const DEFAULT_REGION = 'cn-hangzhou';
export const CENTRAL_HOST = 'dysmsapi.aliyuncs.com';
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECTIONS = 64;

/**
 * The SDK's `_endpointMap` (`@alicloud/dysmsapi20170525` 4.6.0, providers.md §3.1); every other
 * region uses the central endpoint, as the SDK's "central" endpoint rule does.
 */
const REGIONAL_HOSTS: Readonly<Record<string, string>> = {
  'ap-southeast-1': 'dysmsapi.ap-southeast-1.aliyuncs.com',
  'ap-southeast-5': 'dysmsapi.ap-southeast-5.aliyuncs.com',
  'cn-beijing': 'dysmsapi-proxy.cn-beijing.aliyuncs.com',
  'cn-hongkong': 'dysmsapi-xman.cn-hongkong.aliyuncs.com',
  'eu-central-1': 'dysmsapi.eu-central-1.aliyuncs.com',
  'us-east-1': 'dysmsapi.us-east-1.aliyuncs.com',
};

const NAME = /^[a-z0-9][a-z0-9_-]*$/i;
const REGION = /^[a-z]{2,}(-[a-z0-9]+)+$/;
const PRINTABLE = /^[\x21-\x7e]+$/;
const MIN_CALLBACK_TOKEN = 16;
const KNOWN_OPTIONS = new Set([
  'templates',
  'region',
  'endpoint',
  'callbackToken',
  'name',
  'timeoutMs',
  'connections',
  'mps',
]);
const SHAPE = 'aliyun://ACCESS_KEY_ID:ACCESS_KEY_SECRET@SignName';

export function parseAliyunUrl(input: URL | string): AliyunConfig {
  const url = typeof input === 'string' ? parseUrl(input) : input;
  if (url.protocol !== 'aliyun:')
    throw new Error(`Aliyun provider URL must start with aliyun:// (got ${url.protocol}//)`);
  const q = url.searchParams;
  for (const key of q.keys()) {
    if (!KNOWN_OPTIONS.has(key)) throw new Error(`Aliyun provider URL: unknown option "${key}"`);
  }

  const accessKeyId = decode(url.username, 'AccessKey ID');
  if (!PRINTABLE.test(accessKeyId)) throw new Error(`Aliyun AccessKey ID is missing (${SHAPE})`);
  const accessKeySecret = decode(url.password, 'AccessKey secret');
  if (accessKeySecret === '') throw new Error(`Aliyun AccessKey secret is missing (${SHAPE})`);
  const signName = decode(url.host, 'SignName').trim();
  if (signName === '') throw new Error(`Aliyun SignName is missing (${SHAPE})`);

  const region = q.get('region') ?? DEFAULT_REGION;
  if (!REGION.test(region)) throw new Error(`Aliyun region "${region}" does not look like cn-hangzhou`);
  const callbackToken = q.get('callbackToken');
  if (callbackToken !== null && callbackToken.length < MIN_CALLBACK_TOKEN) {
    throw new Error(`Aliyun callbackToken must be at least ${MIN_CALLBACK_TOKEN} characters: it is the only proof`);
  }
  const name = q.get('name') ?? 'default';
  if (!NAME.test(name)) throw new Error(`Aliyun provider name "${name}" may hold only letters, digits, "-" and "_"`);

  return {
    name,
    accessKeyId,
    accessKeySecret,
    signName,
    region,
    templates: parseTemplateMap(q.get('templates')),
    callbackToken,
    endpoint: parseEndpoint(q.get('endpoint'), region),
    timeoutMs: positiveInt(q.get('timeoutMs'), 'timeoutMs') ?? DEFAULT_TIMEOUT_MS,
    connections: positiveInt(q.get('connections'), 'connections') ?? DEFAULT_CONNECTIONS,
    maxPerSecond: positiveInt(q.get('mps'), 'mps'),
  };
}

/** The config as an operator may see it: the same URL shape, the secret and callback token masked. */
export function describeAliyunConfig(c: AliyunConfig): string {
  const q = new URLSearchParams();
  if (c.templates.size > 0) q.set('templates', formatTemplateMap(c.templates));
  q.set('region', c.region);
  if (c.endpoint !== defaultEndpoint(c.region)) q.set('endpoint', c.endpoint);
  if (c.callbackToken !== null) q.set('callbackToken', maskSecret(c.callbackToken));
  q.set('name', c.name);
  q.set('timeoutMs', String(c.timeoutMs));
  if (c.connections !== DEFAULT_CONNECTIONS) q.set('connections', String(c.connections));
  if (c.maxPerSecond !== null) q.set('mps', String(c.maxPerSecond));
  // Printed, not parsed: the sign name and the mapping read as typed.
  return `aliyun://${c.accessKeyId}:${maskSecret(c.accessKeySecret)}@${c.signName}?${decodeURIComponent(q.toString())}`;
}

export function defaultEndpoint(region: string): string {
  return `https://${REGIONAL_HOSTS[region] ?? CENTRAL_HOST}`;
}

function parseUrl(input: string): URL {
  try {
    return new URL(input);
  } catch {
    // Never echo the input: it holds the AccessKey secret.
    throw new Error(`Aliyun provider URL is not a valid URL (${SHAPE}?templates=name:SMS_123)`);
  }
}

function decode(value: string, what: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new Error(`Aliyun provider URL: the ${what} is not valid percent-encoding`);
  }
}

/** Dysmsapi lives at `/`; a path would be outside what the signature covers. */
function parseEndpoint(value: string | null, region: string): string {
  if (value === null || value === '') return defaultEndpoint(region);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`Aliyun endpoint "${value}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('Aliyun endpoint must be http(s)');
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '') {
    throw new Error('Aliyun endpoint is an origin only, e.g. https://dysmsapi.aliyuncs.com');
  }
  return url.origin;
}

function positiveInt(value: string | null, what: string): number | null {
  if (value === null) return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`Aliyun ${what} must be a positive integer (got "${value}")`);
  return n;
}
