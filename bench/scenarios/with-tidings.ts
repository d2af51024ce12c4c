/**
 * @module bench/scenarios/with-tidings
 * Runs a measurement against a fresh Tidings process and always stops it, gracefully, so that its
 * CPU profile (with --cpu-prof) is written and attached to the result. With `opts.scaled`, that
 * Tidings is the scaled-out deployment (one API and N worker processes on PostgreSQL and Redis).
 */
import { existsSync } from 'node:fs';
import { startScaledTidings } from '../lib/scaled.js';
import { startTidings, type TidingsOptions, type TidingsProcess } from '../lib/tidings.js';
import type { ScenarioResult } from './types.js';

export async function withTidings(
  opts: TidingsOptions,
  measure: (tidings: TidingsProcess) => Promise<ScenarioResult>,
): Promise<ScenarioResult> {
  const tidings = opts.scaled ? await startScaledTidings(opts, opts.scaled) : await startTidings(opts);
  let result: ScenarioResult;
  try {
    result = await measure(tidings);
  } catch (err) {
    await tidings.stop();
    throw err;
  }
  const peaks = tidings.peakRss();
  if (Object.keys(peaks).length > 1) {
    const mb = (b: number | null) => (b === null ? 'n/a' : `${Math.round(b / 1024 / 1024)} MB`);
    result = {
      ...result,
      notes: [
        ...result.notes,
        `peak RSS ${Object.entries(peaks)
          .map(([k, v]) => `${k} ${mb(v)}`)
          .join(', ')}`,
      ],
      data: { ...result.data, peakRssByProcess: peaks },
    };
  }
  const profile = await tidings.stop();
  if (profile === null) return result;
  return existsSync(profile)
    ? { ...result, profile }
    : { ...result, profile: null, notes: [...result.notes, `no CPU profile at ${profile}`] };
}
