/**
 * @module providers/http-client
 * The one way our HTTP adapters (Twilio, Aliyun, Tencent, Web Push) talk to their APIs: undici with
 * warm keep-alive connections, ONE time budget per request from connect to last byte, the caller's
 * AbortSignal honoured at every stage, an idempotent close, and failures without an answer
 * classified once (./transport-error.ts). Each adapter keeps its own request building and reading.
 *
 * The budget is our own timer, not undici's headersTimeout/bodyTimeout: those run on a coarse clock
 * (about half a second late) and each covers one stage only, so a 200 ms budget would end near
 * 700 ms, or later when connect, headers and body are each slow.
 *
 * Requests go through undici's `dispatch` with a handler of our own (./http-exchange.ts), not
 * `request()`: that one wraps every answer in a stream, an AbortSignal of its own and a body mixin,
 * which in the end-to-end benchmark cost more CPU per send than everything else undici does.
 */
import { Agent, Pool, type Dispatcher } from 'undici';
import { Exchange, type HttpAnswer } from './http-exchange.js';
import { transportError } from './transport-error.js';

export interface HttpClientOptions {
  /** Names the other side in error messages ("Twilio"). */
  who: string;
  /** The whole budget of one request, connect to last byte. */
  timeoutMs: number;
  /** One origin: a pool of warm connections to it. Absent: any origin, given per request. */
  origin?: string;
  /** Most connections open at once (to each origin). Default: undici's, unbounded. */
  connections?: number;
  /** Extra trusted CA certificates (PEM), e.g. a private push service's. */
  ca?: string | Buffer | readonly (string | Buffer)[];
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  /** Path and query, as sent. */
  path: string;
  /** Required when the client was made without one. */
  origin?: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Names the other side in error messages, when it varies per request. */
  who?: string;
}

export type { HttpAnswer } from './http-exchange.js';

export class HttpClient {
  readonly #dispatcher: Dispatcher;
  readonly #who: string;
  readonly #timeoutMs: number;
  /** undici's dispatch wants an origin even from a Pool, which has only the one. */
  readonly #origin: string | undefined;
  #closed: Promise<void> | null = null;

  constructor(opts: HttpClientOptions) {
    this.#who = opts.who;
    this.#timeoutMs = opts.timeoutMs;
    this.#origin = opts.origin;
    const common = {
      keepAliveTimeout: 30_000,
      ...(opts.connections === undefined ? {} : { connections: opts.connections }),
      ...(opts.ca === undefined ? {} : { connect: { ca: caList(opts.ca) } }),
    };
    this.#dispatcher = opts.origin === undefined ? new Agent(common) : new Pool(opts.origin, common);
  }

  /** Resolves with any HTTP answer; rejects only with a classified `ProviderError` when there is none. */
  request(req: HttpRequest, signal: AbortSignal): Promise<HttpAnswer> {
    const who = req.who ?? this.#who;
    if (signal.aborted) return Promise.reject(transportError('aborted', signal.reason, who));
    return new Promise((resolve, reject) => {
      const exchange = new Exchange(who, this.#timeoutMs, signal, resolve, reject);
      try {
        this.#dispatcher.dispatch(
          {
            method: req.method,
            path: req.path,
            origin: req.origin ?? this.#origin,
            headers: req.headers,
            body: req.body ?? null,
          },
          exchange,
        );
      } catch (err) {
        exchange.onResponseError(null, err as Error);
      }
    });
  }

  /** Lets requests in flight finish, then closes the connections. */
  async close(): Promise<void> {
    // A second close (a reload, then shutdown) waits for the first: undici would throw "destroyed".
    this.#closed ??= this.#dispatcher.close();
    await this.#closed;
  }
}

function caList(ca: NonNullable<HttpClientOptions['ca']>): string | Buffer | (string | Buffer)[] {
  return typeof ca === 'string' || Buffer.isBuffer(ca) ? ca : [...ca];
}
