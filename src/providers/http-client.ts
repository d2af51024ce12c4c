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
 */
import { Agent, Pool, type Dispatcher } from 'undici';
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

/** The answer as it came, whatever its status: classifying it is the adapter's job. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export class HttpClient {
  readonly #dispatcher: Dispatcher;
  readonly #who: string;
  readonly #timeoutMs: number;
  #closed: Promise<void> | null = null;

  constructor(opts: HttpClientOptions) {
    this.#who = opts.who;
    this.#timeoutMs = opts.timeoutMs;
    const common = {
      keepAliveTimeout: 30_000,
      ...(opts.connections === undefined ? {} : { connections: opts.connections }),
      ...(opts.ca === undefined ? {} : { connect: { ca: caList(opts.ca) } }),
    };
    this.#dispatcher = opts.origin === undefined ? new Agent(common) : new Pool(opts.origin, common);
  }

  /** Resolves with any HTTP answer; rejects only with a classified `ProviderError` when there is none. */
  async request(req: HttpRequest, signal: AbortSignal): Promise<HttpAnswer> {
    const who = req.who ?? this.#who;
    if (signal.aborted) throw transportError('aborted', signal.reason, who);
    // One controller for both ends: whichever comes first, our budget or the caller, wins.
    const budget = new AbortController();
    let ended: 'timeout' | 'aborted' | null = null;
    const timer = setTimeout(() => {
      ended ??= 'timeout';
      budget.abort(new Error(`no answer within ${this.#timeoutMs} ms`));
    }, this.#timeoutMs);
    const onAbort = (): void => {
      ended ??= 'aborted';
      budget.abort(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await this.#dispatcher.request({
        method: req.method,
        path: req.path,
        ...(req.origin === undefined ? {} : { origin: req.origin }),
        headers: req.headers,
        body: req.body ?? null,
        signal: budget.signal,
      });
      return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
    } catch (err) {
      if (ended === 'timeout') throw transportError('timeout', err, who, this.#timeoutMs);
      if (ended === 'aborted') throw transportError('aborted', err, who);
      throw transportError('network', err, who);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
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
