/**
 * @module components/status-badge
 * A status as a word with a colour and a shape cue; the word carries the meaning, so it reads the
 * same without colour.
 */
import { hasKey, useI18n } from '../i18n';

const TONE: Record<string, string> = {
  delivered: 'good',
  sent: 'info',
  sending: 'info',
  queued: 'neutral',
  scheduled: 'neutral',
  pending: 'neutral',
  undelivered: 'bad',
  failed: 'bad',
  canceled: 'neutral',
  closed: 'good',
  half_open: 'warn',
  open: 'bad',
  isolated: 'bad',
  control: 'neutral',
  not_enough_data: 'neutral',
  no_difference: 'neutral',
  better: 'good',
  worse: 'bad',
  // Campaigns (British "cancelled", as the campaigns API spells it; messages say "canceled").
  draft: 'neutral',
  running: 'info',
  paused: 'warn',
  completed: 'good',
  cancelled: 'neutral',
};

export function StatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const key = `status.${status}`;
  return (
    <span class={`badge badge-${TONE[status] ?? 'neutral'}`} data-status={status}>
      {hasKey(key) ? t(key) : status}
    </span>
  );
}
