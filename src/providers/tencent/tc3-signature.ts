/**
 * @module providers/tencent/tc3-signature
 * Tencent Cloud API 3.0's TC3-HMAC-SHA256 request signature (providers.md §4.3, worked example C1).
 * Written here rather than taken from the official SDK: the SDK derives the service name from the
 * endpoint's first label, so pointed at a loopback fake it signs for service `127`, which the real
 * service (and a faithful fake) refuses. We sign for the host we mean, and post wherever told.
 */
import { createHash, createHmac } from 'node:crypto';

export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';

export interface Tc3Input {
  secretId: string;
  secretKey: string;
  /** The `Host` header as sent, without a port (`sms.tencentcloudapi.com`). */
  host: string;
  /** `Content-Type` exactly as sent. */
  contentType: string;
  /** Unix seconds; also the `X-TC-Timestamp` header. */
  timestamp: number;
  /** The exact body bytes. */
  payload: string;
  /** Defaults to the host's first label (`sms`), as Tencent defines it. */
  service?: string;
}

export interface Tc3Signature {
  authorization: string;
  signature: string;
  /** `YYYY-MM-DD/service/tc3_request`. */
  credentialScope: string;
  canonicalRequest: string;
  stringToSign: string;
}

const SIGNED_HEADERS = 'content-type;host';

export function tc3Sign(input: Tc3Input): Tc3Signature {
  const service = input.service ?? input.host.split('.')[0] ?? '';
  // The UTC date of the timestamp, not the local one: a signer in UTC+8 after 16:00 would differ.
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10);
  const credentialScope = `${date}/${service}/tc3_request`;
  const canonicalRequest = [
    'POST',
    '/',
    '', // POST: no query string
    `content-type:${input.contentType.trim().toLowerCase()}\nhost:${input.host.trim().toLowerCase()}\n`,
    SIGNED_HEADERS,
    sha256Hex(input.payload),
  ].join('\n');
  const stringToSign = [TC3_ALGORITHM, String(input.timestamp), credentialScope, sha256Hex(canonicalRequest)].join(
    '\n',
  );
  const kDate = hmac(`TC3${input.secretKey}`, date);
  const kService = hmac(kDate, service);
  const kSigning = hmac(kService, 'tc3_request');
  const signature = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
  return {
    authorization: `${TC3_ALGORITHM} Credential=${input.secretId}/${credentialScope}, SignedHeaders=${SIGNED_HEADERS}, Signature=${signature}`,
    signature,
    credentialScope,
    canonicalRequest,
    stringToSign,
  };
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}
