/**
 * @module providers/twilio/verify-request
 * Is this request from Twilio? One check for every webhook Twilio calls (status callbacks, inbound
 * messages, call progress): X-Twilio-Signature over the public URL and the form parameters, or over
 * the URL with `bodySHA256` for JSON bodies, or over the URL alone for GET callbacks (§1.6).
 */
import type { RawRequest } from '../../ports/provider.js';
import { verifyTwilioSignature, verifyTwilioSignatureWithBody, type TwilioParams } from './signature.js';

export function verifyTwilioRequest(authToken: string, req: RawRequest): boolean {
  const signature = header(req, 'x-twilio-signature');
  if (!signature) return false;
  if (isJson(req) && req.url.includes('bodySHA256')) {
    return verifyTwilioSignatureWithBody(authToken, signature, req.url, req.rawBody);
  }
  // A GET callback carries its parameters in the URL, which is signed as it is.
  const params = req.method.toUpperCase() === 'GET' ? {} : formParams(req.rawBody);
  return verifyTwilioSignature(authToken, signature, req.url, params);
}

/** Parses a form body keeping repeated keys, which the signature needs (§1.6). */
export function formParams(rawBody: string): TwilioParams {
  // No prototype: a parameter named `constructor` or `__proto__` must be a parameter like any other
  // (with `{}` it found Object's own and crashed the request).
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of new URLSearchParams(rawBody)) {
    const seen = out[name];
    if (seen === undefined) out[name] = value;
    else if (typeof seen === 'string') out[name] = [seen, value];
    else seen.push(value);
  }
  return out;
}

/** The request's parameters: the query of a GET callback, the form body otherwise. */
export function requestParams(req: RawRequest): URLSearchParams {
  if (req.method.toUpperCase() !== 'GET') return new URLSearchParams(req.rawBody);
  const q = req.url.indexOf('?');
  return new URLSearchParams(q === -1 ? '' : req.url.slice(q + 1));
}

export function header(req: RawRequest, name: string): string | undefined {
  const direct = req.headers[name];
  if (direct !== undefined) return direct;
  for (const [key, value] of Object.entries(req.headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

function isJson(req: RawRequest): boolean {
  return /^application\/json\b/i.test(header(req, 'content-type') ?? '');
}
