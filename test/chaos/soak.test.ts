/**
 * A 20-second smoke of the soak tool (`npm run soak` runs it for 10 minutes): it starts Tidings,
 * holds the seed-style load for three 7-second windows and returns a well-formed report. Its verdict
 * is not asserted: three windows on a shared machine say nothing about growth.
 */
import { describe, expect, it } from 'vitest';
import { leastSquaresSlope, runSoak } from './soak-run.js';

describe('the soak tool', () => {
  it('fits the slope of a line through the windows', () => {
    expect(
      leastSquaresSlope([
        [1, 10],
        [2, 12],
        [3, 14],
      ]),
    ).toBeCloseTo(2);
    expect(leastSquaresSlope([[1, 10]])).toBeNull();
  });

  it('produces a well-formed report from a short run', async () => {
    const report = await runSoak({ minutes: 0.35, users: 20, windowS: 7 });
    expect(report.samples).toHaveLength(3);
    for (const s of report.samples) {
      expect(s.requests).toBeGreaterThan(0);
      expect(s.p99Ms).toBeGreaterThan(0);
      expect(s.rssMb).toBeGreaterThan(10);
      expect(s.heapUsedMb).toBeGreaterThan(1);
      expect(s.eventLoopP99Ms).not.toBeNull();
    }
    expect(report.requests).toBe(report.samples.reduce((n, s) => n + s.requests, 0));
    expect(typeof report.slopes.rssMbPerMin).toBe('number');
    expect(typeof report.slopes.p99MsPerMin).toBe('number');
    expect(report.ok).toBe(report.failures.length === 0);
  }, 60_000);
});
