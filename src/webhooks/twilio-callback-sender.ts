/**
 * @module webhooks/twilio-callback-sender
 * Status callbacks posted the way Twilio posts them: a form body, `X-Twilio-Signature` =
 * base64(HMAC-SHA1(auth token, URL + sorted params)) (providers.md §1.6), and
 * `I-Twilio-Idempotency-Token` the same on every attempt. A receiver written for Twilio checks it
 * with its SDK's `validateRequest(authToken, signature, url, params)` unchanged. Like the Standard
 * Webhooks sender: undici with keep-alive per origin, no redirects, the answer read only up to a
 * small limit.
 */
import { createHmac } from 'node:crypto';
import { request } from 'undici';
import { twilioSignedData } from '../core/twilio-signing.js';
import type { SignedPost, WebhookSender } from '../ports/webhook-sender.js';
import { OutboundAgent, type OutboundOptions } from './outbound-agent.js';

const ANSWER_LIMIT = 64 * 1024;

export const TWILIO_COMPAT_USER_AGENT = 'Tidings-TwilioCompat/1';

/** Form fields of a body, a repeated name keeping all its values. */
function formParams(body: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const had = params[k];
    params[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return params;
}

export function twilioCallbackSignature(authToken: string, url: string, body: string): string {
  return createHmac('sha1', authToken)
    .update(twilioSignedData(url, formParams(body)), 'utf8')
    .digest('base64');
}

export class TwilioCallbackSender implements WebhookSender {
  readonly #agent: OutboundAgent;

  constructor(opts: OutboundOptions = {}) {
    this.#agent = new OutboundAgent(opts);
  }

  /** `secret` is the account's auth token; `body` the form, exactly as signed. */
  async post(req: SignedPost, signal: AbortSignal): Promise<{ statusCode: number }> {
    this.#agent.check(req.url);
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': TWILIO_COMPAT_USER_AGENT,
      'i-twilio-idempotency-token': req.id,
    };
    if (req.secret !== null) headers['x-twilio-signature'] = twilioCallbackSignature(req.secret, req.url, req.body);
    const res = await request(req.url, {
      method: 'POST',
      dispatcher: this.#agent.dispatcher,
      headers,
      body: req.body,
      signal,
    });
    await res.body.dump({ limit: ANSWER_LIMIT, signal }).catch(() => {});
    return { statusCode: res.statusCode };
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}
