/**
 * @module test/fakes/aliyun/rpc-verifier
 * The classic RPC signature ("v1", the SDK's `signatureAlgorithm: 'v2'`), HMAC-SHA1, checked as
 * Aliyun's gateway checks it (providers.md §3.3, worked example A1): every parameter but
 * `Signature`, sorted and POP-encoded, behind `METHOD&%2F&`, keyed with `secret + "&"`. Written
 * apart from any client code, so the fake does not share a client's mistakes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { gateway, missing, type FakeError } from './aliyun-errors.js';

export interface RpcAuth {
  accessKeyId: string;
  nonce: string;
  /** The parameters with the common ones (Action, Version, AccessKeyId, …) taken out. */
  params: Record<string, string>;
  action: string;
  version: string;
  format: 'JSON' | 'XML';
}

export type RpcResult = ({ ok: true } & RpcAuth) | ({ ok: false } & FakeError);

const COMMON = [
  'AccessKeyId',
  'Action',
  'Version',
  'Format',
  'RegionId',
  'Signature',
  'SignatureMethod',
  'SignatureNonce',
  'SignatureVersion',
  'Timestamp',
  'SecurityToken',
];
const REQUIRED = ['Action', 'Version', 'AccessKeyId', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce'];
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const MAX_SKEW_MS = 15 * 60_000;

/** POP's percent-encoding: RFC 3986, uppercase hex, only `A–Z a–z 0–9 - _ . ~` left as they are. */
export function popEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function rpcStringToSign(method: string, params: Readonly<Record<string, string>>): string {
  const canonical = Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${popEncode(k)}=${popEncode(params[k] ?? '')}`)
    .join('&');
  return `${method.toUpperCase()}&${popEncode('/')}&${popEncode(canonical)}`;
}

export function expectedRpcSignature(secret: string, method: string, params: Readonly<Record<string, string>>): string {
  return createHmac('sha1', `${secret}&`).update(rpcStringToSign(method, params), 'utf8').digest('base64');
}

/** `params`: the query and (for a form POST) the body, decoded. */
export function verifyRpc(
  method: string,
  params: Readonly<Record<string, string>>,
  opts: { secrets: ReadonlyMap<string, string>; now: number },
): RpcResult {
  const refuse = (e: FakeError): RpcResult => ({ ok: false, ...e });
  for (const name of REQUIRED) if (!params[name]) return refuse(missing(name));
  if (!params.Signature) return refuse(gateway('IncompleteSignature', 'Signature is mandatory for this action.'));
  if (params.SignatureMethod !== 'HMAC-SHA1' || params.SignatureVersion !== '1.0') {
    return refuse(gateway('IncompleteSignature', 'Only SignatureMethod HMAC-SHA1 with SignatureVersion 1.0.'));
  }
  const timestamp = params.Timestamp ?? '';
  if (timestamp === '') return refuse(missing('Timestamp'));
  if (!TIMESTAMP.test(timestamp) || Number.isNaN(Date.parse(timestamp))) {
    return refuse(gateway('InvalidTimeStamp.Format'));
  }
  if (Math.abs(Date.parse(timestamp) - opts.now) > MAX_SKEW_MS) return refuse(gateway('InvalidTimeStamp.Expired'));

  const accessKeyId = params.AccessKeyId ?? '';
  const secret = opts.secrets.get(accessKeyId);
  if (secret === undefined) return refuse(gateway('InvalidAccessKeyId.NotFound'));
  const want = Buffer.from(expectedRpcSignature(secret, method, params));
  const got = Buffer.from(params.Signature);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return refuse(gateway('SignatureDoesNotMatch'));

  const rest: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (!COMMON.includes(k)) rest[k] = v;
  return {
    ok: true,
    accessKeyId,
    nonce: params.SignatureNonce ?? '',
    params: rest,
    action: params.Action ?? '',
    version: params.Version ?? '',
    // XML is the documented default when Format is absent.
    format: (params.Format ?? 'XML').toUpperCase() === 'JSON' ? 'JSON' : 'XML',
  };
}
