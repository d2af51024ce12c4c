/**
 * @module app/experiment-results
 * An A/B test of a template's variants (copy, or send time: a variant's delay), read from the
 * rollups. Each variant is compared with the control (the template's first variant, or the one
 * asked for) on one metric:
 *   conversion  messages with a conversion / messages sent   (the default)
 *   click       messages with a tracked-link click / messages sent
 *   delivery    delivered / messages with a known outcome
 * with a two-proportion z-test (two-sided p-value, pooled standard error) and a 95 % interval of
 * the difference (unpooled), see core/proportion-test. Below the minimum sample in either arm, no
 * verdict is given: the normal approximation is poor there, and early peeks mislead. Comparing
 * several variants with one control makes one false "significant" more likely than 5 %: with k
 * variants, read p against 0.05 / k (Bonferroni).
 */
import { TidingsError } from '../core/errors.js';
import { compareProportions, type Comparison } from '../core/proportion-test.js';
import { EMPTY_ROLLUP_COUNTS, type AnalyticsStore, type RollupCounts } from '../ports/analytics-store.js';
import type { TemplateCatalog } from './template-catalog.js';

export const EXPERIMENT_METRICS = ['conversion', 'click', 'delivery'] as const;
export type ExperimentMetric = (typeof EXPERIMENT_METRICS)[number];

export interface ExperimentQuery {
  from: number;
  to: number;
  metric: ExperimentMetric;
  control?: string;
  /** Trials each arm needs before a verdict. */
  minSample: number;
}

export type ArmStatus = 'control' | 'not_enough_data' | 'significant' | 'not_significant';

export interface ArmResult {
  variant: string;
  /** From the template's current version; null for a variant it no longer has. */
  weight: number | null;
  delaySeconds: number | null;
  sent: number;
  delivered: number;
  conversions: number;
  converted: number;
  clicked: number;
  /** Trials and successes of the metric, and their ratio. */
  trials: number;
  successes: number;
  rate: number | null;
  comparison: (Comparison & { significant: boolean }) | null;
  status: ArmStatus;
}

export interface ExperimentResult {
  template: string;
  metric: ExperimentMetric;
  control: string;
  minSample: number;
  /** `not_enough_data` until every arm has `minSample` trials. */
  status: 'ready' | 'not_enough_data';
  variants: ArmResult[];
}

function trialsOf(metric: ExperimentMetric, c: RollupCounts): { n: number; x: number } {
  if (metric === 'delivery') return { n: c.delivered + c.undelivered + c.failed, x: c.delivered };
  return { n: c.sent, x: metric === 'click' ? c.clicked : c.converted };
}

export async function experimentResults(
  deps: { analytics: AnalyticsStore; templates: TemplateCatalog },
  template: string,
  q: ExperimentQuery,
): Promise<ExperimentResult> {
  const ready = await deps.templates.current(template);
  const totals = await deps.analytics.rollups({ from: q.from, to: q.to, by: 'variant', where: { template } });
  const counts = new Map<string, RollupCounts>();
  for (const t of totals) {
    const name = String(t.group ?? '');
    if (name === '') continue;
    const c = counts.get(name);
    if (!c) counts.set(name, { ...t.counts });
    else for (const k of Object.keys(c) as (keyof RollupCounts)[]) c[k] += t.counts[k];
  }
  const defined = ready?.def.variants ?? [];
  if (!ready && counts.size === 0) throw new TidingsError('not_found', `No template or messages named "${template}".`);
  // The template's own order first (its first variant is the control), then variants it dropped.
  const names = [
    ...defined.map((v) => v.name),
    ...[...counts.keys()].filter((n) => !defined.some((v) => v.name === n)).sort(),
  ];
  if (names.length === 0) throw new TidingsError('not_found', `Template "${template}" has no variants.`);
  const control = q.control ?? (names[0] as string);
  if (!names.includes(control)) throw new TidingsError('validation_failed', `No variant "${control}".`, 'control');

  const arm = (name: string) => {
    const c = counts.get(name) ?? EMPTY_ROLLUP_COUNTS;
    const { n, x } = trialsOf(q.metric, c);
    return { c, n, x };
  };
  const base = arm(control);
  let enough = true;
  const variants = names.map((name): ArmResult => {
    const { c, n, x } = arm(name);
    const def = defined.find((v) => v.name === name);
    const armEnough = n >= q.minSample && base.n >= q.minSample;
    if (n < q.minSample) enough = false;
    const comparison = name === control || !armEnough ? null : compareProportions({ n: base.n, x: base.x }, { n, x });
    return {
      variant: name,
      weight: def?.weight ?? null,
      delaySeconds: def ? def.delayMs / 1000 : null,
      sent: c.sent,
      delivered: c.delivered,
      conversions: c.conversions,
      converted: c.converted,
      clicked: c.clicked,
      trials: n,
      successes: x,
      rate: n > 0 ? x / n : null,
      comparison: comparison ? { ...comparison, significant: comparison.pValue < 0.05 } : null,
      status:
        name === control
          ? 'control'
          : !armEnough
            ? 'not_enough_data'
            : comparison && comparison.pValue < 0.05
              ? 'significant'
              : 'not_significant',
    };
  });
  return {
    template,
    metric: q.metric,
    control,
    minSample: q.minSample,
    status: enough ? 'ready' : 'not_enough_data',
    variants,
  };
}
