/**
 * @module providers/twilio/client
 * The HTTP calls the adapters make: create a Message (SMS), create a Call (Voice). Not the official `twilio` SDK on this hot path:
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

/** Form fields of `POST /Calls.json` that we send (providers.md §1.7); Twilio's names, as on the wire. */
export interface CreateCallForm {
  To: string;
  From: string;
  /** Inline TwiML, at most 4,000 characters. */
  Twiml: string;
  StatusCallback?: string;
  /** One event: we only ask for the final one (`completed`, which covers busy, no-answer, …). */
  StatusCallbackEvent?: string;
  StatusCallbackMethod?: 'POST' | 'GET';
  /** Seconds to let it ring (Twilio's default 60). */
  Timeout?: number;
}

/** The answer as it came, whatever its status: classifying it is the adapter's job. */
export interface TwilioHttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function isUndiciTimeout(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

export class TwilioClient {
  readonly #pool: Pool;
  #closed: Promise<void> | null = null;
  readonly #messagesPath: string;
  readonly #callsPath: string;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;

  constructor(opts: TwilioClientOptions) {
    const base = new URL(opts.baseUrl);
    this.#pool = new Pool(base.origin, {
      connections: opts.connections ?? 128,
      keepAliveTimeout: 30_000,
      // Our own timer bounds the whole exchange; undici's only guard against a connection left hanging.
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
    });
    const account = `${base.pathname.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(opts.accountSid)}`;
    this.#messagesPath = `${account}/Messages.json`;
    this.#callsPath = `${account}/Calls.json`;
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
  createMessage(form: CreateMessageForm, signal: AbortSignal): Promise<TwilioHttpResponse> {
    return this.#post(this.#messagesPath, form, signal);
  }

  /** Same contract as `createMessage`, for a Voice call. */
  createCall(form: CreateCallForm, signal: AbortSignal): Promise<TwilioHttpResponse> {
    return this.#post(this.#callsPath, form, signal);
  }

  async #post(
    path: string,
    form: CreateMessageForm | CreateCallForm,
    signal: AbortSignal,
  ): Promise<TwilioHttpResponse> {
    if (signal.aborted) throw twilioTransportError('aborted', signal.reason);
    // Encoded by hand: URLSearchParams builds a map and copies it for a handful of fields.
    let body = '';
    for (const [name, value] of Object.entries(form)) {
      if (value !== undefined) body += `${body ? '&' : ''}${name}=${encodeURIComponent(String(value))}`;
    }
    try {
      // Our own budget is undici's headers/body timeouts (timers it keeps cheaply in bulk); the
      // caller's signal carries its deadline and shutdown.
      const res = await this.#pool.request({ method: 'POST', path, headers: this.#headers, body, signal });
      return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
    } catch (err) {
      if (signal.aborted) throw twilioTransportError('aborted', err);
      if (isUndiciTimeout(err)) throw twilioTransportError('timeout', err, this.#timeoutMs);
      throw twilioTransportError('network', err);
    }
  }

  /** Lets requests in flight finish, then closes the connections. */
  async close(): Promise<void> {
    // A second close (a reload, then shutdown) waits for the first: undici would throw "destroyed".
    this.#closed ??= this.#pool.close();
    await this.#closed;
  }
}
