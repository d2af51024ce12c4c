/**
 * @module pages/experiments
 * A/B tests: the templates that have variants, and for the one chosen (#/experiments/<name>) each
 * variant's sends, deliveries and conversions, its rate with a 95 % interval, and its comparison
 * with the control as GET /v1/experiments/{template} reports it, as a table and a chart. The
 * verdict is withheld until every arm has the minimum sample, as the API does.
 */
import { useState } from 'preact/hooks';
import { api, withQuery } from '../api';
import { ErrorNote } from '../components/error-note';
import { ExperimentTable } from '../components/experiment-table';
import { PageHead } from '../components/page-head';
import { RateChart } from '../components/rate-chart';
import { rateInterval, verdict } from '../experiment-verdict';
import { formatNumber } from '../format';
import { useDebounced, usePolled } from '../hooks';
import { useI18n } from '../i18n';
import { href } from '../router';
import type { Experiment, ExperimentMetric, Template } from '../types';
import { LinkList } from '../components/link-list';

const REFRESH_MS = 10_000;
const LIST_REFRESH_MS = 30_000;
const METRICS: readonly ExperimentMetric[] = ['conversion', 'click', 'delivery'];

export function Experiments({ selected }: { selected: string | null }) {
  const { t } = useI18n();
  // Refreshed on navigation and now and then, so a template given variants elsewhere shows up.
  const templates = usePolled(
    (signal) => api<{ data: Template[] }>('GET', '/v1/templates', undefined, { signal }),
    LIST_REFRESH_MS,
    [selected],
  );
  const withVariants = templates.data?.data.filter((x) => x.variants.length >= 2) ?? null;
  return (
    <>
      <PageHead title={selected ? `${t('nav.experiments')}: ${selected}` : t('nav.experiments')} />
      <ErrorNote error={templates.error} />
      <div class="sidebar-layout">
        <aside class="panel" aria-labelledby="exp-list">
          <h2 id="exp-list">{t('experiments.templates')}</h2>
          <LinkList
            empty={
              <span data-testid="experiments-empty">
                {t('experiments.none')} <a href={href('templates')}>{t('experiments.addVariants')}</a>
              </span>
            }
            items={
              withVariants?.map((x) => ({
                key: x.name,
                href: href('experiments', x.name),
                current: x.name === selected,
                label: <strong>{x.name}</strong>,
                note: t('experiments.variantCount', {
                  n: x.variants.length,
                  names: x.variants.map((v) => v.name).join(', '),
                }),
              })) ?? null
            }
          />
        </aside>
        <div>
          {selected ? (
            <ExperimentView key={selected} template={selected} />
          ) : (
            <p class="muted panel">{t('experiments.pick')}</p>
          )}
        </div>
      </div>
    </>
  );
}

function ExperimentView({ template }: { template: string }) {
  const { t, lang } = useI18n();
  const [metric, setMetric] = useState<ExperimentMetric>('conversion');
  const [minSampleText, setMinSampleText] = useState('');
  // Empty: the API's default control, the template's first variant.
  const [control, setControl] = useState('');
  const minSample = useDebounced(minSampleText.trim(), 400);
  const valid = minSample === '' || /^[1-9]\d{0,7}$/.test(minSample);
  const { data: result, error } = usePolled(
    (signal) =>
      api<Experiment>(
        'GET',
        withQuery(`/v1/experiments/${encodeURIComponent(template)}`, {
          metric,
          control,
          minSample: valid ? minSample : '',
        }),
        undefined,
        { signal },
      ),
    REFRESH_MS,
    [template, metric, control, minSample],
  );

  return (
    <section class="panel stack" aria-labelledby="exp-result">
      <h2 id="exp-result">{t('experiments.results', { template })}</h2>
      <form class="filters" aria-label={t('experiments.options')} onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="exp-metric">{t('experiments.metricLabel')}</label>
          <select id="exp-metric" value={metric} onChange={(e) => setMetric(e.currentTarget.value as ExperimentMetric)}>
            {METRICS.map((m) => (
              <option key={m} value={m}>
                {t(`experiments.metric.${m}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="exp-control">{t('experiments.control')}</label>
          <select id="exp-control" value={control} onChange={(e) => setControl(e.currentTarget.value)}>
            <option value="">{t('experiments.defaultControl')}</option>
            {(result?.variants ?? []).map((v) => (
              <option key={v.variant} value={v.variant}>
                {v.variant}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="exp-min">{t('experiments.minSample')}</label>
          <input
            id="exp-min"
            inputMode="numeric"
            value={minSampleText}
            placeholder={result ? String(result.minSample) : ''}
            aria-invalid={!valid}
            aria-describedby="exp-min-hint"
            onInput={(e) => setMinSampleText(e.currentTarget.value)}
          />
          <span id="exp-min-hint" class={valid ? 'hint' : 'hint hint-error'}>
            {t('experiments.minSampleHint')}
          </span>
        </div>
      </form>
      <ErrorNote error={error} />
      {result ? <ExperimentResult result={result} /> : error ? null : <p class="muted">{t('common.loading')}</p>}
      {result ? (
        <p class="muted small">
          {t('experiments.rangeNote', {
            from: new Date(result.from).toLocaleDateString(lang === 'zh' ? 'zh-CN' : 'en-US'),
            to: new Date(result.to).toLocaleDateString(lang === 'zh' ? 'zh-CN' : 'en-US'),
          })}
        </p>
      ) : null}
    </section>
  );
}

function ExperimentResult({ result }: { result: Experiment }) {
  const { t, lang } = useI18n();
  const v = verdict(result);
  const others = result.variants.length - 1;
  const headline =
    v.kind === 'not_enough_data'
      ? t('experiments.verdict.not_enough_data', { n: formatNumber(result.minSample, lang) })
      : v.kind === 'no_clear_winner'
        ? t('experiments.verdict.no_clear_winner')
        : t(`experiments.verdict.${v.kind}`, { name: v.winner });
  return (
    <>
      <p class="verdict" role="status" data-testid="experiment-verdict">
        <strong>{headline}</strong>
      </p>
      <RateChart
        caption={t('experiments.chartCaption', { metric: t(`experiments.metric.${result.metric}`) })}
        bars={result.variants.map((a) => ({
          label: a.variant,
          rate: a.rate,
          interval: rateInterval(a.successes, a.trials),
          control: a.variant === result.control,
        }))}
      />
      <ExperimentTable result={result} />
      <p class="muted small">
        {t('experiments.method', { control: result.control })}
        {others > 1
          ? ` ${t('experiments.bonferroni', { k: others, alpha: formatNumber(0.05 / others, lang, 4) })}`
          : ''}
      </p>
    </>
  );
}
