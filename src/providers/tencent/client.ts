/**
 * @module providers/tencent/client
 * The one call the adapter makes: `SendSms` (version 2021-01-11), signed with TC3-HMAC-SHA256. Not
 * the official SDK: it signs for the service named by the endpoint's first label, so it cannot be
 * pointed at a loopback server and still sign for `sms` (providers.md §4.5, §7). Here the Host we
 * sign and send is configured apart from where the bytes go, and our HttpClient (undici) gives us
 * keep-alive connections, our own timeout and the caller's AbortSignal.
 */
import type { Clock } from '../../ports/clock.js';
import { HttpClient, type HttpAnswer } from '../http-client.js';
import { tc3Sign } from './tc3-signature.js';

export const SMS_VERSION = '2021-01-11';
const CONTENT_TYPE = 'application/json';

export interface TencentClientOptions {
  endpoint: string;
  host: string;
  region: string;
  secretId: string;
  secretKey: string;
  timeoutMs: number;
  connections: number;
  clock: Clock;
}

/** The SendSms body; Tencent's names, as on the wire (providers.md §4.1). */
export interface SendSmsRequest {
  PhoneNumberSet: string[];
  SmsSdkAppId: string;
  TemplateId: string;
  SignName?: string;
  TemplateParamSet: string[];
  SessionContext?: string;
  SenderId?: string;
}

export class TencentSmsClient {
  readonly #http: HttpClient;
  readonly #opts: TencentClientOptions;

  constructor(opts: TencentClientOptions) {
    this.#opts = opts;
    this.#http = new HttpClient({
      who: 'Tencent',
      origin: opts.endpoint,
      timeoutMs: opts.timeoutMs,
      connections: opts.connections,
    });
  }

  /** Resolves with any HTTP answer; rejects only with a classified `ProviderError` when there is none. */
  sendSms(request: SendSmsRequest, signal: AbortSignal): Promise<HttpAnswer> {
    const payload = JSON.stringify(request);
    // Signed at the last moment: Tencent refuses a timestamp more than 5 minutes off.
    const timestamp = Math.floor(this.#opts.clock.now() / 1000);
    const { authorization } = tc3Sign({
      secretId: this.#opts.secretId,
      secretKey: this.#opts.secretKey,
      host: this.#opts.host,
      contentType: CONTENT_TYPE,
      timestamp,
      payload,
    });
    return this.#http.request(
      {
        method: 'POST',
        path: '/',
        headers: {
          host: this.#opts.host,
          'content-type': CONTENT_TYPE,
          authorization,
          'x-tc-action': 'SendSms',
          'x-tc-version': SMS_VERSION,
          'x-tc-timestamp': String(timestamp),
          'x-tc-region': this.#opts.region,
          // Error messages in English, for operators reading logs.
          'x-tc-language': 'en-US',
          'user-agent': 'tidings',
        },
        body: payload,
      },
      signal,
    );
  }

  /** Lets requests in flight finish, then closes the connections; a second call waits for the first. */
  close(): Promise<void> {
    return this.#http.close();
  }
}
