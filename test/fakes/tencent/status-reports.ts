/**
 * @module test/fakes/tencent/status-reports
 * Delivery reports the way Tencent pushes them (providers.md §4.4): to the one callback URL set in
 * the console (not per request), as a JSON array that batches several reports, unsigned. Tencent
 * wants `{"result":0,"errmsg":"OK"}` back; each push is recorded with what the receiver answered.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { Agent, request } from 'undici';

/** One report, Tencent's field names. */
export interface TencentReport {
  user_receive_time: string;
  nationcode: string;
  mobile: string;
  report_status: 'SUCCESS' | 'FAIL';
  errmsg: string;
  description: string;
  sid: string;
}

export interface CallbackRecord {
  url: string;
  reports: TencentReport[];
  /** The HTTP status the receiver answered, or null when the POST itself failed. */
  httpStatus: number | null;
  responseBody: string | null;
  /** The receiver answered `{"result":0,…}`, which is what Tencent counts as received. */
  acknowledged: boolean;
  error: string | null;
  at: number;
}

const MAX_BATCH = 100;

/** `2015-10-17 08:03:04`: Beijing time, as Tencent writes it. */
export function beijingTimestamp(at: number): string {
  return new Date(at + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The report Tencent pushes for one sent number, delivered or not. */
export function reportFor(
  sid: string,
  number: string,
  outcome: { delivered: boolean; errmsg?: string | undefined },
  at: number,
): TencentReport {
  const phone = parsePhoneNumberFromString(number);
  const { delivered } = outcome;
  return {
    user_receive_time: beijingTimestamp(at),
    nationcode: phone?.countryCallingCode ?? '86',
    mobile: phone?.nationalNumber ?? number.replace(/^\+/, ''),
    report_status: delivered ? 'SUCCESS' : 'FAIL',
    errmsg: delivered ? 'DELIVRD' : (outcome.errmsg ?? 'UNDELIV'),
    description: delivered ? '用户短信送达成功' : '用户短信未送达',
    sid,
  };
}

export class StatusReports {
  readonly log: CallbackRecord[] = [];
  readonly #pending: TencentReport[] = [];
  readonly #running = new Set<Promise<unknown>>();
  readonly #agent = new Agent({ keepAliveTimeout: 1_000 });
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(
    private readonly callbackUrl: () => string | null,
    private readonly delayMs: () => number,
  ) {}

  /** Queues a report; queued reports go out together, one batch per delay. */
  queue(report: TencentReport): void {
    if (this.#closed || this.callbackUrl() === null) return;
    this.#pending.push(report);
    this.#timer ??= setTimeout(() => this.#flush(), this.delayMs());
  }

  /** Pushes these reports now, to `url` or the configured callback URL. */
  push(reports: unknown[], url?: string): Promise<CallbackRecord> {
    const target = url ?? this.callbackUrl();
    if (target === null) return Promise.reject(new Error('no callback URL configured'));
    return this.#track(this.#post(target, reports as TencentReport[]));
  }

  /** Resolves when every report queued so far has been pushed. */
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
    this.#pending.length = 0;
    await Promise.allSettled([...this.#running]);
    await this.#agent.close();
  }

  #flush(): void {
    this.#timer = null;
    const url = this.callbackUrl();
    while (url !== null && this.#pending.length > 0) {
      void this.#track(this.#post(url, this.#pending.splice(0, MAX_BATCH))).catch(() => undefined);
    }
  }

  #track<T>(p: Promise<T>): Promise<T> {
    this.#running.add(p);
    void p.finally(() => this.#running.delete(p)).catch(() => undefined);
    return p;
  }

  async #post(url: string, reports: TencentReport[]): Promise<CallbackRecord> {
    const record: CallbackRecord = {
      url,
      reports,
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
        headers: { 'content-type': 'application/json' },
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
    const json = JSON.parse(body) as { result?: unknown };
    return json.result === 0 || json.result === '0';
  } catch {
    return false;
  }
}
