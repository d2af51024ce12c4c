/**
 * @module test/fakes/shared/report-pusher
 * Delivery reports the way Aliyun and Tencent push them: to the one URL set in the console (not per
 * request), unsigned, as a JSON array that batches the reports queued within a short delay. Each
 * push is recorded with what the receiver answered and whether that counts as received; a vendor
 * that pushes again until acknowledged (Aliyun) gives its re-push schedule.
 */
import { Agent, request } from 'undici';

export interface PushRecord<R = unknown> {
  url: string;
  reports: R[];
  /** 1 for the first push of a batch, 2 and on for re-pushes. */
  attempt: number;
  /** The HTTP status the receiver answered, or null when the POST itself failed. */
  httpStatus: number | null;
  responseBody: string | null;
  /** The receiver answered what the vendor counts as received. */
  acknowledged: boolean;
  error: string | null;
  at: number;
}

export interface ReportPusherOptions {
  /** The console's report URL; null: reports are not pushed. */
  url(): string | null;
  /** How long queued reports wait to go out together. */
  delayMs(): number;
  contentType: string;
  /** Whether the receiver's answer (any status) counts as received. */
  acknowledges(status: number, body: string): boolean;
  /** Delays of the re-pushes after a push that was not acknowledged (default: none). */
  retryDelaysMs?(): readonly number[];
}

const MAX_BATCH = 100;

export class ReportPusher<R> {
  readonly log: PushRecord<R>[] = [];
  readonly #opts: ReportPusherOptions;
  readonly #pending: R[] = [];
  readonly #running = new Set<Promise<unknown>>();
  readonly #retries = new Set<NodeJS.Timeout>();
  readonly #agent = new Agent({ keepAliveTimeout: 1_000 });
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(opts: ReportPusherOptions) {
    this.#opts = opts;
  }

  /** Queues a report; queued reports go out together, one batch per delay. */
  queue(report: R): void {
    if (this.#closed || this.#opts.url() === null) return;
    this.#pending.push(report);
    this.#timer ??= setTimeout(() => this.#flush(), this.#opts.delayMs());
  }

  /** Pushes these reports (any JSON, for forged or odd ones) now, once, without re-pushes. */
  push(reports: unknown[], url?: string): Promise<PushRecord<R>> {
    const target = url ?? this.#opts.url();
    if (target === null) return Promise.reject(new Error('no report URL configured'));
    return this.#track(this.#post(target, reports as R[], 1));
  }

  /** Resolves when every queued report has been pushed (re-pushes still scheduled are not awaited). */
  async settled(): Promise<void> {
    while (this.#timer !== null || this.#running.size > 0) {
      if (this.#timer !== null) {
        clearTimeout(this.#timer);
        this.#flush();
      }
      await Promise.all([...this.#running]);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    for (const t of this.#retries) clearTimeout(t);
    this.#retries.clear();
    this.#pending.length = 0;
    await Promise.allSettled([...this.#running]);
    await this.#agent.close();
  }

  #flush(): void {
    this.#timer = null;
    const url = this.#opts.url();
    while (url !== null && this.#pending.length > 0) {
      void this.#track(this.#deliver(url, this.#pending.splice(0, MAX_BATCH), 1)).catch(() => undefined);
    }
  }

  /** One push of a batch, and the next one scheduled when it was not acknowledged. */
  async #deliver(url: string, reports: R[], attempt: number): Promise<PushRecord<R>> {
    const record = await this.#post(url, reports, attempt);
    const delay = this.#opts.retryDelaysMs?.()[attempt - 1];
    if (!record.acknowledged && delay !== undefined && !this.#closed) {
      const t = setTimeout(() => {
        this.#retries.delete(t);
        void this.#track(this.#deliver(url, reports, attempt + 1)).catch(() => undefined);
      }, delay);
      this.#retries.add(t);
    }
    return record;
  }

  #track<T>(p: Promise<T>): Promise<T> {
    this.#running.add(p);
    void p.finally(() => this.#running.delete(p)).catch(() => undefined);
    return p;
  }

  async #post(url: string, reports: R[], attempt: number): Promise<PushRecord<R>> {
    const record: PushRecord<R> = {
      url,
      reports,
      attempt,
      httpStatus: null,
      responseBody: null,
      acknowledged: false,
      error: null,
      at: Date.now(),
    };
    this.log.push(record);
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: this.#agent,
        headers: { 'content-type': this.#opts.contentType },
        body: JSON.stringify(reports),
        signal: AbortSignal.timeout(5_000),
      });
      record.httpStatus = res.statusCode;
      record.responseBody = await res.body.text();
      record.acknowledged = this.#opts.acknowledges(res.statusCode, record.responseBody);
    } catch (err) {
      record.error = err instanceof Error ? err.message : String(err);
    }
    return record;
  }
}

/** `2017-01-01 00:00:00`: Beijing time (UTC+8), as Aliyun and Tencent write times in reports. */
export function beijingTimestamp(at: number): string {
  return new Date(at + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}
