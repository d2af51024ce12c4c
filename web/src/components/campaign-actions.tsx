/**
 * @module components/campaign-actions
 * Start, pause, resume and cancel, each shown only when the campaign's status allows it (the
 * server's own lifecycle, see campaigns.ts). Cancel asks once more, as every destructive action in
 * the console does; the others are undone by their opposite and go straight through.
 */
import { useState } from 'preact/hooks';
import { api } from '../api';
import { allowedActions, type Campaign, type CampaignAction } from '../campaigns';
import { ConfirmButton } from './confirm-button';
import { ErrorNote } from './error-note';
import { useI18n } from '../i18n';

export function CampaignActions({ campaign, onChanged }: { campaign: Campaign; onChanged: () => Promise<void> }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function act(action: CampaignAction) {
    setBusy(true);
    setError(null);
    try {
      await api('POST', `/v1/campaigns/${encodeURIComponent(campaign.id)}/${action}`);
      await onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const actions = allowedActions(campaign.status);
  if (actions.length === 0) return null;
  return (
    <div class="stack">
      <div class="actions" role="group" aria-label={t('common.actions')}>
        {actions.map((a) =>
          a === 'cancel' ? (
            <ConfirmButton
              key={a}
              label={t('campaigns.cancel')}
              confirmLabel={t('campaigns.cancelConfirm')}
              onConfirm={() => act('cancel')}
            />
          ) : (
            <button
              key={a}
              type="button"
              class={a === 'pause' ? 'button' : 'button-primary'}
              disabled={busy}
              onClick={() => void act(a)}
            >
              {t(`campaigns.${a}`)}
            </button>
          ),
        )}
      </div>
      <ErrorNote error={error} />
    </div>
  );
}
