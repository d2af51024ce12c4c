/**
 * @module webhooks/standard-webhook-sender
 * Signed POSTs to other people's servers, per the Standard Webhooks specification: `webhook-id`,
 * `webhook-timestamp` (seconds) and `webhook-signature` (`v1,` + base64 HMAC-SHA256 of
 * `id.timestamp.body` under the secret), computed by the `standardwebhooks` package so receivers
 * can check it with any Standard Webhooks library. Through undici, with keep-alive connections
 * shared per origin; redirects are not followed (a 3xx counts as a failed attempt), and the body of
 * the answer is read only up to a small limit, so a receiver cannot make us buffer megabytes.
 */
import { Webhook } from 'standardwebhooks';
import { request } from 'undici';
import type { SignedPost, WebhookSender } from '../ports/webhook-sender.js';
import { OutboundAgent, type OutboundOptions } from './outbound-agent.js';

/** What we read of an answer before dropping the connection: we only need its status. */
const ANSWER_LIMIT = 64 * 1024;

export const USER_AGENT = 'Tidings-Webhooks/1';

/** The Standard Webhooks headers for one attempt (exported so tests and docs agree on them). */
export function signatureHeaders(req: Omit<SignedPost, 'url'>): Record<string, string> {
  const timestamp = new Date(req.timestamp);
  const headers: Record<string, string> = {
    'webhook-id': req.id,
    'webhook-timestamp': String(Math.floor(req.timestamp / 1000)),
  };
  if (req.secret !== null) headers['webhook-signature'] = new Webhook(req.secret).sign(req.id, timestamp, req.body);
  return headers;
}

export class StandardWebhookSender implements WebhookSender {
  readonly #agent: OutboundAgent;

  constructor(opts: OutboundOptions = {}) {
    this.#agent = new OutboundAgent(opts);
  }

  async post(req: SignedPost, signal: AbortSignal): Promise<{ statusCode: number }> {
    this.#agent.check(req.url);
    const res = await request(req.url, {
      method: 'POST',
      dispatcher: this.#agent.dispatcher,
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        ...signatureHeaders(req),
      },
      body: req.body,
      signal,
    });
    // Drain (up to the limit) so the connection can be reused; past it, undici closes the socket.
    await res.body.dump({ limit: ANSWER_LIMIT, signal }).catch(() => {});
    return { statusCode: res.statusCode };
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}
