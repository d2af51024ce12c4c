/**
 * @module pages/overview
 * The operator's first look: traffic per minute, today's delivery rate, failures by provider code,
 * today's spend, the queue, and each provider's health, refreshed every few seconds. Built from
 * the API that exists (the message list, /v1/providers, /metrics); the day's figures come from at
 * most the newest MAX_MESSAGES messages, and the page says so when it had to stop there.
 */
import { useState } from 'preact/hooks';
import { api, fetchText, withQuery } from '../api';
import { BarChart } from '../components/bar-chart';
import { ErrorNote } from '../components/error-note';
import { StatusBadge } from '../components/status-badge';
import { TableWrap } from '../components/table-wrap';
import { formatClock, formatMoney, formatMs, formatNumber, formatPercent } from '../format';
import { usePoll } from '../hooks';
import { useI18n } from '../i18n';
import { overviewStats, startOfDay, type OverviewStats } from '../overview-stats';
import { parseMetrics, total } from '../prometheus';
import { href } from '../router';
import type { Message, Page, ProviderView } from '../types';

const REFRESH_MS = 5_000;
const WINDOW_MINUTES = 60;
const PAGE_SIZE = 500;
const MAX_MESSAGES = 2_000;

interface Snapshot {
  stats: OverviewStats;
  queueDepth: number | null;
  providers: ProviderView[];
  at: number;
}

async function loadMessages(since: number, signal: AbortSignal): Promise<{ messages: Message[]; truncated: boolean }> {
  const messages: Message[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<Message> = await api(
      'GET',
      withQuery('/v1/messages', { since: new Date(since).toISOString(), limit: PAGE_SIZE, cursor }),
      undefined,
      { signal },
    );
    messages.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor && messages.length < MAX_MESSAGES);
  return { messages, truncated: cursor !== null };
}

async function loadQueueDepth(signal: AbortSignal): Promise<number | null> {
  try {
    const samples = parseMetrics(await fetchText('/metrics', signal));
    return samples.some((s) => s.name === 'tidings_queue_depth') ? total(samples, 'tidings_queue_depth') : null;
  } catch {
    return null;
  }
}

export function Overview() {
  const { t, lang } = useI18n();
  const [snap, setSnap] = useState<Snapshot | null>(null);
  const [error, setError] = useState<unknown>(null);

  usePoll(
    async (signal) => {
      const now = Date.now();
      const dayStart = startOfDay(now);
      const since = Math.min(dayStart, now - WINDOW_MINUTES * 60_000);
      try {
        const [list, queueDepth, providers] = await Promise.all([
          loadMessages(since, signal),
          loadQueueDepth(signal),
          api<{ data: ProviderView[] }>('GET', '/v1/providers', undefined, { signal }),
        ]);
        const stats = overviewStats(list.messages, {
          now,
          dayStart,
          minutes: WINDOW_MINUTES,
          truncated: list.truncated,
        });
        setSnap({ stats, queueDepth, providers: providers.data, at: now });
        setError(null);
      } catch (err) {
        if (!signal.aborted) setError(err);
      }
    },
    REFRESH_MS,
    [],
  );

  const s = snap?.stats;
  const finished = s ? s.today.delivered + s.today.undelivered + s.today.failed : 0;
  const lastMinutes = s ? s.perMinute.slice(-5).reduce((n, p) => n + p.count, 0) / 5 : 0;
  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>{t('nav.overview')}</h1>
        <p class="muted small" aria-live="off">
          {snap ? t('overview.updated', { time: formatClock(snap.at, lang) }) : t('common.loading')}
        </p>
      </div>
      <ErrorNote error={error} />
      {s && snap ? (
        <>
          {s.truncated ? <p class="note">{t('overview.truncated', { n: formatNumber(MAX_MESSAGES, lang) })}</p> : null}
          <div class="tiles">
            <Tile label={t('overview.messagesToday')} value={formatNumber(s.today.messages, lang)} />
            <Tile
              label={t('overview.deliveryRate')}
              value={formatPercent(s.deliveryRate, lang)}
              note={t('overview.deliveredOf', {
                n: formatNumber(s.today.delivered, lang),
                m: formatNumber(finished, lang),
              })}
            />
            <Tile
              label={t('overview.costToday')}
              value={
                s.costToday.length === 0
                  ? formatMoney({ amount: 0, currency: 'USD' }, lang)
                  : s.costToday.map((c) => formatMoney(c, lang)).join(' + ')
              }
              note={t('overview.costNote')}
            />
            <Tile
              label={t('overview.queueDepth')}
              value={snap.queueDepth === null ? '—' : formatNumber(snap.queueDepth, lang)}
              note={t('overview.pendingToday', { n: formatNumber(s.today.pending, lang) })}
            />
            <Tile
              label={t('overview.perMinute')}
              value={formatNumber(lastMinutes, lang, 1)}
              note={t('overview.last5')}
            />
          </div>

          <section aria-labelledby="traffic-heading" class="panel">
            <h2 id="traffic-heading">{t('overview.traffic')}</h2>
            <BarChart
              title={t('overview.traffic')}
              valueLabel={t('overview.messages')}
              summary={t('overview.trafficSummary', {
                n: formatNumber(
                  s.perMinute.reduce((n, p) => n + p.count, 0),
                  lang,
                ),
                minutes: WINDOW_MINUTES,
                peak: Math.max(0, ...s.perMinute.map((p) => p.count)),
              })}
              bars={s.perMinute.map((p) => ({ label: formatClock(p.start, lang), value: p.count }))}
            />
          </section>

          <div class="columns">
            <section aria-labelledby="failures-heading" class="panel">
              <h2 id="failures-heading">{t('overview.failures')}</h2>
              {s.failuresByCode.length === 0 ? (
                <p class="muted">{t('overview.noFailures')}</p>
              ) : (
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
                      {s.failuresByCode.map((f) => (
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
              )}
            </section>

            <section aria-labelledby="health-heading" class="panel">
              <h2 id="health-heading">{t('overview.health')}</h2>
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
                    </tr>
                  </thead>
                  <tbody>
                    {snap.providers.map((p) => (
                      <tr key={p.id}>
                        <td>
                          <a href={href('providers')}>{p.id}</a>
                        </td>
                        <td>
                          <StatusBadge status={p.state} />
                        </td>
                        <td class="num">{formatPercent(p.errorRate, lang)}</td>
                        <td class="num">{formatMs(p.latencyP95Ms, lang)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            </section>
          </div>
        </>
      ) : null}
    </>
  );
}

function Tile(props: { label: string; value: string; note?: string }) {
  return (
    <div class="tile">
      <p class="tile-label">{props.label}</p>
      <p class="tile-value">{props.value}</p>
      {props.note ? <p class="tile-note">{props.note}</p> : null}
    </div>
  );
}
