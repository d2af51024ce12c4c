/**
 * @module bench/scenarios/scaled
 * `--scaled`: the accept, batch and end-to-end scenarios, unchanged, against the scaled-out mode:
 * one `--role api` process and first 1, then 2 `--role worker` processes on PostgreSQL and Redis,
 * each run on a fresh schema and key prefix. Each scenario runs with 1 worker and then with 2, one
 * after the other, so the two figures the growth ratio compares are neighbours in time. When
 * PostgreSQL or Redis does not answer, the part is skipped with the reason (a benchmark, not a test).
 */
import { isInterrupted, stopAll } from '../lib/children.js';
import { scaledUnreachable } from '../lib/scaled-store.js';
import { SCALED_SCENARIOS, SCALED_WORKERS, type BenchOptions, type ScenarioName } from '../options.js';
import { accept } from './accept.js';
import { batch } from './batch.js';
import { endToEnd } from './end-to-end.js';
import type { Scenario, ScenarioResult } from './types.js';

const BY_NAME: Record<(typeof SCALED_SCENARIOS)[number], Scenario> = { accept, batch, e2e: endToEnd };

export interface ScaledRow extends ScenarioResult {
  /** Worker processes beside the one API process. */
  workers: number;
}

export interface ScaledReport {
  /** Where the data lived (host and database, no credentials). */
  postgres: string;
  redis: string;
  /** Why the part did not run, or null. */
  skipped: string | null;
  rows: ScaledRow[];
  failures: { scenario: ScenarioName; workers: number; error: string }[];
  /** Per scenario: throughput with the most workers over throughput with one (null when one is missing). */
  growth: Partial<Record<ScenarioName, number | null>>;
}

/** Host, port and database of a URL: safe to print and to store. */
const where = (url: string): string => {
  const u = new URL(url);
  return `${u.host}${u.pathname === '/' ? '' : u.pathname}`;
};

export async function runScaled(opts: BenchOptions, runId: string): Promise<ScaledReport> {
  const report: ScaledReport = {
    postgres: where(opts.postgresUrl),
    redis: where(opts.redisUrl),
    skipped: null,
    rows: [],
    failures: [],
    growth: {},
  };
  const why = await scaledUnreachable(opts.postgresUrl, opts.redisUrl);
  if (why !== null) {
    process.stderr.write(`▸ scaled: skipped, ${why}\n`);
    return { ...report, skipped: why };
  }
  for (const name of SCALED_SCENARIOS) {
    for (const workers of SCALED_WORKERS) {
      if (isInterrupted()) return report;
      const t0 = Date.now();
      process.stderr.write(`▸ scaled ${name}, ${workers} worker${workers > 1 ? 's' : ''}…`);
      try {
        const scaled = { postgresUrl: opts.postgresUrl, redisUrl: opts.redisUrl, workers };
        const r = await BY_NAME[name]({ opts, runId: `${runId}w${workers}`, scaled });
        report.rows.push({
          ...r,
          workers,
          checks: r.checks.map((c) => ({ ...c, name: `scaled ×${workers}: ${c.name}` })),
        });
        const tp = r.throughput ? `${Math.round(r.throughput.value).toLocaleString('en-US')} ${r.throughput.unit}` : '';
        process.stderr.write(` ${tp} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
      } catch (err) {
        report.failures.push({
          scenario: name,
          workers,
          error: err instanceof Error ? (err.stack ?? err.message) : String(err),
        });
        process.stderr.write(' failed\n');
        await stopAll(5_000);
      }
    }
    const fewest = report.rows.find((r) => r.name === name && r.workers === SCALED_WORKERS[0]);
    const most = report.rows.find((r) => r.name === name && r.workers === SCALED_WORKERS[SCALED_WORKERS.length - 1]);
    report.growth[name] =
      fewest?.throughput && most?.throughput && fewest.throughput.value > 0
        ? most.throughput.value / fewest.throughput.value
        : null;
  }
  return report;
}
