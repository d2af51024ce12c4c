/**
 * @module test/fakes/aliyun/sms-reports
 * SmsReport the way Aliyun pushes it in "HTTP batch push" mode (providers.md §3.5): to the one URL
 * set in the console, as a JSON array batching several reports, unsigned. Aliyun wants HTTP 200
 * with a numeric `code` of 0 back (`{"code":0,"msg":"接收成功"}`); otherwise it pushes the same
 * batch again after 1, 5 and 10 minutes, then gives up. Every push is recorded with the answer.
 */
import { Agent, request } from 'undici';

/** One report, Aliyun's field names. */
export interface SmsReport {
  phone_number: string;
  send_time: string;
  report_time: string;
  success: boolean;
  err_code: string;
  err_msg: string;
  sms_size: string;
  biz_id: string;
  out_id: string;
}

export interface ReportPush {
  url: string;
  reports: unknown[];
  /** 1 for the first push of a batch, 2–4 for Aliyun's re-pushes. */
  attempt: number;
  /** The HTTP status the receiver answered, or null when the POST itself failed. */
  httpStatus: number | null;
  responseBody: string | null;
  /** The receiver answered 200 with `{"code":0,…}`: what Aliyun counts as received. */
  acknowledged: boolean;
  error: string | null;
  at: number;
}

/** Aliyun's re-push schedule: 1, 5 and 10 minutes after a push that was not acknowledged. */
export const ALIYUN_RETRY_DELAYS_MS = [60_000, 300_000, 600_000];
const MAX_BATCH = 100;

/** `2017-01-01 00:00:00`: Beijing time, as Aliyun writes it. */
export function beijingTimestamp(at: number): string {
  return new Date(at + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export class SmsReports {
  readonly log: ReportPush[] = [];
  readonly #pending: SmsReport[] = [];
  readonly #running = new Set<Promise<unknown>>();
  readonly #retries = new Set<NodeJS.Timeout>();
  readonly #agent = new Agent({ keepAliveTimeout: 1_000 });
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(
    private readonly reportUrl: () => string | null,
    private readonly delayMs: () => number,
    private readonly retryDelaysMs: () => readonly number[],
  ) {}

  /** Queues a report; queued reports go out together, one batch per delay. */
  queue(report: SmsReport): void {
    if (this.#closed || this.reportUrl() === null) return;
    this.#pending.push(report);
    this.#timer ??= setTimeout(() => this.#flush(), this.delayMs());
  }

  /** Pushes these reports (any JSON, for forged or odd ones) now, once, without re-pushes. */
  push(reports: unknown[], url?: string): Promise<ReportPush> {
    const target = url ?? this.reportUrl();
    if (target === null) return Promise.reject(new Error('no report URL configured'));
    return this.#track(this.#post(target, reports, 1));
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
    const url = this.reportUrl();
    while (url !== null && this.#pending.length > 0) {
      void this.#track(this.#deliver(url, this.#pending.splice(0, MAX_BATCH), 1)).catch(() => undefined);
    }
  }

  /** One push of a batch, and the next one scheduled when it was not acknowledged. */
  async #deliver(url: string, reports: SmsReport[], attempt: number): Promise<ReportPush> {
    const record = await this.#post(url, reports, attempt);
    const delay = this.retryDelaysMs()[attempt - 1];
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

  async #post(url: string, reports: unknown[], attempt: number): Promise<ReportPush> {
    const record: ReportPush = {
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
        headers: { 'content-type': 'application/json;charset=utf-8' },
        body: JSON.stringify(reports),
        signal: AbortSignal.timeout(5_000),
      });
      record.httpStatus = res.statusCode;
      record.responseBody = await res.body.text();
      record.acknowledged = res.statusCode === 200 && acknowledges(record.responseBody);
    } catch (err) {
      record.error = err instanceof Error ? err.message : String(err);
    }
    return record;
  }
}

function acknowledges(body: string): boolean {
  try {
    return (JSON.parse(body) as { code?: unknown }).code === 0;
  } catch {
    return false;
  }
}
