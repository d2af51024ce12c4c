/**
 * @module components/variant-rows
 * A template's A/B variants: name, weight (with the share of traffic it gives, as the API splits
 * it), an optional send-later delay and an optional body of its own.
 */
import { formatPercent } from '../format';
import { useI18n } from '../i18n';
import { variantShares, type DraftVariant } from '../template-draft';

export function VariantRows({
  variants,
  onChange,
}: {
  variants: DraftVariant[];
  onChange: (rows: DraftVariant[]) => void;
}) {
  const { t, lang } = useI18n();
  const shares = variantShares(variants);
  const set = (i: number, patch: Partial<DraftVariant>) =>
    onChange(variants.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  return (
    <fieldset class="stack">
      <legend>{t('templates.variants')}</legend>
      <p class="hint">{t('templates.variantsHint')}</p>
      {variants.map((v, i) => (
        <div class="variant" key={i}>
          <div class="row-group">
            <div class="field field-narrow">
              <label for={`var-name-${i}`}>{t('templates.variantName')}</label>
              <input id={`var-name-${i}`} value={v.name} onInput={(e) => set(i, { name: e.currentTarget.value })} />
            </div>
            <div class="field field-narrow">
              <label for={`var-weight-${i}`}>{t('templates.weight')}</label>
              <input
                id={`var-weight-${i}`}
                type="number"
                min="0"
                step="any"
                value={v.weight}
                onInput={(e) => set(i, { weight: e.currentTarget.value })}
              />
            </div>
            <div class="field field-narrow">
              <label for={`var-delay-${i}`}>{t('templates.delay')}</label>
              <input
                id={`var-delay-${i}`}
                value={v.delay}
                placeholder="2h"
                onInput={(e) => set(i, { delay: e.currentTarget.value })}
              />
            </div>
            <button
              type="button"
              class="button-danger-quiet"
              onClick={() => onChange(variants.filter((_, j) => j !== i))}
            >
              {t('common.remove')}
              <span class="visually-hidden"> {v.name}</span>
            </button>
          </div>
          <div class="share" aria-hidden="true">
            <span style={{ width: `${Math.round((shares[i] ?? 0) * 100)}%` }} />
          </div>
          <p class="small muted">{t('templates.share', { share: formatPercent(shares[i] ?? 0, lang) })}</p>
          <div class="field">
            <label for={`var-body-${i}`}>{t('templates.variantBody')}</label>
            <textarea
              id={`var-body-${i}`}
              rows={2}
              value={v.body}
              onInput={(e) => set(i, { body: e.currentTarget.value })}
            />
          </div>
        </div>
      ))}
      <button
        type="button"
        class="button-quiet"
        onClick={() =>
          onChange([...variants, { name: `v${variants.length + 1}`, weight: '1', body: '', delay: '', locales: {} }])
        }
      >
        {t('templates.addVariant')}
      </button>
    </fieldset>
  );
}
