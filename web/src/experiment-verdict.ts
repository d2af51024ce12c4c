/**
 * @module experiment-verdict
 * What the experiments page says about a result from /v1/experiments/{template}. The API judges
 * each variant against the control; this turns those judgements into one headline (which arm
 * wins, if any) and gives each arm's own rate a 95 % interval, which the API leaves out (it
 * reports the interval of the difference). Pure, so the arithmetic is tested apart from the page.
 */
import type { Experiment, ExperimentArm } from './types';

/** The z with Φ(z) = 0.975. */
const Z_95 = 1.959963984540054;

/**
 * The Wilson score interval of `successes / trials` at 95 %. Unlike the plain Wald interval it
 * stays inside [0, 1] and does not collapse to a point at 0 % or 100 %, which small arms often show.
 */
export function rateInterval(successes: number, trials: number): [number, number] | null {
  if (trials <= 0) return null;
  const p = successes / trials;
  const z2 = Z_95 * Z_95;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (Z_95 * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / (1 + z2 / trials);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export type Verdict =
  | { kind: 'not_enough_data' }
  | { kind: 'variant_wins'; winner: string }
  | { kind: 'control_wins'; winner: string }
  | { kind: 'no_clear_winner' };

export function verdict(result: Experiment): Verdict {
  if (result.status !== 'ready') return { kind: 'not_enough_data' };
  const others = result.variants.filter((v) => v.status !== 'control');
  const better = others
    .filter((v) => v.comparison?.significant && v.comparison.difference > 0)
    .sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0));
  const best = better[0];
  if (best) return { kind: 'variant_wins', winner: best.variant };
  // The control wins only when every other arm is significantly worse than it.
  const allWorse = others.length > 0 && others.every((v) => v.comparison?.significant && v.comparison.difference < 0);
  return allWorse ? { kind: 'control_wins', winner: result.control } : { kind: 'no_clear_winner' };
}

export type ArmVerdict = 'control' | 'not_enough_data' | 'better' | 'worse' | 'no_difference';

/** One arm against the control, as a reader asks it: better, worse, or no clear difference. */
export function armVerdict(arm: ExperimentArm): ArmVerdict {
  if (arm.status === 'control' || arm.status === 'not_enough_data') return arm.status;
  if (!arm.comparison?.significant) return 'no_difference';
  return arm.comparison.difference > 0 ? 'better' : 'worse';
}
