/**
 * @module providers/sns/config
 * An SNS provider is configured by one URL, `sns://ACCESS_KEY_ID:SECRET@REGION?options`, so the
 * credentials live where the operator put them and nowhere else: the SDK is never allowed to look
 * for them in the machine's AWS environment or profile files. The region takes the host position
 * because it is the one thing every SNS account must choose; the sender settings are options.
 */
import { maskSecret } from '../../core/masking.js';

export type SmsType = 'Transactional' | 'Promotional';

export interface SnsConfig {
  /** The `name` in `sns:<name>`; lets one install hold several AWS accounts or regions. */
  name: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** Endpoint override (a fake server in tests); null for AWS's own endpoint of `region`. */
  endpoint: string | null;
  /**
   * Sent as `AWS.SNS.SMS.SMSType` with every message. Ours defaults to Transactional (codes,
   * reminders, alerts: best delivery); SNS's own default is Promotional, cheaper and droppable.
   */
  smsType: SmsType;
  /** `AWS.SNS.SMS.SenderID`: 3–11 letters and digits, at least one letter; not used in the US. */
  senderId: string | null;
  /** `AWS.MM.SMS.OriginationNumber` when the message names no sender of its own. */
  originationNumber: string | null;
  /** `AWS.SNS.SMS.MaxPrice`, USD per message, as typed (a decimal). */
  maxPrice: string | null;
  /** Per-request budget, connect to last byte. */
  timeoutMs: number;
  /** Declared sending rate, when the operator knows the account's SMS quota. */
  maxPerSecond: number | null;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

const ACCESS_KEY_ID = /^[A-Z0-9]{4,128}$/i;
/** `us-east-1`, `ap-southeast-2`, `us-gov-west-1`, `cn-north-1`, … */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const NAME = /^[a-z0-9][a-z0-9_-]*$/i;
const SENDER_ID = /^(?=.*[A-Za-z])[A-Za-z0-9]{3,11}$/;
const E164 = /^\+[1-9]\d{1,14}$/;
const PRICE = /^\d+(\.\d+)?$/;
const KNOWN_OPTIONS = new Set([
  'endpoint',
  'name',
  'smsType',
  'senderId',
  'originationNumber',
  'maxPrice',
  'timeoutMs',
  'mps',
]);
const USAGE = 'sns://ACCESS_KEY_ID:SECRET@REGION?senderId=…';

/**
 * Parses `sns://AKID:SECRET@us-east-1?senderId=Tidings&smsType=Transactional&endpoint=…&name=…`.
 * The secret must be percent-encoded (`/` → `%2F`, `+` → `%2B`): AWS secrets contain both.
 */
export function parseSnsUrl(input: URL | string): SnsConfig {
  const url = typeof input === 'string' ? parseUrl(input) : input;
  if (url.protocol !== 'sns:') throw new Error(`SNS provider URL must start with sns:// (got ${url.protocol}//)`);
  const q = url.searchParams;
  for (const key of q.keys()) {
    if (!KNOWN_OPTIONS.has(key)) throw new Error(`SNS provider URL: unknown option "${key}"`);
  }

  const accessKeyId = decode(url.username, 'access key id');
  if (!ACCESS_KEY_ID.test(accessKeyId)) throw new Error(`SNS access key id is missing or malformed (${USAGE})`);
  const secretAccessKey = decode(url.password, 'secret access key');
  if (secretAccessKey === '') throw new Error(`SNS secret access key is missing (${USAGE})`);
  const region = url.hostname.toLowerCase();
  if (!REGION.test(region)) throw new Error(`SNS region "${region}" is not an AWS region like us-east-1 (${USAGE})`);
  if (url.port !== '' || (url.pathname !== '' && url.pathname !== '/')) {
    throw new Error(`SNS provider URL has only a region after "@" (${USAGE})`);
  }

  const name = q.get('name') ?? 'default';
  if (!NAME.test(name)) throw new Error(`SNS provider name "${name}" may hold only letters, digits, "-" and "_"`);

  return {
    name,
    accessKeyId,
    secretAccessKey,
    region,
    endpoint: parseEndpoint(q.get('endpoint')),
    smsType: parseSmsType(q.get('smsType')),
    senderId: checked(q.get('senderId'), SENDER_ID, 'senderId must be 3–11 letters and digits, at least one letter'),
    // A literal "+" in a query reads as a space; "%2B" is the careful spelling, both are accepted.
    originationNumber: checked(
      q.get('originationNumber')?.replace(/^ /, '+') ?? null,
      E164,
      'originationNumber must be an E.164 number',
    ),
    maxPrice: checked(q.get('maxPrice'), PRICE, 'maxPrice must be a decimal amount of USD, like 0.50'),
    timeoutMs: positiveInt(q.get('timeoutMs'), 'timeoutMs') ?? DEFAULT_TIMEOUT_MS,
    maxPerSecond: positiveInt(q.get('mps'), 'mps'),
  };
}

/** The config as an operator may see it: the same URL shape, the secret masked. */
export function describeSnsConfig(config: SnsConfig): string {
  const q = new URLSearchParams();
  if (config.endpoint !== null) q.set('endpoint', config.endpoint);
  q.set('name', config.name);
  q.set('smsType', config.smsType);
  if (config.senderId !== null) q.set('senderId', config.senderId);
  if (config.originationNumber !== null) q.set('originationNumber', config.originationNumber);
  if (config.maxPrice !== null) q.set('maxPrice', config.maxPrice);
  q.set('timeoutMs', String(config.timeoutMs));
  if (config.maxPerSecond !== null) q.set('mps', String(config.maxPerSecond));
  // An access key id identifies, it does not authenticate (AWS shows it in consoles and logs).
  return `sns://${config.accessKeyId}:${maskSecret(config.secretAccessKey)}@${config.region}?${q.toString()}`;
}

function parseUrl(input: string): URL {
  try {
    return new URL(input);
  } catch {
    // Never echo the input: it holds the secret.
    throw new Error(`SNS provider URL is not a valid URL (${USAGE}; percent-encode "/" and "+" in the secret)`);
  }
}

function decode(value: string, what: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new Error(`SNS provider URL: the ${what} is not valid percent-encoding`);
  }
}

function parseEndpoint(value: string | null): string | null {
  if (value === null || value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`SNS endpoint "${value}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('SNS endpoint must be http(s)');
  if (url.search !== '' || url.hash !== '' || url.username !== '') {
    throw new Error('SNS endpoint may not have credentials, a query or a fragment');
  }
  return url.toString().replace(/\/+$/, '');
}

function parseSmsType(value: string | null): SmsType {
  if (value === null || value === '') return 'Transactional';
  const lower = value.toLowerCase();
  if (lower === 'transactional') return 'Transactional';
  if (lower === 'promotional') return 'Promotional';
  throw new Error(`SNS smsType must be Transactional or Promotional (got "${value}")`);
}

function checked(value: string | null, pattern: RegExp, message: string): string | null {
  if (value === null || value === '') return null;
  if (!pattern.test(value)) throw new Error(`SNS ${message} (got "${value}")`);
  return value;
}

function positiveInt(value: string | null, what: string): number | null {
  if (value === null || value === '') return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`SNS ${what} must be a positive integer (got "${value}")`);
  return n;
}
