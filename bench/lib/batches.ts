/**
 * @module bench/lib/batches
 * Feeds `POST /v1/messages/batch` from a few concurrent producers, either a fixed number of batches
 * or for a fixed time, and times each batch. Bodies are built just before they are sent, outside
 * the batch's own timing, by a generator the caller owns.
 */
import { performance } from 'node:perf_hooks';
import type { ApiClient } from './api.js';

export interface BatchItemResult {
  id?: string;
  error?: { code: string };
}

export interface BatchAnswer {
  accepted: number;
  rejected: number;
  results: BatchItemResult[];
}

export interface BatchTiming {
  /** 0-based order in which the batch was started. */
  index: number;
  ms: number;
  accepted: number;
  rejected: number;
  /** Set when the request failed or answered other than 202. */
  failure?: string;
}

export interface BatchFeed {
  api: ApiClient;
  /** Batches in flight at once. */
  concurrency: number;
  /** Stop after this many batches… */
  batches?: number;
  /** …or once this much time has passed (ms), whichever comes first. */
  forMs?: number;
  /** The JSON body of batch number `index`. */
  body: (index: number) => string;
  /** Called after each batch, e.g. to sample memory at checkpoints. */
  onBatch?: (timing: BatchTiming, answer: BatchAnswer | null) => void;
}

export async function feedBatches(feed: BatchFeed): Promise<BatchTiming[]> {
  const timings: BatchTiming[] = [];
  const end = feed.forMs === undefined ? Infinity : performance.now() + feed.forMs;
  const limit = feed.batches ?? Infinity;
  let next = 0;

  async function producer(): Promise<void> {
    while (next < limit && performance.now() < end) {
      const index = next++;
      const json = feed.body(index);
      const t0 = performance.now();
      let timing: BatchTiming;
      let answer: BatchAnswer | null = null;
      try {
        const res = await feed.api.postJson<BatchAnswer>('/v1/messages/batch', json);
        const ms = performance.now() - t0;
        if (res.status === 202) {
          answer = res.body;
          timing = { index, ms, accepted: answer.accepted, rejected: answer.rejected };
        } else {
          timing = { index, ms, accepted: 0, rejected: 0, failure: `HTTP ${res.status}: ${JSON.stringify(res.body)}` };
        }
      } catch (err) {
        timing = { index, ms: performance.now() - t0, accepted: 0, rejected: 0, failure: String(err) };
      }
      timings.push(timing);
      feed.onBatch?.(timing, answer);
    }
  }

  await Promise.all(Array.from({ length: feed.concurrency }, producer));
  return timings.sort((a, b) => a.index - b.index);
}
