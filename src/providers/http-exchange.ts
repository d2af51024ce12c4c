/**
 * @module providers/http-exchange
 * One request and its answer, as undici's dispatch handler: it gathers the status, headers and body
 * chunks, and settles its promise once: with the answer, or with a classified failure when the
 * budget runs out, the caller aborts or the connection fails. A request still waiting in the pool
 * for a connection settles at its deadline too; undici is told to drop it as soon as it starts.
 * One object per request, methods on its prototype: the send path of the dispatch thread allocates
 * this, a timer and the answer, and nothing per chunk beyond the chunk itself.
 */
import type { Dispatcher } from 'undici';
import { transportError, type TransportFailure } from './transport-error.js';

/** The answer as it came, whatever its status: classifying it is the adapter's job. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Providers answer with a few hundred bytes of JSON. A longer answer is not one (a base URL that
 * points at the wrong server, say): it is cut here rather than held in memory whole.
 */
export const MAX_ANSWER_BYTES = 1024 * 1024;

export class Exchange implements Dispatcher.DispatchHandler {
  #controller: Dispatcher.DispatchController | null = null;
  /** Why the request ended early (our budget or the caller), once it has. */
  #ended: Error | null = null;
  #settled = false;
  #status = 0;
  #headers: HttpAnswer['headers'] = {};
  #chunks: Buffer[] = [];
  #bytes = 0;
  readonly #timer: NodeJS.Timeout;
  readonly #signal: AbortSignal;
  readonly #onAbort = (): void => this.#end('aborted', this.#signal.reason);

  constructor(
    private readonly who: string,
    private readonly timeoutMs: number,
    signal: AbortSignal,
    private readonly resolve: (answer: HttpAnswer) => void,
    private readonly reject: (err: Error) => void,
  ) {
    this.#signal = signal;
    this.#timer = setTimeout(() => this.#end('timeout', new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    this.#signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    // Ended while it waited for a connection: drop it before a byte is written.
    if (this.#ended) controller.abort(this.#ended);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: HttpAnswer['headers'],
  ): void {
    // Called again after a 1xx informational answer: the last one is the answer.
    this.#status = statusCode;
    this.#headers = headers;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#settled) return;
    this.#bytes += chunk.length;
    if (this.#bytes > MAX_ANSWER_BYTES) this.#end('network', new Error(`answer longer than ${MAX_ANSWER_BYTES} bytes`));
    else this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.#settled) return; // ended early in the same turn as the last byte: already reported
    const chunks = this.#chunks;
    const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    // UTF-8 decoding as the Fetch standard does it: a byte order mark in front is dropped (some
    // vendors' JSON starts with one, and JSON.parse would stop at it).
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    const body = (bom ? bytes.subarray(3) : bytes).toString('utf8');
    this.#settle();
    this.resolve({ status: this.#status, headers: this.#headers, body });
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, error: Error): void {
    if (this.#settled) return; // our own abort coming back: the failure was reported already
    this.#settle();
    this.reject(transportError('network', error, this.who));
  }

  /** Our budget, the caller's abort or an answer too long: report it at once, and stop the request. */
  #end(failure: TransportFailure, reason: unknown): void {
    if (this.#settled) return;
    this.#ended = reason instanceof Error ? reason : new Error(String(reason));
    this.#settle();
    this.reject(transportError(failure, reason, this.who, this.timeoutMs));
    this.#controller?.abort(this.#ended);
  }

  #settle(): void {
    this.#settled = true;
    clearTimeout(this.#timer);
    this.#signal.removeEventListener('abort', this.#onAbort);
  }
}
