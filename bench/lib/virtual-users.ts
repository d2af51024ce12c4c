/**
 * @module bench/lib/virtual-users
 * Open-ish load the way the seed's load test made it: many independent clients, each sending one
 * request, waiting for the answer, then "thinking" for a random 0.5-2 s before the next. autocannon
 * has no think time, so this is a small loop on an undici Pool (one keep-alive connection per
 * client at most). Start times are spread over one think period so clients do not arrive in step.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { summarize, type LatencySummary } from './stats.js';

export interface VirtualUserLoad {
  url: string;
  path: string;
  headers: Record<string, string>;
  body: () => string;
  users: number;
  durationS: number;
  thinkMs: readonly [number, number];
  /** An answer slower than this counts as an error, as a client's timeout would. */
  timeoutMs: number;
}

export interface VirtualUserSummary {
  requests: number;
  /** Completed requests per second (2xx or not), like the seed's TPS. */
  tps: number;
  errors: number;
  errorRate: number;
  latency: LatencySummary;
  statusCodes: Record<string, number>;
}

export async function runVirtualUsers(load: VirtualUserLoad): Promise<VirtualUserSummary> {
  const pool = new Pool(load.url, {
    connections: load.users,
    keepAliveTimeout: 10_000,
    headersTimeout: load.timeoutMs,
    bodyTimeout: load.timeoutMs,
  });
  const headers = { ...load.headers, 'content-type': 'application/json' };
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  const [thinkMin, thinkMax] = load.thinkMs;
  const think = (): number => thinkMin + Math.random() * (thinkMax - thinkMin);
  const started = performance.now();
  const end = started + load.durationS * 1000;

  async function user(): Promise<void> {
    await sleep(Math.random() * thinkMax);
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        const res = await pool.request({ method: 'POST', path: load.path, headers, body: load.body() });
        await res.body.dump();
        const key = String(res.statusCode);
        statusCodes[key] = (statusCodes[key] ?? 0) + 1;
        if (res.statusCode >= 300) errors++;
        latencies.push(performance.now() - t0);
      } catch {
        errors++;
        statusCodes['error'] = (statusCodes['error'] ?? 0) + 1;
      }
      const pause = Math.min(think(), end - performance.now());
      if (pause > 0) await sleep(pause);
    }
  }

  await Promise.all(Array.from({ length: load.users }, user));
  const elapsedS = (performance.now() - started) / 1000;
  await pool.close();
  const requests = latencies.length + (statusCodes['error'] ?? 0);
  return {
    requests,
    tps: requests / elapsedS,
    errors,
    errorRate: requests === 0 ? 0 : errors / requests,
    latency: summarize(latencies),
    statusCodes,
  };
}
