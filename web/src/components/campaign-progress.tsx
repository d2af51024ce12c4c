/**
 * @module components/campaign-progress
 * How far a campaign has come: a bar for the eye, and the same fact as words ("3 of 8 rows") for
 * everyone, so the bar is a progressbar with a name and a value text, never colour alone.
 */
import { campaignProgress, type Campaign } from '../campaigns';
import { formatNumber, formatPercent } from '../format';
import { useI18n } from '../i18n';

export function CampaignProgress({ campaign }: { campaign: Pick<Campaign, 'name' | 'status' | 'recipients'> }) {
  const { t, lang } = useI18n();
  const p = campaignProgress(campaign);
  const words = t('campaigns.doneOf', { n: formatNumber(p.done, lang), m: formatNumber(p.total, lang) });
  const percent = Math.round(p.ratio * 1000) / 10;
  return (
    <div class="campaign-progress">
      <div
        class="campaign-bar"
        role="progressbar"
        aria-label={t('campaigns.progressOf', { name: campaign.name })}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${formatPercent(p.ratio, lang)}, ${words}`}
      >
        {/* SVG geometry, not an inline style: the console's CSP allows no inline styles. */}
        <svg viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true" focusable="false">
          <rect class={`campaign-bar-fill campaign-bar-${campaign.status}`} width={percent} height={1} />
        </svg>
      </div>
      <span class="small campaign-progress-words" data-testid="campaign-done">
        {words} · {formatPercent(p.ratio, lang)}
      </span>
    </div>
  );
}
