/**
 * @module core/proportion-test
 * Is variant B's rate really different from control A's, or is it noise? The classic answer for
 * two counts of successes out of trials: the two-proportion z-test (pooled standard error under
 * "no difference") for the p-value, and a Wald interval (unpooled standard error) for the range of
 * plausible differences. Both lean on the normal approximation, which is why results below a
 * minimum sample are withheld rather than shown (see app/experiment-results).
 */

/** Φ(z): the standard normal CDF, from erfc (W. J. Cody's rational approximations, |error| < 1e-14). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** The z with Φ(z) = 0.975, for two-sided 95 % intervals. */
export const Z_95 = 1.959963984540054;

export interface Arm {
  /** Trials: messages sent (or with a known outcome, for delivery). */
  n: number;
  /** Successes: messages that converted (or were delivered). */
  x: number;
}

export interface Comparison {
  /** Variant rate minus control rate. */
  difference: number;
  /** 95 % interval of the difference (unpooled standard error). */
  ci95: [number, number];
  /** The pooled z statistic (variant minus control). */
  z: number;
  /** Two-sided p-value of "no difference". */
  pValue: number;
}

/** Compares `variant` with `control`; null when either arm has no trials. */
export function compareProportions(control: Arm, variant: Arm): Comparison | null {
  if (control.n <= 0 || variant.n <= 0) return null;
  const p1 = control.x / control.n;
  const p2 = variant.x / variant.n;
  const difference = p2 - p1;
  const pooled = (control.x + variant.x) / (control.n + variant.n);
  const pooledSe = Math.sqrt(pooled * (1 - pooled) * (1 / control.n + 1 / variant.n));
  // Both arms all successes or all failures: no spread at all, so no evidence of a difference.
  const z = pooledSe === 0 ? 0 : difference / pooledSe;
  const se = Math.sqrt((p1 * (1 - p1)) / control.n + (p2 * (1 - p2)) / variant.n);
  return {
    difference,
    ci95: [difference - Z_95 * se, difference + Z_95 * se],
    z,
    pValue: Math.min(1, 2 * normalCdf(-Math.abs(z))),
  };
}

// erfc after W. J. Cody, "Rational Chebyshev approximations for the error function" (1969), as
// used by most numerical libraries; three ranges of |x|.
const A = [3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315];
const B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
const C = [
  0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769, 1712.0476126340707,
  2051.0783778260716, 1230.339354797997, 2.1531153547440383e-8,
];
const D = [
  15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334842, 4362.619090143247,
  3439.3676741437216, 1230.3393548037495,
];
const P = [
  0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275, 0.0006587491615298367,
  0.016315387137302097,
];
const Q = [2.5685201922898684, 1.8729528499234604, 0.5279051029514221, 0.06051834131244132, 0.0023352049762686918];
const SQRPI = 0.5641895835477563;

function at(xs: readonly number[], i: number): number {
  return xs[i] as number;
}

export function erfc(x: number): number {
  const y = Math.abs(x);
  let result: number;
  if (y <= 0.46875) {
    const ysq = y > 1.11e-16 ? y * y : 0;
    let num = at(A, 4) * ysq;
    let den = ysq;
    for (let i = 0; i < 3; i++) {
      num = (num + at(A, i)) * ysq;
      den = (den + at(B, i)) * ysq;
    }
    const erf = (x * (num + at(A, 3))) / (den + at(B, 3));
    return 1 - erf;
  }
  if (y <= 4) {
    let num = at(C, 8) * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + at(C, i)) * y;
      den = (den + at(D, i)) * y;
    }
    result = (num + at(C, 7)) / (den + at(D, 7));
  } else {
    if (y >= 26.6) return x > 0 ? 0 : 2;
    const ysq = 1 / (y * y);
    let num = at(P, 5) * ysq;
    let den = ysq;
    for (let i = 0; i < 4; i++) {
      num = (num + at(P, i)) * ysq;
      den = (den + at(Q, i)) * ysq;
    }
    result = (ysq * (num + at(P, 4))) / (den + at(Q, 4));
    result = (SQRPI - result) / y;
  }
  // exp(-y²) split in two, so the product keeps its precision far into the tail.
  const ysq = Math.trunc(y * 16) / 16;
  const del = (y - ysq) * (y + ysq);
  result = Math.exp(-ysq * ysq) * Math.exp(-del) * result;
  return x < 0 ? 2 - result : result;
}
