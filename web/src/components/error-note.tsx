/**
 * @module components/error-note
 * An API error in the reader's language: the stable code picks the sentence, the server's own
 * message follows for detail (it names the field or the provider code). Announced when it appears.
 */
import { ApiError } from '../api';
import { hasKey, useI18n } from '../i18n';

export function ErrorNote({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : 'unexpected';
  const key = `error.${code}`;
  const detail = error instanceof Error ? error.message : String(error);
  const headline = hasKey(key) ? t(key) : t('error.generic');
  return (
    <div class="note note-error" role="alert">
      <strong>{headline}</strong>
      {detail && detail !== headline ? <span class="note-detail"> {detail}</span> : null}
    </div>
  );
}
