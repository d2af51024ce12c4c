/**
 * @module components/failure-table
 * Today's failures by error code, with the reason the provider (or Tidings) gave.
 */
import { formatNumber } from '../format';
import { useI18n } from '../i18n';
import type { FailureCount } from '../overview-stats';
import { TableWrap } from './table-wrap';

export function FailureTable({ failures }: { failures: FailureCount[] }) {
  const { t, lang } = useI18n();
  if (failures.length === 0) return <p class="muted">{t('overview.noFailures')}</p>;
  return (
    <TableWrap label={t('overview.failures')}>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">{t('overview.code')}</th>
            <th scope="col">{t('overview.reason')}</th>
            <th scope="col" class="num">
              {t('overview.count')}
            </th>
          </tr>
        </thead>
        <tbody>
          {failures.map((f) => (
            <tr key={f.code}>
              <td>
                <code>{f.code}</code>
              </td>
              <td>{f.message}</td>
              <td class="num">{formatNumber(f.count, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
