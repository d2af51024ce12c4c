/**
 * @module bench/scenarios/with-tidings
 * Runs a measurement against a fresh Tidings process and always stops it, gracefully, so that its
 * CPU profile (with --cpu-prof) is written and attached to the result.
 */
import { existsSync } from 'node:fs';
import { startTidings, type TidingsOptions, type TidingsProcess } from '../lib/tidings.js';
import type { ScenarioResult } from './types.js';

export async function withTidings(
  opts: TidingsOptions,
  measure: (tidings: TidingsProcess) => Promise<ScenarioResult>,
): Promise<ScenarioResult> {
  const tidings = await startTidings(opts);
  let result: ScenarioResult;
  try {
    result = await measure(tidings);
  } catch (err) {
    await tidings.stop();
    throw err;
  }
  const profile = await tidings.stop();
  if (profile === null) return result;
  return existsSync(profile)
    ? { ...result, profile }
    : { ...result, profile: null, notes: [...result.notes, `no CPU profile at ${profile}`] };
}
