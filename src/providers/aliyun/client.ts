/**
 * @module providers/aliyun/client
 * The one call the adapter makes: Dysmsapi `SendSms` (2017-05-25), signed with ACS3-HMAC-SHA256,
 * sent the way the official SDK sends it (providers.md §3.4): POST `/` with the parameters in the
 * query string and an empty body. Not the SDK itself: it takes no AbortSignal, so a dispatcher
 * deadline or a shutdown could not stop a request in flight, and it opens connections through
 * its own stack. Our HttpClient (undici) gives keep-alive connections, our timeout and the caller's
 * signal.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../ports/clock.js';
import { HttpClient, type HttpAnswer } from '../http-client.js';
import { acs3Sign, canonicalQuery, sha256Hex } from './acs3-signature.js';

export const SMS_VERSION = '2017-05-25';
const EMPTY_BODY_SHA256 = sha256Hex('');

export interface AliyunClientOptions {
  /** Origin of the API; its host (with any port) is the `host` that is sent and signed. */
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  timeoutMs: number;
  connections: number;
  clock: Clock;
}

/** SendSms parameters; Aliyun's names, as on the wire (providers.md §3.1). */
export interface SendSmsParams {
  PhoneNumbers: string;
  SignName: string;
  TemplateCode: string;
  TemplateParam?: string;
  OutId?: string;
}

export class AliyunSmsClient {
  readonly #http: HttpClient;
  readonly #host: string;
  readonly #opts: AliyunClientOptions;

  constructor(opts: AliyunClientOptions) {
    this.#opts = opts;
    this.#host = new URL(opts.endpoint).host;
    this.#http = new HttpClient({
      who: 'Aliyun',
      origin: opts.endpoint,
      timeoutMs: opts.timeoutMs,
      connections: opts.connections,
    });
  }

  /** Resolves with any HTTP answer; rejects only with a classified `ProviderError` when there is none. */
  sendSms(params: SendSmsParams, signal: AbortSignal): Promise<HttpAnswer> {
    const query: Record<string, string> = {};
    for (const [name, value] of Object.entries(params)) if (value !== undefined) query[name] = value;
    // Signed at the last moment: Aliyun refuses a date more than 15 minutes off, and a reused nonce.
    const signed: Record<string, string> = {
      host: this.#host,
      'x-acs-action': 'SendSms',
      'x-acs-version': SMS_VERSION,
      'x-acs-date': new Date(this.#opts.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      'x-acs-signature-nonce': randomBytes(16).toString('hex'),
      'x-acs-content-sha256': EMPTY_BODY_SHA256,
    };
    const { authorization } = acs3Sign({
      accessKeyId: this.#opts.accessKeyId,
      accessKeySecret: this.#opts.accessKeySecret,
      method: 'POST',
      path: '/',
      query,
      headers: signed,
      hashedPayload: EMPTY_BODY_SHA256,
    });
    return this.#http.request(
      {
        method: 'POST',
        // The canonical form is also a correct query string, so what is sent is exactly what was signed.
        path: `/?${canonicalQuery(query)}`,
        headers: { ...signed, authorization, accept: 'application/json', 'user-agent': 'tidings' },
      },
      signal,
    );
  }

  /** Lets requests in flight finish, then closes the connections; a second call waits for the first. */
  close(): Promise<void> {
    return this.#http.close();
  }
}
