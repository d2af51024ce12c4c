/**
 * @module test/fakes/aliyun/flow-control
 * Dysmsapi's per-number flow control (providers.md §3.2): sends per number and signature counted in
 * sliding minute, hour and day windows; over a limit the request is refused with
 * `isv.BUSINESS_LIMIT_CONTROL` and a message naming the window, e.g. `触发分钟级流控Permits:1`.
 */
import { business, type FakeError } from './aliyun-errors.js';

/** Aliyun's defaults for verification codes are 1 a minute, 5 an hour, 10 a day. */
export interface FlowControl {
  perMinute?: number;
  perHour?: number;
  perDay?: number;
}

const DAY = 86_400_000;

export class FlowControlCounter {
  readonly #sends = new Map<string, number[]>();

  constructor(private readonly limits: FlowControl) {}

  /** Counts one send for every key, or refuses them all when one is over a limit. */
  take(keys: string[], now: number): FakeError | null {
    const windows: [number | undefined, number, string][] = [
      [this.limits.perMinute, 60_000, '分钟级'],
      [this.limits.perHour, 3_600_000, '小时级'],
      [this.limits.perDay, DAY, '天级'],
    ];
    for (const key of keys) {
      const times = this.#sends.get(key) ?? [];
      for (const [permits, span, label] of windows) {
        if (permits !== undefined && times.filter((t) => now - t < span).length >= permits) {
          return business('isv.BUSINESS_LIMIT_CONTROL', `触发${label}流控Permits:${permits}`);
        }
      }
    }
    for (const key of keys) {
      const times = (this.#sends.get(key) ?? []).filter((t) => now - t < DAY);
      times.push(now);
      this.#sends.set(key, times);
    }
    return null;
  }
}
