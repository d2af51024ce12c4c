/**
 * @module bench/targets
 * The targets of issue #3, evaluated on one run's figures and printed next to the table. They
 * inform; they never fail the run (timings vary by machine; only correctness checks fail it).
 */
import type { ScenarioName } from './options.js';
import type { ScenarioResult } from './scenarios/types.js';

export interface TargetVerdict {
  target: string;
  actual: string;
  met: boolean;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

export function evaluateTargets(results: ReadonlyMap<ScenarioName, ScenarioResult>): TargetVerdict[] {
  const out: TargetVerdict[] = [];
  const ceiling = results.get('ceiling');
  const accept = results.get('accept');
  if (accept?.throughput && ceiling?.throughput) {
    const ratio = accept.throughput.value / ceiling.throughput.value;
    out.push({ target: 'accept ≥ 40% of the ceiling', actual: `${(ratio * 100).toFixed(1)}%`, met: ratio >= 0.4 });
  }
  if (accept?.latency) {
    out.push({ target: 'accept p99 < 15 ms', actual: `${accept.latency.p99} ms`, met: accept.latency.p99 < 15 });
    out.push({ target: 'accept 0 errors', actual: accept.errors, met: accept.errors === '0' });
  }
  const batch = results.get('batch');
  if (batch?.throughput) {
    const v = batch.throughput.value;
    out.push({ target: 'batch accept ≥ 100,000 msg/s', actual: `${fmt(v)} msg/s`, met: v >= 100_000 });
  }
  const e2e = results.get('e2e');
  if (e2e?.throughput) {
    const v = e2e.throughput.value;
    out.push({ target: 'end to end ≥ 10,000 msg/s', actual: `${fmt(v)} msg/s`, met: v >= 10_000 });
    out.push({
      target: 'end to end: nothing lost, no duplicates',
      actual: e2e.errors,
      met: e2e.checks.every((c) => c.ok),
    });
  }
  const big = results.get('big');
  if (big) {
    const peak = (big.peakRssBytes ?? NaN) / (1024 * 1024);
    out.push({ target: 'peak RSS < 300 MB with the backlog', actual: `${fmt(peak)} MB`, met: peak < 300 });
    const ratio = Number(big.data['costRatio']);
    out.push({
      target: 'cost per message flat (batch at the end vs at 10k ≤ ×1.3)',
      actual: `×${ratio.toFixed(2)}`,
      met: ratio <= 1.3,
    });
  }
  return out;
}
