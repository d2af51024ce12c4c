/**
 * @module bench/scenarios/seed-mirror
 * The seed's own load test, re-enacted: many clients each POST one message, wait for the answer,
 * think 0.5-2 s, and go again, for a fixed time. Reported the way the seed reported it (TPS, p99,
 * error rate), next to the seed's optimized figures, so the rewrite can be compared on its terms.
 */
import { CpuMeter } from '../lib/cpu.js';
import { Reminders } from '../lib/traffic.js';
import { runVirtualUsers } from '../lib/virtual-users.js';
import { SIM_PROVIDER } from './accept.js';
import type { Scenario } from './types.js';
import { withTidings } from './with-tidings.js';

/** The seed's optimized figures, from its own load test. */
export const SEED = { tps: 850, p99Ms: 230, errorRate: 0.003 };

export const seedMirror: Scenario = ({ opts, runId }) =>
  withTidings({ name: 'seed', providers: SIM_PROVIDER, logLevel: opts.logLevel, cpuProf: opts.cpuProf }, async (t) => {
    const traffic = new Reminders(`${runId}-seed`);
    const cpu = new CpuMeter({ server: t.pid, load: process.pid });
    const r = await runVirtualUsers({
      url: t.url,
      path: '/v1/messages',
      headers: { authorization: `Bearer ${t.apiKey}` },
      body: () => traffic.json(),
      users: opts.seedUsers,
      durationS: opts.seedDurationS,
      thinkMs: [500, 2_000],
      timeoutMs: 10_000,
    });
    const cores = cpu.stop();
    const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
    return {
      name: 'seed',
      title: `seed mirror: ${opts.seedUsers} users, think 0.5-2 s`,
      throughput: { value: r.tps, unit: 'TPS' },
      latency: { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max },
      errors: pct(r.errorRate),
      peakRssBytes: t.memory.stop(),
      cores,
      notes: [
        `seed: ${SEED.tps} TPS, p99 ${SEED.p99Ms} ms, ${pct(SEED.errorRate)} errors (${opts.seedDurationS} s run)`,
      ],
      checks: [{ name: 'seed: no errors', ok: r.errors === 0, detail: `${r.errors} of ${r.requests}` }],
      data: { ...r, users: opts.seedUsers, durationS: opts.seedDurationS, seed: SEED },
    };
  });
