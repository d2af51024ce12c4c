import { describe, expect, it } from 'vitest';
import { compareProportions, erfc, normalCdf } from './proportion-test.js';

describe('normal CDF', () => {
  it('matches the standard normal table', () => {
    // Values from any printed z table (to 4 decimals), and erfc(1) to 15 digits.
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1)).toBeCloseTo(0.8413, 4);
    expect(normalCdf(1.12)).toBeCloseTo(0.8686, 4);
    expect(normalCdf(0.91)).toBeCloseTo(0.8186, 4);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 12);
    expect(normalCdf(-2.5758293035489)).toBeCloseTo(0.005, 12);
    expect(normalCdf(-6)).toBeCloseTo(9.865876450377e-10, 18);
    expect(erfc(1)).toBeCloseTo(0.157299207050285, 14);
    expect(erfc(0.3)).toBeCloseTo(0.671373240540873, 14);
    expect(erfc(5)).toBeCloseTo(1.53745979442803e-12, 24);
  });
});

describe('two-proportion z-test against published worked examples', () => {
  it('Fulton 281/473 vs Gwinnett 214/443: z = 3.3683', () => {
    // straightdraw.github.io/probstat (z-proportion test), cross-checked there with R's prop.test(correct = FALSE).
    // The page works with proportions rounded to 4 places, so its z agrees to 2 decimals (3.3690 unrounded).
    const r = compareProportions({ n: 443, x: 214 }, { n: 473, x: 281 })!;
    expect(r.z).toBeCloseTo(3.3683, 2);
    expect(r.pValue).toBeLessThan(0.001);
  });

  it('New York 168/300 vs Washington 96/200: z = 1.755, two-tailed p = 0.0792', () => {
    const r = compareProportions({ n: 200, x: 96 }, { n: 300, x: 168 })!;
    expect(r.z).toBeCloseTo(1.755, 3);
    expect(r.pValue).toBeCloseTo(0.0792, 4);
  });

  it('140/200 vs 255/340: pooled 0.7314815, standard error 0.03949401, z = -1.266015', () => {
    const r = compareProportions({ n: 340, x: 255 }, { n: 200, x: 140 })!;
    expect(r.z).toBeCloseTo(-1.266015, 6);
    expect(r.difference).toBeCloseTo(0.7 - 0.75, 12);
    expect(r.difference / r.z).toBeCloseTo(0.03949401, 8); // the pooled standard error
  });

  it('gives the Wald 95 % interval of the difference', () => {
    // 0.60 of 1000 vs 0.55 of 1000: se = sqrt(.6·.4/1000 + .55·.45/1000) = 0.022136, ±1.96 se.
    const r = compareProportions({ n: 1000, x: 550 }, { n: 1000, x: 600 })!;
    const se = Math.sqrt((0.6 * 0.4) / 1000 + (0.55 * 0.45) / 1000);
    expect(r.ci95[0]).toBeCloseTo(0.05 - 1.959964 * se, 6);
    expect(r.ci95[1]).toBeCloseTo(0.05 + 1.959964 * se, 6);
    expect(r.pValue).toBeLessThan(0.05);
  });

  it('says nothing without trials, and "no difference" without spread', () => {
    expect(compareProportions({ n: 0, x: 0 }, { n: 10, x: 1 })).toBeNull();
    const same = compareProportions({ n: 100, x: 0 }, { n: 100, x: 0 })!;
    expect(same.z).toBe(0);
    expect(same.pValue).toBe(1);
  });
});
