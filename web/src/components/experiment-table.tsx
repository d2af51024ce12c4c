/**
 * @module components/experiment-table
 * An experiment's numbers, one row per variant: its counts, its rate on the chosen metric with a
 * 95 % interval, and against the control the difference (with the API's 95 % interval), the
 * p-value and the verdict. Below the minimum sample the comparison columns stay empty, as the API
 * gives no verdict there.
 */
import { armVerdict, rateInterval } from '../experiment-verdict';
import { formatNumber, formatPercent } from '../format';
import { useI18n, type Lang } from '../i18n';
import type { Experiment } from '../types';
import { StatusBadge } from './status-badge';
import { TableWrap } from './table-wrap';

/** Three decimals, and "< 0.001" below that: a p-value of 0 would claim certainty. */
function formatPValue(p: number, lang: Lang): string {
  return p < 0.001 ? `< ${formatNumber(0.001, lang, 3)}` : formatNumber(p, lang, 3);
}

const SUCCESS_COLUMN = { conversion: 'converted', click: 'clicked', delivery: 'delivered' } as const;

export function ExperimentTable({ result }: { result: Experiment }) {
  const { t, lang } = useI18n();
  const pct = (v: number) => formatPercent(v, lang);
  const signedPct = (v: number) => `${v > 0 ? '+' : v < 0 ? '−' : ''}${pct(Math.abs(v))}`;
  const range = (r: readonly number[]) => t('experiments.range', { lo: pct(r[0] ?? 0), hi: pct(r[1] ?? 0) });
  const success = SUCCESS_COLUMN[result.metric];
  return (
    <TableWrap label={t('experiments.tableLabel', { template: result.template })}>
      <table class="data" data-testid="experiment-table">
        <thead>
          <tr>
            <th scope="col">{t('experiments.variant')}</th>
            <th scope="col" class="num">
              {t('experiments.weight')}
            </th>
            <th scope="col" class="num">
              {t('experiments.sent')}
            </th>
            <th scope="col" class="num">
              {t('experiments.delivered')}
            </th>
            <th scope="col" class="num">
              {t(`experiments.${success === 'delivered' ? 'converted' : success}`)}
            </th>
            <th scope="col" class="num">
              {t(`experiments.metric.${result.metric}`)}
            </th>
            <th scope="col" class="num">
              {t('experiments.difference')}
            </th>
            <th scope="col" class="num">
              {t('experiments.pValue')}
            </th>
            <th scope="col">{t('experiments.verdict')}</th>
          </tr>
        </thead>
        <tbody>
          {result.variants.map((v) => {
            const interval = rateInterval(v.successes, v.trials);
            return (
              <tr key={v.variant} data-variant={v.variant}>
                <th scope="row">
                  {v.variant}
                  {v.delaySeconds ? (
                    <span class="muted small">
                      {' '}
                      {t('experiments.delay', { n: formatNumber(v.delaySeconds, lang) })}
                    </span>
                  ) : null}
                </th>
                <td class="num">{v.weight === null ? '—' : formatNumber(v.weight, lang)}</td>
                <td class="num" data-col="sent">
                  {formatNumber(v.sent, lang)}
                </td>
                <td class="num">{formatNumber(v.delivered, lang)}</td>
                <td class="num" data-col="successes">
                  {formatNumber(success === 'delivered' ? v.converted : v[success], lang)}
                </td>
                <td class="num" data-col="rate">
                  {formatPercent(v.rate, lang)}
                  {interval ? <span class="muted small block">{range(interval)}</span> : null}
                </td>
                <td class="num">
                  {v.comparison ? (
                    <>
                      {signedPct(v.comparison.difference)}
                      <span class="muted small block">{range(v.comparison.ci95)}</span>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td class="num">{v.comparison ? formatPValue(v.comparison.pValue, lang) : '—'}</td>
                <td>
                  <StatusBadge status={armVerdict(v)} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}
