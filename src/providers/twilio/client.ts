/**
 * @module providers/twilio/client
 * The one HTTP call the adapter makes: create a Message. Not the official `twilio` SDK on this hot path:
 * it is built on axios, which is slow per request, and our benchmark needs 10k messages/s through one
 * process. undici's Pool keeps warm keep-alive connections to api.twilio.com and lets us own the
 * timeout and the AbortSignal. (The SDK stays a dev dependency, to test our fake against.)
 */
import { Pool } from 'undici';
import { twilioTransportError } from './errors.js';

export interface TwilioClientOptions {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  timeoutMs: number;
  connections?: number;
}

/** Form fields of `POST /Messages.json` that we send; Twilio's names, as on the wire. */
export interface CreateMessageForm {
  To: string;
  From?: string;
  MessagingServiceSid?: string;
  Body: string;
  StatusCallback?: string;
  Attempt?: number;
}

/** The answer as it came, whatever its status: classifying it is the adapter's job. */
export interface TwilioHttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export class TwilioClient {
  readonly #pool: Pool;
  readonly #path: string;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;

  constructor(opts: TwilioClientOptions) {
    const base = new URL(opts.baseUrl);
    this.#pool = new Pool(base.origin, {
      connections: opts.connections ?? 128,
      keepAliveTimeout: 30_000,
      // Our own timer bounds the whole exchange; undici's only guard against a connection left hanging.
      headersTimeout: opts.timeoutMs + 1_000,
      bodyTimeout: opts.timeoutMs + 1_000,
    });
    this.#path = `${base.pathname.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(opts.accountSid)}/Messages.json`;
    this.#headers = {
      authorization: `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`,
      accept: 'application/json',
      'accept-charset': 'utf-8',
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'tidings',
    };
    this.#timeoutMs = opts.timeoutMs;
  }

  /** Resolves with any HTTP answer; rejects only with a classified `ProviderError` when there is none. */
  async createMessage(form: CreateMessageForm, signal: AbortSignal): Promise<TwilioHttpResponse> {
    if (signal.aborted) throw twilioTransportError('aborted', signal.reason);
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(form)) if (value !== undefined) body.append(name, String(value));

    // One controller per request, with a timer we can clear: AbortSignal.timeout() would leave a
    // 10 s timer behind for each of thousands of requests a second.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`timed out after ${this.#timeoutMs} ms`));
    }, this.#timeoutMs);
    const onAbort = (): void => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await this.#pool.request({
        method: 'POST',
        path: this.#path,
        headers: this.#headers,
        body: body.toString(),
        signal: controller.signal,
      });
      return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
    } catch (err) {
      if (timedOut) throw twilioTransportError('timeout', err, this.#timeoutMs);
      if (signal.aborted) throw twilioTransportError('aborted', err);
      throw twilioTransportError('network', err);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Lets requests in flight finish, then closes the connections. */
  async close(): Promise<void> {
    await this.#pool.close();
  }
}
