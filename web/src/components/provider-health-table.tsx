/**
 * @module components/provider-health-table
 * Each provider's health now (circuit, recent error rate, latency) beside its day so far (sends and
 * delivery rate from the analytics rollups), so a provider that looks healthy but stopped
 * delivering stands out.
 */
import { formatMs, formatNumber, formatPercent } from '../format';
import { useI18n } from '../i18n';
import { href } from '../router';
import type { ProviderView, ReportRow } from '../types';
import { StatusBadge } from './status-badge';
import { TableWrap } from './table-wrap';

export function ProviderHealthTable({ providers, today }: { providers: ProviderView[]; today: ReportRow[] }) {
  const { t, lang } = useI18n();
  const day = new Map(today.map((r) => [r.key, r]));
  return (
    <TableWrap label={t('overview.health')}>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">{t('providers.provider')}</th>
            <th scope="col">{t('providers.state')}</th>
            <th scope="col" class="num">
              {t('providers.errorRate')}
            </th>
            <th scope="col" class="num">
              {t('providers.p95')}
            </th>
            <th scope="col" class="num">
              {t('overview.sentToday')}
            </th>
            <th scope="col" class="num">
              {t('overview.deliveredToday')}
            </th>
          </tr>
        </thead>
        <tbody>
          {providers.map((p) => {
            const row = day.get(p.id);
            return (
              <tr key={p.id} data-provider={p.id}>
                <td>
                  <a href={href('providers')}>{p.id}</a>
                </td>
                <td>
                  <StatusBadge status={p.state} />
                </td>
                <td class="num">{formatPercent(p.errorRate, lang)}</td>
                <td class="num">{formatMs(p.latencyP95Ms, lang)}</td>
                <td class="num">{formatNumber(row?.sent ?? 0, lang)}</td>
                <td class="num">{formatPercent(row?.deliveryRate ?? null, lang)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}
