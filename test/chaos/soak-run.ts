/**
 * @module test/chaos/soak-run
 * A soak: Tidings (embedded, the simulator carrier) under the seed's load profile, many clients
 * each sending one message and thinking 0.5-2 s, held for many minutes. The load is the
 * benchmark's own virtual users (bench/lib/virtual-users.ts), run one window (a minute) after
 * another; after each window the server's resident memory, V8 heap and event-loop delay are
 * sampled with that window's p99. A straight line fitted through the windows (the first left out:
 * warm-up) gives the growth per minute of memory and of latency; the verdict compares those and the
 * error rate with fixed bounds.
 */
import { ApiClient } from '../../bench/lib/api.js';
import { readMemory } from '../../bench/lib/memory.js';
import { startTidings } from '../../bench/lib/tidings.js';
import { Reminders } from '../../bench/lib/traffic.js';
import { runVirtualUsers } from '../../bench/lib/virtual-users.js';

export interface SoakOptions {
  minutes: number;
  users: number;
  /** Length of one sampling window (default 60 s; shorter for a smoke run). */
  windowS?: number;
  log?(line: string): void;
}

export interface SoakSample {
  window: number;
  requests: number;
  errors: number;
  tps: number;
  p50Ms: number;
  p99Ms: number;
  rssMb: number | null;
  heapUsedMb: number | null;
  eventLoopP99Ms: number | null;
}

/** What the verdict allows: memory and p99 may not climb faster, errors may not pass the rate. */
export const SOAK_BOUNDS = { rssMbPerMin: 3, heapMbPerMin: 2, p99MsPerMin: 5, errorRate: 0.001 };

export interface SoakReport {
  minutes: number;
  users: number;
  windowS: number;
  samples: SoakSample[];
  requests: number;
  errors: number;
  errorRate: number;
  /** Least-squares slopes over the windows after the first, per minute. */
  slopes: { rssMbPerMin: number | null; heapMbPerMin: number | null; p99MsPerMin: number | null };
  bounds: typeof SOAK_BOUNDS;
  failures: string[];
  ok: boolean;
}

export async function runSoak(opts: SoakOptions): Promise<SoakReport> {
  const log = opts.log ?? (() => {});
  const windowS = opts.windowS ?? 60;
  const windows = Math.max(2, Math.round((opts.minutes * 60) / windowS));
  const tidings = await startTidings({ name: 'soak', providers: 'sim://soak', logLevel: 'warn', cpuProf: false });
  const api = new ApiClient(tidings.url, tidings.apiKey, 2);
  const traffic = new Reminders(`soak-${Date.now().toString(36)}`);
  const samples: SoakSample[] = [];
  try {
    for (let w = 1; w <= windows; w++) {
      const r = await runVirtualUsers({
        url: tidings.url,
        path: '/v1/messages',
        headers: { authorization: `Bearer ${tidings.apiKey}` },
        body: () => traffic.json(),
        users: opts.users,
        durationS: windowS,
        thinkMs: [500, 2_000],
        timeoutMs: 10_000,
      });
      const metrics = await api.text('/metrics').catch(() => '');
      const mb = (bytes: number | null) => (bytes === null ? null : bytes / 1_048_576);
      const sample: SoakSample = {
        window: w,
        requests: r.requests,
        errors: r.errors,
        tps: r.tps,
        p50Ms: r.latency.p50,
        p99Ms: r.latency.p99,
        rssMb: mb(readMemory(tidings.pid)?.rssBytes ?? null),
        heapUsedMb: mb(gauge(metrics, 'nodejs_heap_size_used_bytes')),
        eventLoopP99Ms: scale(gauge(metrics, 'nodejs_eventloop_lag_p99_seconds'), 1000),
      };
      samples.push(sample);
      log(
        `window ${w}/${windows}: ${sample.tps.toFixed(0)} req/s, p99 ${sample.p99Ms.toFixed(1)} ms, ` +
          `${sample.errors} errors, RSS ${sample.rssMb?.toFixed(1)} MB, heap ${sample.heapUsedMb?.toFixed(1)} MB, ` +
          `event-loop p99 ${sample.eventLoopP99Ms?.toFixed(1)} ms`,
      );
    }
  } finally {
    await api.close();
    await tidings.stop();
  }
  return judge(opts, windowS, samples);
}

export function judge(opts: SoakOptions, windowS: number, samples: SoakSample[]): SoakReport {
  const steady = samples.slice(1);
  const perMin = 60 / windowS;
  const slope = (pick: (s: SoakSample) => number | null): number | null => {
    const pts = steady
      .map((s) => [s.window, pick(s)] as const)
      .filter((p): p is readonly [number, number] => p[1] !== null);
    const fitted = leastSquaresSlope(pts);
    return fitted === null ? null : fitted * perMin;
  };
  const requests = samples.reduce((n, s) => n + s.requests, 0);
  const errors = samples.reduce((n, s) => n + s.errors, 0);
  const errorRate = requests === 0 ? 1 : errors / requests;
  const slopes = {
    rssMbPerMin: slope((s) => s.rssMb),
    heapMbPerMin: slope((s) => s.heapUsedMb),
    p99MsPerMin: slope((s) => s.p99Ms),
  };
  const failures: string[] = [];
  const over = (name: string, value: number | null, bound: number, unit: string) => {
    if (value !== null && value > bound)
      failures.push(`${name} grows ${value.toFixed(2)} ${unit}/min (bound ${bound})`);
  };
  over('RSS', slopes.rssMbPerMin, SOAK_BOUNDS.rssMbPerMin, 'MB');
  over('V8 heap', slopes.heapMbPerMin, SOAK_BOUNDS.heapMbPerMin, 'MB');
  over('p99 latency', slopes.p99MsPerMin, SOAK_BOUNDS.p99MsPerMin, 'ms');
  if (errorRate >= SOAK_BOUNDS.errorRate) {
    failures.push(`error rate ${(errorRate * 100).toFixed(3)}% (bound ${SOAK_BOUNDS.errorRate * 100}%)`);
  }
  return {
    minutes: opts.minutes,
    users: opts.users,
    windowS,
    samples,
    requests,
    errors,
    errorRate,
    slopes,
    bounds: SOAK_BOUNDS,
    failures,
    ok: failures.length === 0,
  };
}

/** Slope of the least-squares line through the points; null with fewer than two. */
export function leastSquaresSlope(points: ReadonlyArray<readonly [number, number]>): number | null {
  if (points.length < 2) return null;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? null : num / den;
}

function gauge(metrics: string, name: string): number | null {
  const line = metrics.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  if (!line) return null;
  const value = Number(line.slice(line.lastIndexOf(' ') + 1));
  return Number.isFinite(value) ? value : null;
}

const scale = (v: number | null, k: number): number | null => (v === null ? null : v * k);
