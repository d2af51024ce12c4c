/**
 * Runs one fuzz target with fast-check and keeps the figures the reliability doc reports: inputs
 * tried, failures, and the slowest input with its time.
 */
import fc from 'fast-check';
import type { FuzzTarget } from './targets.js';

export interface TargetResult {
  name: string;
  runs: number;
  failures: number;
  slowestMs: number;
  slowestInput: string;
  totalMs: number;
  /** fast-check's report of the first counterexample, shrunk; null when every input passed. */
  counterexample: string | null;
  /** HTTP status → inputs answered with it, for the HTTP targets. */
  outcomes?: Record<string, number>;
}

/** An input slower than this counts as a hang: a property failure, not a slow test. */
export const HANG_MS = 5_000;

export async function runTarget(target: FuzzTarget, runs: number, seed?: number): Promise<TargetResult> {
  let tried = 0;
  let slowestMs = 0;
  let slowestInput = '';
  const started = performance.now();
  const property = fc.asyncProperty(target.arbitrary, async (input) => {
    tried++;
    const t0 = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(() => target.check(input)),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${HANG_MS} ms (a hang)`)), HANG_MS);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
    const ms = performance.now() - t0;
    if (ms > slowestMs) {
      slowestMs = ms;
      slowestInput = fc.stringify(input).slice(0, 300);
    }
  });
  const details = await fc.check(property, { numRuns: runs, ...(seed === undefined ? {} : { seed }) });
  return {
    name: target.name,
    runs: tried,
    failures: details.failed ? 1 : 0,
    slowestMs,
    slowestInput,
    totalMs: performance.now() - started,
    ...(target.outcomes ? { outcomes: Object.fromEntries([...target.outcomes].sort()) } : {}),
    counterexample: details.failed
      ? `${fc.defaultReportMessage(details) ?? 'failed'}\n${String(details.errorInstance)}`
      : null,
  };
}
