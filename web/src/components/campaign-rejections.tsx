/**
 * @module components/campaign-rejections
 * The rows a campaign refused (at upload or at sending), in row order, a page at a time. The first
 * page is read again when the refused count moves, so refusals made while sending appear as
 * they happen without losing the reader's place further down.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, withQuery } from '../api';
import type { Rejection } from '../campaigns';
import { ErrorNote } from './error-note';
import { TableWrap } from './table-wrap';
import { hasKey, useI18n } from '../i18n';
import type { Page } from '../types';

const PAGE_SIZE = 50;

export function CampaignRejections({ id, refusedCount }: { id: string; refusedCount: number }) {
  const { t } = useI18n();
  const [rows, setRows] = useState<Rejection[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function load(from: string | null) {
    setBusy(true);
    try {
      const page = await api<Page<Rejection>>(
        'GET',
        withQuery(`/v1/campaigns/${encodeURIComponent(id)}/rejections`, { limit: PAGE_SIZE, cursor: from }),
      );
      setRows((prev) => (from && prev ? [...prev, ...page.data] : page.data));
      setCursor(page.nextCursor);
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  useEffect(() => {
    // Only while the reader has not paged on: a reload would drop the pages already shown.
    if (rows === null || rows.length <= PAGE_SIZE) void load(null);
  }, [id, refusedCount]);

  /** The reason in the reader's language when the code is one the console knows, else the server's. */
  function reasonText(r: Rejection): string {
    const key = `error.${r.code}`;
    return hasKey(key) ? t(key) : r.reason;
  }

  return (
    <section class="panel" aria-labelledby="cmp-rejections">
      <h2 id="cmp-rejections">{t('campaigns.rejections')}</h2>
      <ErrorNote error={error} />
      {rows === null ? (
        <p class="muted">{t('common.loading')}</p>
      ) : rows.length === 0 ? (
        <p class="muted">{t('campaigns.noRejections')}</p>
      ) : (
        <TableWrap label={t('campaigns.rejections')}>
          <table class="data" data-testid="rejections">
            <caption class="visually-hidden">{t('campaigns.rejectionsCaption', { n: rows.length })}</caption>
            <thead>
              <tr>
                <th scope="col" class="num">
                  {t('campaigns.row')}
                </th>
                <th scope="col" class="num">
                  {t('campaigns.line')}
                </th>
                <th scope="col">{t('campaigns.code')}</th>
                <th scope="col">{t('campaigns.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.row}>
                  <td class="num">{r.row}</td>
                  <td class="num">{r.line ?? '—'}</td>
                  <td>
                    <code>{r.code}</code>
                  </td>
                  <td>{reasonText(r)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {cursor ? (
        <button type="button" class="button" disabled={busy} onClick={() => void load(cursor)}>
          {busy ? t('common.loading') : t('common.loadMore')}
        </button>
      ) : null}
    </section>
  );
}
