import { describe, expect, it } from 'vitest';
import { armVerdict, rateInterval, verdict } from './experiment-verdict';
import type { Experiment, ExperimentArm } from './types';

function arm(variant: string, over: Partial<ExperimentArm> = {}): ExperimentArm {
  return {
    variant,
    weight: 1,
    delaySeconds: null,
    sent: 200,
    delivered: 200,
    conversions: 20,
    converted: 20,
    clicked: 0,
    trials: 200,
    successes: 20,
    rate: 0.1,
    comparison: null,
    status: 'not_significant',
    ...over,
  };
}

function result(variants: ExperimentArm[], status: Experiment['status'] = 'ready'): Experiment {
  return { template: 't', metric: 'conversion', control: 'a', minSample: 100, status, from: '', to: '', variants };
}

const cmp = (difference: number, significant: boolean) => ({
  difference,
  ci95: [difference - 0.05, difference + 0.05],
  z: 0,
  pValue: significant ? 0.01 : 0.5,
  significant,
});

describe('rateInterval', () => {
  it('matches the Wilson interval of a published example (81 of 263: 0.2553 to 0.3662)', () => {
    // Wilson (1927) as tabulated by Newcombe (1998), example (a): 81/263.
    const [lo, hi] = rateInterval(81, 263)!;
    expect(lo).toBeCloseTo(0.2553, 4);
    expect(hi).toBeCloseTo(0.3662, 4);
  });

  it('stays inside 0..1 and keeps a width at 0 % and 100 %', () => {
    const [lo0, hi0] = rateInterval(0, 10)!;
    expect(lo0).toBeCloseTo(0, 12);
    expect(hi0).toBeCloseTo(0.2775, 4);
    const [lo1, hi1] = rateInterval(10, 10)!;
    expect(hi1).toBeCloseTo(1, 12);
    expect(lo1).toBeCloseTo(0.7225, 4);
  });

  it('has no interval without trials', () => {
    expect(rateInterval(0, 0)).toBeNull();
  });
});

describe('verdict', () => {
  it('waits while any arm lacks its sample', () => {
    expect(verdict(result([arm('a', { status: 'control' }), arm('b')], 'not_enough_data'))).toEqual({
      kind: 'not_enough_data',
    });
  });

  it('names the best significantly better variant', () => {
    const r = result([
      arm('a', { status: 'control' }),
      arm('b', { rate: 0.15, comparison: cmp(0.05, true), status: 'significant' }),
      arm('c', { rate: 0.2, comparison: cmp(0.1, true), status: 'significant' }),
      arm('d', { rate: 0.3, comparison: cmp(0.2, false) }),
    ]);
    expect(verdict(r)).toEqual({ kind: 'variant_wins', winner: 'c' });
  });

  it('gives it to the control only when every variant is significantly worse', () => {
    const worse = arm('b', { rate: 0.05, comparison: cmp(-0.05, true), status: 'significant' });
    expect(verdict(result([arm('a', { status: 'control' }), worse]))).toEqual({ kind: 'control_wins', winner: 'a' });
    const unclear = arm('c', { comparison: cmp(-0.01, false) });
    expect(verdict(result([arm('a', { status: 'control' }), worse, unclear]))).toEqual({ kind: 'no_clear_winner' });
  });
});

describe('armVerdict', () => {
  it('reads the API status and the sign of the difference', () => {
    expect(armVerdict(arm('a', { status: 'control' }))).toBe('control');
    expect(armVerdict(arm('b', { status: 'not_enough_data' }))).toBe('not_enough_data');
    expect(armVerdict(arm('b', { comparison: cmp(0.03, false) }))).toBe('no_difference');
    expect(armVerdict(arm('b', { comparison: cmp(0.03, true), status: 'significant' }))).toBe('better');
    expect(armVerdict(arm('b', { comparison: cmp(-0.03, true), status: 'significant' }))).toBe('worse');
  });
});
