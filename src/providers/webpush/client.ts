/**
 * @module providers/webpush/client
 * The one HTTP call: POST the encrypted notification to the subscription's endpoint. `web-push`
 * builds the request (aes128gcm encryption, VAPID JWT) and we send it with undici, because web-push's
 * own sender cannot be cancelled by an AbortSignal and opens a fresh TLS connection per message.
 * One Agent keeps warm connections to every push service (FCM, Mozilla, Apple, …).
 */
import { Agent, request } from 'undici';
import { pushTransportError } from './errors.js';

export interface PushClientOptions {
  timeoutMs: number;
  /** Extra trusted CA certificates (PEM), e.g. a test push service's self-signed one. */
  ca?: string | Buffer | readonly (string | Buffer)[];
}

/** What `web-push`'s generateRequestDetails returns, as far as we use it. */
export interface PushRequest {
  endpoint: string;
  headers: Record<string, string | number>;
  body: Buffer | null;
}

export interface PushHttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function isUndiciTimeout(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

export class PushClient {
  readonly #agent: Agent;
  #closed: Promise<void> | null = null;
  readonly #timeoutMs: number;

  constructor(opts: PushClientOptions) {
    this.#timeoutMs = opts.timeoutMs;
    this.#agent = new Agent({
      keepAliveTimeout: 30_000,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      connect: {
        timeout: opts.timeoutMs,
        ...(opts.ca === undefined ? {} : { ca: Array.isArray(opts.ca) ? [...opts.ca] : (opts.ca as string | Buffer) }),
      },
    });
  }

  /** Resolves with any HTTP answer; rejects only with a classified `ProviderError` when there is none. */
  async deliver(req: PushRequest, signal: AbortSignal): Promise<PushHttpResponse> {
    const origin = new URL(req.endpoint).origin;
    if (signal.aborted) throw pushTransportError('aborted', signal.reason, origin);
    const headers: Record<string, string> = { 'user-agent': 'tidings' };
    // undici sets Content-Length from the body itself.
    for (const [name, value] of Object.entries(req.headers)) {
      if (name.toLowerCase() !== 'content-length') headers[name.toLowerCase()] = String(value);
    }
    try {
      const res = await request(req.endpoint, {
        method: 'POST',
        headers,
        body: req.body ?? '',
        dispatcher: this.#agent,
        signal,
      });
      return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
    } catch (err) {
      if (signal.aborted) throw pushTransportError('aborted', err, origin);
      if (isUndiciTimeout(err)) throw pushTransportError('timeout', err, origin, this.#timeoutMs);
      throw pushTransportError('network', err, origin);
    }
  }

  async close(): Promise<void> {
    // A second close (a reload, then shutdown) waits for the first: undici would throw "destroyed".
    this.#closed ??= this.#agent.close();
    await this.#closed;
  }
}
