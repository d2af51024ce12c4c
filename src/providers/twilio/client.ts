/**
 * @module providers/twilio/client
 * The HTTP calls the adapters make: create a Message (SMS), create a Call (Voice). Not the official `twilio` SDK on this hot path:
 * it is built on axios, which is slow per request, and our benchmark needs 10k messages/s through one
 * process. Our HttpClient (undici) keeps warm keep-alive connections to api.twilio.com and owns the
 * timeout and the AbortSignal. (The SDK stays a dev dependency, to test our fake against.)
 */
import { HttpClient, type HttpAnswer } from '../http-client.js';

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

export class TwilioClient {
  readonly #http: HttpClient;
  readonly #messagesPath: string;
  readonly #callsPath: string;
  readonly #headers: Record<string, string>;

  constructor(opts: TwilioClientOptions) {
    const base = new URL(opts.baseUrl);
    this.#http = new HttpClient({
      who: 'Twilio',
      origin: base.origin,
      timeoutMs: opts.timeoutMs,
      connections: opts.connections ?? 128,
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
  }

  /** Resolves with any HTTP answer; rejects only with a classified `ProviderError` when there is none. */
  createMessage(form: CreateMessageForm, signal: AbortSignal): Promise<HttpAnswer> {
    return this.#post(this.#messagesPath, form, signal);
  }

  /** Same contract as `createMessage`, for a Voice call. */
  createCall(form: CreateCallForm, signal: AbortSignal): Promise<HttpAnswer> {
    return this.#post(this.#callsPath, form, signal);
  }

  #post(path: string, form: CreateMessageForm | CreateCallForm, signal: AbortSignal): Promise<HttpAnswer> {
    // Encoded by hand: URLSearchParams builds a map and copies it for a handful of fields.
    let body = '';
    for (const [name, value] of Object.entries(form)) {
      if (value !== undefined) body += `${body ? '&' : ''}${name}=${encodeURIComponent(String(value))}`;
    }
    return this.#http.request({ method: 'POST', path, headers: this.#headers, body }, signal);
  }

  /** Lets requests in flight finish, then closes the connections; a second call waits for the first. */
  close(): Promise<void> {
    return this.#http.close();
  }
}
