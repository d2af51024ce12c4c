/**
 * @module components/confirm-button
 * A destructive action asks once more in place (no modal dialog to trap focus): the button turns
 * into "Confirm" and "Keep", and focus moves to the confirmation.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n';

export function ConfirmButton(props: { label: string; confirmLabel: string; onConfirm: () => Promise<void> | void }) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" class="button-danger-quiet" onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  }
  return (
    <span class="confirm">
      <button
        ref={confirmRef}
        type="button"
        class="button-danger"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await props.onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {props.confirmLabel}
      </button>
      <button type="button" class="button-quiet" onClick={() => setAsking(false)}>
        {t('common.keep')}
      </button>
    </span>
  );
}
