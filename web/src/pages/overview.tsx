/**
 * @module pages/overview
 * The operator's first look, refreshed every few seconds: today's messages, delivery rate, spend
 * and time to delivery, the rate this hour, traffic per hour, failures by code, the queue, and
 * each provider's health and day. Totals come from the analytics API's hourly rollups, so they
 * are exact however busy the day (see overview-load).
 */
import { BarChart } from '../components/bar-chart';
import { ErrorNote } from '../components/error-note';
import { FailureTable } from '../components/failure-table';
import { PageHead } from '../components/page-head';
import { ProviderHealthTable } from '../components/provider-health-table';
import { Tile } from '../components/tile';
import { formatClock, formatMoney, formatNumber, formatPercent } from '../format';
import { usePolled } from '../hooks';
import { useI18n } from '../i18n';
import { FAILURE_SAMPLE, loadOverview } from '../overview-load';
import { costList, failuresByCode, hourlyTraffic, perMinuteThisHour, startOfDay } from '../overview-stats';

const REFRESH_MS = 5_000;

const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

export function Overview() {
  const { t, lang } = useI18n();
  const { data: snap, error } = usePolled(
    (signal) => {
      const now = Date.now();
      return loadOverview(now, startOfDay(now), signal);
    },
    REFRESH_MS,
    [],
  );

  return (
    <>
      <PageHead title={t('nav.overview')}>
        <p class="muted small" aria-live="off">
          {snap ? t('overview.updated', { time: formatClock(snap.at, lang) }) : t('common.loading')}
        </p>
      </PageHead>
      <ErrorNote error={error} />
      {snap ? <OverviewBody snap={snap} /> : null}
    </>
  );
}

function OverviewBody({ snap }: { snap: Awaited<ReturnType<typeof loadOverview>> }) {
  const { t, lang } = useI18n();
  const today = snap.today;
  const finished = today.delivered + today.undelivered + today.failed;
  const cost = costList(today.cost);
  const hours = hourlyTraffic(snap.byHour.rows);
  const currentHour = new Date(snap.at).getHours();
  const shownHours = hours.slice(0, currentHour + 1);
  const peak = shownHours.reduce((best, h) => (h.count > best.count ? h : best), { hour: 0, count: 0 });
  return (
    <>
      <div class="tiles">
        <Tile
          label={t('overview.messagesToday')}
          value={formatNumber(today.accepted, lang)}
          note={t('overview.sentOf', { n: formatNumber(today.sent, lang) })}
          testId="tile-messages"
        />
        <Tile
          label={t('overview.deliveryRate')}
          value={formatPercent(today.deliveryRate, lang)}
          note={t('overview.deliveredOf', {
            n: formatNumber(today.delivered, lang),
            m: formatNumber(finished, lang),
          })}
          testId="tile-delivery"
        />
        <Tile
          label={t('overview.costToday')}
          value={
            cost.length === 0
              ? formatMoney({ amount: 0, currency: 'USD' }, lang)
              : cost.map((c) => formatMoney(c, lang)).join(' + ')
          }
          note={t('overview.costNote')}
        />
        <Tile
          label={t('overview.queueDepth')}
          value={snap.queueDepth === null ? '—' : formatNumber(snap.queueDepth, lang)}
          note={t('overview.queueNote')}
        />
        <Tile
          label={t('overview.perMinute')}
          value={formatNumber(perMinuteThisHour(snap.byHour.rows, snap.at, currentHour), lang, 1)}
          note={t('overview.thisHour')}
        />
        <Tile
          label={t('overview.medianDelivery')}
          value={
            today.medianDeliverySeconds === null
              ? '—'
              : t('overview.seconds', { n: formatNumber(today.medianDeliverySeconds, lang, 1) })
          }
          note={
            today.p95DeliverySeconds === null
              ? t('overview.noDeliveries')
              : t('overview.p95Seconds', { n: formatNumber(today.p95DeliverySeconds, lang, 1) })
          }
        />
      </div>

      <section aria-labelledby="traffic-heading" class="panel">
        <h2 id="traffic-heading">{t('overview.traffic')}</h2>
        <BarChart
          title={t('overview.traffic')}
          labelHeading={t('overview.hour')}
          valueLabel={t('overview.messages')}
          summary={t('overview.trafficSummary', {
            n: formatNumber(today.accepted, lang),
            peak: formatNumber(peak.count, lang),
            hour: hourLabel(peak.hour),
          })}
          bars={shownHours.map((h) => ({ label: hourLabel(h.hour), value: h.count }))}
        />
      </section>

      <div class="columns">
        <section aria-labelledby="failures-heading" class="panel">
          <h2 id="failures-heading">{t('overview.failures')}</h2>
          <p class="muted small">
            {t('overview.failedToday', {
              failed: formatNumber(today.failed, lang),
              undelivered: formatNumber(today.undelivered, lang),
            })}
            {snap.failuresTruncated ? ` ${t('overview.failureSample', { n: FAILURE_SAMPLE })}` : ''}
          </p>
          <FailureTable failures={failuresByCode(snap.failures)} />
        </section>

        <section aria-labelledby="health-heading" class="panel">
          <h2 id="health-heading">{t('overview.health')}</h2>
          <ProviderHealthTable providers={snap.providers} today={snap.byProvider.rows} />
        </section>
      </div>
    </>
  );
}
