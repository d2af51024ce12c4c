/**
 * @module components/locale-rows
 * A template's bodies in other languages, one row each (BCP 47 tag and body), added and removed
 * in place. Rows with an empty tag or body are left out when the template is saved.
 */
import { useI18n } from '../i18n';

export type LocaleRow = { tag: string; body: string };

export function LocaleRows({ locales, onChange }: { locales: LocaleRow[]; onChange: (rows: LocaleRow[]) => void }) {
  const { t } = useI18n();
  const set = (i: number, patch: Partial<LocaleRow>) =>
    onChange(locales.map((row, j) => (j === i ? { ...row, ...patch } : row)));
  return (
    <fieldset class="stack">
      <legend>{t('templates.locales')}</legend>
      {locales.map((l, i) => (
        <div class="row-group" key={i}>
          <div class="field field-narrow">
            <label for={`loc-tag-${i}`}>{t('templates.localeTag')}</label>
            <input
              id={`loc-tag-${i}`}
              value={l.tag}
              placeholder="zh-CN"
              onInput={(e) => set(i, { tag: e.currentTarget.value })}
            />
          </div>
          <div class="field field-grow">
            <label for={`loc-body-${i}`}>{t('templates.localeBody')}</label>
            <textarea
              id={`loc-body-${i}`}
              rows={2}
              value={l.body}
              onInput={(e) => set(i, { body: e.currentTarget.value })}
            />
          </div>
          <button type="button" class="button-danger-quiet" onClick={() => onChange(locales.filter((_, j) => j !== i))}>
            {t('common.remove')}
            <span class="visually-hidden"> {l.tag}</span>
          </button>
        </div>
      ))}
      <button type="button" class="button-quiet" onClick={() => onChange([...locales, { tag: '', body: '' }])}>
        {t('templates.addLocale')}
      </button>
    </fieldset>
  );
}
