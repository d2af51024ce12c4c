/**
 * @module pages/campaign-detail
 * One campaign: progress, where its rows stand, what became of its messages, its pace and window,
 * the actions its status allows, and the rows it refused. Refreshes every second while it is
 * unfinished, then slowly, since its messages go on being delivered after the last row is sent.
 */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { FINISHED_CAMPAIGN, type Campaign } from '../campaigns';
import { CampaignActions } from '../components/campaign-actions';
import { CampaignProgress } from '../components/campaign-progress';
import { CampaignRejections } from '../components/campaign-rejections';
import { ErrorNote } from '../components/error-note';
import { StatusBadge } from '../components/status-badge';
import { formatNumber, formatTime } from '../format';
import { usePoll } from '../hooks';
import { hasKey, useI18n } from '../i18n';
import { href } from '../router';
import { etaText, rateText } from './campaigns';

const RECIPIENT_COUNTS = ['total', 'pending', 'accepted', 'refused', 'cancelled', 'duplicates', 'invalid'] as const;

export function CampaignDetail({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const [loaded, setLoaded] = useState<Campaign | null>(null);
  // The page stays mounted when the hash moves to another campaign: never show the last one's figures.
  const campaign = loaded?.id === id ? loaded : null;
  const [error, setError] = useState<unknown>(null);
  const finished = campaign !== null && FINISHED_CAMPAIGN.has(campaign.status);

  async function load(signal?: AbortSignal) {
    try {
      const c = await api<Campaign>(
        'GET',
        `/v1/campaigns/${encodeURIComponent(id)}`,
        undefined,
        signal ? { signal } : {},
      );
      setLoaded(c);
      setError(null);
    } catch (err) {
      if (signal?.aborted) return;
      setError(err);
      if (err instanceof ApiError && err.status === 404) setLoaded(null);
    }
  }

  usePoll(load, finished ? 5_000 : 1_000, [id, finished]);

  const messages = Object.entries(campaign?.messages ?? {}).filter(([, n]) => n > 0);
  return (
    <>
      <p class="breadcrumb">
        <a href={href('campaigns')}>← {t('nav.campaigns')}</a>
      </p>
      <div class="page-head">
        <h1 tabIndex={-1}>{campaign ? campaign.name : t('campaigns.title')}</h1>
        {campaign ? (
          <span role="status" data-testid="campaign-status">
            <StatusBadge status={campaign.status} />
          </span>
        ) : null}
      </div>
      <ErrorNote error={error} />
      {campaign === null ? (
        error ? null : (
          <p class="muted">{t('common.loading')}</p>
        )
      ) : (
        <>
          <section class="panel" aria-labelledby="cmp-progress">
            <h2 id="cmp-progress">{t('campaigns.progress')}</h2>
            <CampaignProgress campaign={campaign} />
            <dl class="facts facts-wide">
              <Fact label={t('campaigns.rate')} value={rateText(campaign, t, lang)} />
              <Fact label={t('campaigns.eta')} value={etaText(campaign, t, lang)} />
              <Fact label={t('campaigns.template')} value={campaign.template} />
              <Fact
                label={t('campaigns.window')}
                value={windowText(campaign, t('campaigns.anyTime'), t('campaigns.ownZone'))}
              />
              <Fact
                label={t('campaigns.startAt')}
                value={campaign.startAt ? formatTime(campaign.startAt, lang) : '—'}
              />
              <Fact label={t('campaigns.created')} value={formatTime(campaign.createdAt, lang)} />
              <Fact label={t('campaigns.started')} value={formatTime(campaign.startedAt, lang)} />
              <Fact label={t('campaigns.finishedAt')} value={formatTime(campaign.finishedAt, lang)} />
            </dl>
            <CampaignActions campaign={campaign} onChanged={() => load()} />
          </section>
          <div class="columns">
            <section class="panel" aria-labelledby="cmp-rows">
              <h2 id="cmp-rows">{t('campaigns.rows')}</h2>
              <dl class="facts" data-testid="recipient-counts">
                {RECIPIENT_COUNTS.map((k) => (
                  <Fact key={k} label={t(`campaigns.count.${k}`)} value={formatNumber(campaign.recipients[k], lang)} />
                ))}
              </dl>
            </section>
            <section class="panel" aria-labelledby="cmp-messages">
              <h2 id="cmp-messages">{t('campaigns.messages')}</h2>
              {messages.length === 0 ? (
                <p class="muted">{t('campaigns.noMessages')}</p>
              ) : (
                <dl class="facts" data-testid="message-counts">
                  {messages.map(([status, n]) => {
                    const key = `status.${status}`;
                    return <Fact key={status} label={hasKey(key) ? t(key) : status} value={formatNumber(n, lang)} />;
                  })}
                </dl>
              )}
            </section>
          </div>
          <CampaignRejections
            id={id}
            refusedCount={campaign.recipients.refused + campaign.recipients.invalid + campaign.recipients.duplicates}
          />
        </>
      )}
    </>
  );
}

function windowText(c: Campaign, anyTime: string, ownZone: string): string {
  if (!c.window) return anyTime;
  return `${c.window.start}–${c.window.end} ${c.window.timezone ?? ownZone}`;
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
