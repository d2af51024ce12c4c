/**
 * @module providers/tencent/client
 * The one call the adapter makes: `SendSms` (version 2021-01-11), signed with TC3-HMAC-SHA256. Not
 * the official SDK: it signs for the service named by the endpoint's first label, so it cannot be
 * pointed at a loopback server and still sign for `sms` (providers.md §4.5, §7). Here the Host we
 * sign and send is configured apart from where the bytes go, and undici's Pool gives us keep-alive
 * connections, our own timeout and the caller's AbortSignal.
 */
import { Pool } from 'undici';
import type { Clock } from '../../ports/clock.js';
import { tencentTransportError } from './errors.js';
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

/** The answer as it came, whatever its status: classifying it is the adapter's job. */
export interface TencentHttpResponse {
  status: number;
  body: string;
}

function isUndiciTimeout(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

export class TencentSmsClient {
  readonly #pool: Pool;
  #closed: Promise<void> | null = null;
  readonly #opts: TencentClientOptions;

  constructor(opts: TencentClientOptions) {
    this.#opts = opts;
    this.#pool = new Pool(opts.endpoint, {
      connections: opts.connections,
      keepAliveTimeout: 30_000,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
    });
  }

  /** Resolves with any HTTP answer; rejects only with a classified `ProviderError` when there is none. */
  async sendSms(request: SendSmsRequest, signal: AbortSignal): Promise<TencentHttpResponse> {
    if (signal.aborted) throw tencentTransportError('aborted', signal.reason);
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
    try {
      const res = await this.#pool.request({
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
        signal,
      });
      return { status: res.statusCode, body: await res.body.text() };
    } catch (err) {
      if (signal.aborted) throw tencentTransportError('aborted', err);
      if (isUndiciTimeout(err)) throw tencentTransportError('timeout', err, this.#opts.timeoutMs);
      throw tencentTransportError('network', err);
    }
  }

  /** Lets requests in flight finish, then closes the connections. */
  async close(): Promise<void> {
    // A second close (a reload, then shutdown) waits for the first: undici would throw "destroyed".
    this.#closed ??= this.#pool.close();
    await this.#closed;
  }
}
