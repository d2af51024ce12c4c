/**
 * @module bench/scenarios/big-queue
 * Scenario 5 with `--big`: a backlog of 1,000,000 messages scheduled a year ahead (so they stay
 * queued), inserted by batch. Answers two questions: does memory stay flat as the backlog grows
 * (resident memory at checkpoints, peak, database size), and does a message cost the same to
 * accept into a near-empty queue as into a full one (time per batch at 10,000 vs the last 10,000).
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiClient } from '../lib/api.js';
import { feedBatches, type BatchTiming } from '../lib/batches.js';
import { CpuMeter } from '../lib/cpu.js';
import { readMemory } from '../lib/memory.js';
import { summarize } from '../lib/stats.js';
import { Reminders } from '../lib/traffic.js';
import { SIM_PROVIDER } from './accept.js';
import type { Scenario } from './types.js';
import { withTidings } from './with-tidings.js';

const BATCH = 1_000;
/**
 * Batches averaged at each end: messages 10,001-20,000 (past the JIT's warm-up, "at 10k") against
 * the last 10,000.
 */
const EDGE = 10;
const MB = 1024 * 1024;
/** Stop early rather than run for ever on a slow machine; the report says how far it got. */
const TIME_LIMIT_MS = 15 * 60_000;

interface Checkpoint {
  messages: number;
  rssMB: number | null;
  databaseMB: number;
  msPerBatch: number;
}

export const bigQueue: Scenario = ({ opts, runId }) =>
  withTidings({ name: 'big', providers: SIM_PROVIDER, logLevel: opts.logLevel, cpuProf: opts.cpuProf }, async (t) => {
    const api = new ApiClient(t.url, t.apiKey, 2);
    const traffic = new Reminders(`${runId}-big`);
    const sendAt = new Date(Date.now() + 300 * 86_400_000).toISOString();
    const total = Math.ceil(opts.bigMessages / BATCH);
    const marks = new Set([10, 100, 250, 500, 750, 1_000].map((k) => (k * 1_000) / BATCH).filter((b) => b <= total));
    marks.add(total);
    const checkpoints: Checkpoint[] = [];
    let done = 0;
    let recent: number[] = [];
    try {
      const cpu = new CpuMeter({ server: t.pid, load: process.pid });
      const started = performance.now();
      const timings = await feedBatches({
        api,
        concurrency: 2,
        batches: total,
        forMs: TIME_LIMIT_MS,
        body: () => traffic.batchJson(BATCH, sendAt),
        onBatch: (b: BatchTiming) => {
          done++;
          recent.push(b.ms);
          if (!marks.has(done)) return;
          checkpoints.push({
            messages: done * BATCH,
            rssMB: (readMemory(t.pid)?.rssBytes ?? NaN) / MB,
            databaseMB: t.databaseBytes() / MB,
            msPerBatch: summarize(recent).mean,
          });
          recent = [];
        },
      });
      const elapsedS = (performance.now() - started) / 1000;
      const cores = cpu.stop();
      const accepted = timings.reduce((n, b) => n + b.accepted, 0);
      await sleep(2_000); // idle with the full backlog: is memory given back, or held?
      const idle = readMemory(t.pid);
      const depth = await api.metric('tidings_queue_depth');
      const early = timings.length >= 3 * EDGE ? timings.slice(EDGE, 2 * EDGE) : timings.slice(0, EDGE);
      const first = summarize(early.map((b) => b.ms)).mean;
      const last = summarize(timings.slice(-EDGE).map((b) => b.ms)).mean;
      const latency = summarize(timings.map((b) => b.ms));
      const failures = timings.filter((b) => b.failure !== undefined);
      return {
        name: 'big',
        title: `backlog: ${accepted.toLocaleString('en-US')} scheduled via batch`,
        throughput: { value: accepted / elapsedS, unit: 'msg/s' },
        latency: { p50: latency.p50, p99: latency.p99, max: latency.max },
        errors: `${failures.length}`,
        peakRssBytes: t.memory.stop(),
        cores,
        notes: [
          `ms per batch at 10k / at the end: ${first.toFixed(1)} / ${last.toFixed(1)} (×${(last / first).toFixed(2)})`,
          `RSS idle ${((idle?.rssBytes ?? NaN) / MB).toFixed(0)} MB, db ${(t.databaseBytes() / MB).toFixed(0)} MB, depth ${depth}`,
        ],
        checks: [
          {
            name: 'big: all queued',
            ok: failures.length === 0 && depth >= accepted,
            detail: `${accepted} accepted, queue depth ${depth}${failures[0] ? `; ${failures[0].failure}` : ''}`,
          },
        ],
        data: {
          messages: accepted,
          target: opts.bigMessages,
          elapsedS,
          msPerBatchAt10k: first,
          msPerBatchAtEnd: last,
          costRatio: last / first,
          idleRssBytes: idle?.rssBytes ?? null,
          databaseBytes: t.databaseBytes(),
          queueDepth: depth,
          checkpoints,
          latency,
        },
      };
    } finally {
      await api.close();
    }
  });
