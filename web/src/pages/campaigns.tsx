/**
 * @module pages/campaigns
 * Every campaign, newest first, with its status, progress, current rate and ETA, refreshed every
 * two seconds while any is still going or none exists yet (slowly once all are finished). The list keeps the pages
 * the reader has loaded and refreshes them all, so a running campaign further down moves too.
 */
import { useState } from 'preact/hooks';
import { api, withQuery } from '../api';
import { FINISHED_CAMPAIGN, formatDuration, type Campaign } from '../campaigns';
import { CampaignProgress } from '../components/campaign-progress';
import { ErrorNote } from '../components/error-note';
import { StatusBadge } from '../components/status-badge';
import { TableWrap } from '../components/table-wrap';
import { formatNumber, formatTime } from '../format';
import { usePoll } from '../hooks';
import { useI18n, type Lang, type Translate } from '../i18n';
import { href } from '../router';
import type { Page } from '../types';

const PAGE_SIZE = 25;

export function Campaigns() {
  const { t, lang } = useI18n();
  const [rows, setRows] = useState<Campaign[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [pages, setPages] = useState(1);
  const [error, setError] = useState<unknown>(null);
  const [updatedAt, setUpdatedAt] = useState<string | null>(null);
  // An empty list is watched closely too: the first campaign, made by the API or the CLI, shows at once.
  const live = rows === null || rows.length === 0 || rows.some((c) => !FINISHED_CAMPAIGN.has(c.status));

  /** Reads the first `count` pages again, in order. */
  async function load(count: number, signal?: AbortSignal) {
    try {
      let all: Campaign[] = [];
      let next: string | null = null;
      for (let i = 0; i < count; i++) {
        const page: Page<Campaign> = await api<Page<Campaign>>(
          'GET',
          withQuery('/v1/campaigns', { limit: PAGE_SIZE, cursor: next }),
          undefined,
          signal ? { signal } : {},
        );
        all = [...all, ...page.data];
        next = page.nextCursor;
        if (!next) break;
      }
      setRows(all);
      setCursor(next);
      setError(null);
      setUpdatedAt(new Date().toISOString());
    } catch (err) {
      if (!signal?.aborted) setError(err);
    }
  }

  usePoll((signal) => load(pages, signal), live ? 2_000 : 10_000, [pages, live]);

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>{t('nav.campaigns')}</h1>
        {updatedAt ? <p class="muted small">{t('campaigns.updated', { time: formatTime(updatedAt, lang) })}</p> : null}
      </div>
      <ErrorNote error={error} />
      {rows === null ? (
        error ? null : (
          <p class="muted">{t('common.loading')}</p>
        )
      ) : rows.length === 0 ? (
        <div class="panel" role="status">
          <p>{t('campaigns.none')}</p>
          <p class="muted small">{t('campaigns.noneHint')}</p>
        </div>
      ) : (
        <TableWrap label={t('nav.campaigns')}>
          <table class="data campaigns-table">
            <caption class="visually-hidden">{t('campaigns.caption', { n: rows.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('campaigns.name')}</th>
                <th scope="col">{t('campaigns.status')}</th>
                <th scope="col">{t('campaigns.progress')}</th>
                <th scope="col" class="num">
                  {t('campaigns.rate')}
                </th>
                <th scope="col">{t('campaigns.eta')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id} data-campaign-id={c.id}>
                  <td>
                    <a href={href('campaigns', c.id)}>{c.name}</a>
                    <div class="muted small">{c.template}</div>
                  </td>
                  <td>
                    <StatusBadge status={c.status} />
                  </td>
                  <td class="campaign-progress-cell">
                    <CampaignProgress campaign={c} />
                  </td>
                  <td class="num nowrap">{rateText(c, t, lang)}</td>
                  <td class="nowrap">{etaText(c, t, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {cursor ? (
        <button type="button" class="button" onClick={() => setPages(pages + 1)}>
          {t('common.loadMore')}
        </button>
      ) : null}
    </>
  );
}

/** "4.8 / 5 per second": what it does now against what was asked. */
export function rateText(c: Campaign, t: Translate, lang: Lang): string {
  const asked = formatNumber(c.rate, lang, 2);
  if (c.status !== 'running' || c.progress.currentRate === null) return t('campaigns.rateAsked', { asked });
  return t('campaigns.rateNow', { now: formatNumber(c.progress.currentRate, lang, 1), asked });
}

export function etaText(c: Campaign, t: Translate, lang: Lang): string {
  if (c.status === 'completed')
    return c.finishedAt ? t('campaigns.finished', { time: formatTime(c.finishedAt, lang) }) : '—';
  if (c.status !== 'running' && c.status !== 'scheduled') return '—';
  const left = formatDuration(c.progress.etaSeconds, {
    h: t('campaigns.unitH'),
    min: t('campaigns.unitMin'),
    s: t('campaigns.unitS'),
  });
  return left ? t('campaigns.etaIn', { left }) : '—';
}
