/**
 * @module bench/scenarios/accept
 * Scenario 2: `POST /v1/messages` at full tilt from 100 connections against a real `tidings serve`
 * (simulator provider, default settings, its worker dispatching in the same process, as installed).
 * The ratio to the ceiling is filled in by the report.
 */
import { CpuMeter } from '../lib/cpu.js';
import { runFixedLoad } from '../lib/fixed-load.js';
import { Reminders } from '../lib/traffic.js';
import type { Scenario } from './types.js';
import { withTidings } from './with-tidings.js';

/** The simulated carrier with its defaults (20 ms answers, delivery reports after 500 ms). */
export const SIM_PROVIDER = 'sim://bench';

export const accept: Scenario = ({ opts, runId, scaled }) =>
  withTidings(
    { name: 'accept', providers: SIM_PROVIDER, logLevel: opts.logLevel, cpuProf: opts.cpuProf, scaled },
    async (t) => {
      const traffic = new Reminders(`${runId}-accept`);
      const load = {
        url: t.url,
        path: '/v1/messages',
        connections: opts.connections,
        headers: { authorization: `Bearer ${t.apiKey}` },
        body: () => traffic.json(),
      };
      await runFixedLoad({ ...load, durationS: opts.warmupS });
      const cpu = new CpuMeter({ ...t.pids, load: process.pid });
      const r = await runFixedLoad({ ...load, durationS: opts.durationS });
      const cores = cpu.stop();
      const bad = r.errors + r.non2xx;
      return {
        name: 'accept',
        title: `accept: POST /v1/messages (${opts.connections} conn)`,
        throughput: { value: r.rps, unit: 'req/s' },
        latency: { p50: r.p50, p99: r.p99, max: r.max },
        errors: `${bad}`,
        peakRssBytes: t.memory.stop(),
        cores,
        notes: bad > 0 ? [`status codes ${JSON.stringify(r.statusCodes)}`] : [],
        checks: [{ name: 'accept: no errors', ok: bad === 0, detail: `${r.errors} errors, ${r.non2xx} non-2xx` }],
        data: { ...r, durationS: opts.durationS, warmupS: opts.warmupS, connections: opts.connections },
      };
    },
  );
