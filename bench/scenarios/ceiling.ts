/**
 * @module bench/scenarios/ceiling
 * Scenario 1: the same load as the accept run against a bare Fastify route that answers 202. What
 * Tidings reaches is read as a share of this figure, measured minutes apart on the same machine.
 */
import { runFixedLoad } from '../lib/fixed-load.js';
import { startCeiling } from '../lib/helpers.js';
import { CpuMeter } from '../lib/cpu.js';
import { MemoryWatch } from '../lib/memory.js';
import { Reminders } from '../lib/traffic.js';
import type { Scenario } from './types.js';

export const ceiling: Scenario = async ({ opts, runId }) => {
  const server = await startCeiling();
  const memory = new MemoryWatch(server.child.process.pid ?? 0);
  try {
    const traffic = new Reminders(`${runId}-ceiling`);
    const load = {
      url: server.url,
      path: '/v1/messages',
      connections: opts.connections,
      headers: { authorization: 'Bearer not-checked-by-the-ceiling' },
      body: () => traffic.json(),
    };
    await runFixedLoad({ ...load, durationS: opts.warmupS });
    const cpu = new CpuMeter({ server: server.child.process.pid ?? 0, load: process.pid });
    const r = await runFixedLoad({ ...load, durationS: opts.durationS });
    const cores = cpu.stop();
    return {
      name: 'ceiling',
      title: `ceiling: bare Fastify 202 (${opts.connections} conn)`,
      throughput: { value: r.rps, unit: 'req/s' },
      latency: { p50: r.p50, p99: r.p99, max: r.max },
      errors: `${r.errors + r.non2xx}`,
      peakRssBytes: memory.stop(),
      cores,
      notes: [],
      checks: [],
      data: { ...r, durationS: opts.durationS, warmupS: opts.warmupS, connections: opts.connections },
    };
  } finally {
    memory.stop();
    await server.child.stop();
  }
};
