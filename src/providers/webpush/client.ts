/**
 * @module providers/webpush/client
 * The one HTTP call: POST the encrypted notification to the subscription's endpoint. `web-push`
 * builds the request (aes128gcm encryption, VAPID JWT) and we send it with our HttpClient (undici),
 * because web-push's own sender cannot be cancelled by an AbortSignal and opens a fresh TLS
 * connection per message. One client keeps warm connections to every push service (FCM, Mozilla,
 * Apple, …).
 */
import { HttpClient, type HttpAnswer, type HttpClientOptions } from '../http-client.js';

export interface PushClientOptions {
  timeoutMs: number;
  /** Extra trusted CA certificates (PEM), e.g. a private push service's. */
  ca?: HttpClientOptions['ca'];
}

/** What `web-push`'s generateRequestDetails returns, as far as we use it. */
export interface PushRequest {
  endpoint: string;
  headers: Record<string, string | number>;
  body: Buffer | null;
}

export class PushClient {
  readonly #http: HttpClient;

  constructor(opts: PushClientOptions) {
    this.#http = new HttpClient({
      who: 'push service',
      timeoutMs: opts.timeoutMs,
      ...(opts.ca === undefined ? {} : { ca: opts.ca }),
    });
  }

  /** Resolves with any HTTP answer; rejects only with a classified `ProviderError` when there is none. */
  deliver(req: PushRequest, signal: AbortSignal): Promise<HttpAnswer> {
    const url = new URL(req.endpoint);
    const headers: Record<string, string> = { 'user-agent': 'tidings' };
    // undici sets Content-Length from the body itself.
    for (const [name, value] of Object.entries(req.headers)) {
      if (name.toLowerCase() !== 'content-length') headers[name.toLowerCase()] = String(value);
    }
    return this.#http.request(
      {
        method: 'POST',
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        headers,
        body: req.body ?? '',
        who: `push service ${url.origin}`,
      },
      signal,
    );
  }

  /** Lets requests in flight finish, then closes the connections; a second call waits for the first. */
  close(): Promise<void> {
    return this.#http.close();
  }
}
