/**
 * @module bench/scenarios/batch
 * Scenario 3: `POST /v1/messages/batch` with 1,000 messages per request from 4 producers for a fixed
 * time: accepted messages per second, and how long one batch takes. The worker dispatches what was
 * accepted meanwhile, as it would in production.
 */
import { performance } from 'node:perf_hooks';
import { ApiClient } from '../lib/api.js';
import { feedBatches } from '../lib/batches.js';
import { CpuMeter } from '../lib/cpu.js';
import { summarize } from '../lib/stats.js';
import { Reminders } from '../lib/traffic.js';
import { SIM_PROVIDER } from './accept.js';
import type { Scenario } from './types.js';
import { withTidings } from './with-tidings.js';

const BATCH = 1_000;
const PRODUCERS = 4;

export const batch: Scenario = ({ opts, runId, scaled }) =>
  withTidings(
    { name: 'batch', providers: SIM_PROVIDER, logLevel: opts.logLevel, cpuProf: opts.cpuProf, scaled },
    async (t) => {
      const api = new ApiClient(t.url, t.apiKey, PRODUCERS);
      const traffic = new Reminders(`${runId}-batch`);
      try {
        // Warm-up: a few batches so the JIT has seen the path before the clock starts.
        await feedBatches({ api, concurrency: PRODUCERS, batches: 8, body: () => traffic.batchJson(BATCH) });
        const cpu = new CpuMeter({ ...t.pids, load: process.pid });
        const started = performance.now();
        const timings = await feedBatches({
          api,
          concurrency: PRODUCERS,
          forMs: opts.batchDurationS * 1000,
          body: () => traffic.batchJson(BATCH),
        });
        const elapsedS = (performance.now() - started) / 1000;
        const cores = cpu.stop();
        const accepted = timings.reduce((n, b) => n + b.accepted, 0);
        const failures = timings.filter((b) => b.failure !== undefined || b.rejected > 0);
        const latency = summarize(timings.map((b) => b.ms));
        return {
          name: 'batch',
          title: `batch accept: ${BATCH} per request (${PRODUCERS} producers)`,
          throughput: { value: accepted / elapsedS, unit: 'msg/s' },
          latency: { p50: latency.p50, p99: latency.p99, max: latency.max },
          errors: `${failures.length}`,
          peakRssBytes: t.memory.stop(),
          cores,
          notes: [`${timings.length} batches; latency is per batch`],
          checks: [
            {
              name: 'batch: every message accepted',
              ok: failures.length === 0,
              detail:
                failures.length === 0
                  ? `${accepted} accepted`
                  : `first failure: ${failures[0]?.failure ?? 'rejected items'}`,
            },
          ],
          data: { batchSize: BATCH, producers: PRODUCERS, batches: timings.length, accepted, elapsedS, latency },
        };
      } finally {
        await api.close();
      }
    },
  );
