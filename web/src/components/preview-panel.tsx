/**
 * @module components/preview-panel
 * What the recipient's phone would show, and what it costs: characters, encoding, segments, the
 * characters that force UCS-2, what smart encoding would save, a banned term, the estimated price.
 * The figures are a polite live region, so a screen reader hears them change while the text is typed.
 */
import type { TextPreview } from '../types';
import { formatMoney, formatNumber } from '../format';
import { useI18n } from '../i18n';
import { ErrorNote } from './error-note';

export function PreviewPanel(props: { preview: TextPreview | null; error: unknown; busy: boolean }) {
  const { t, lang } = useI18n();
  const p = props.preview;
  return (
    <section class="panel preview" aria-labelledby="preview-heading" aria-busy={props.busy}>
      <h2 id="preview-heading">{t('preview.title')}</h2>
      {props.error ? <ErrorNote error={props.error} /> : null}
      {p ? (
        <>
          <div class="phone">
            <p class="bubble" data-testid="preview-text">
              {p.text || <span class="muted">{t('preview.empty')}</span>}
            </p>
          </div>
          <dl class="facts" aria-live="polite">
            <div>
              <dt>{t('preview.characters')}</dt>
              <dd data-testid="preview-characters">{formatNumber(p.characters, lang)}</dd>
            </div>
            <div>
              <dt>{t('preview.encoding')}</dt>
              <dd data-testid="preview-encoding">{p.encoding}</dd>
            </div>
            <div>
              <dt>{t('preview.segments')}</dt>
              <dd data-testid="preview-segments">{formatNumber(p.segments, lang)}</dd>
            </div>
            <div>
              <dt>{t('preview.cost')}</dt>
              <dd data-testid="preview-cost">
                {p.cost ? `${formatMoney(p.cost, lang)} (${p.cost.provider})` : t('preview.noPrice')}
              </dd>
            </div>
          </dl>
          {p.ucs2Characters.length > 0 ? (
            <p class="note note-warn">
              {t('preview.ucs2', { chars: p.ucs2Characters.map((c) => `“${c}”`).join(' ') })}
            </p>
          ) : null}
          {p.smartEncoding && p.smartEncoding.segmentsSaved > 0 ? (
            <p class="note">{t('preview.smart', { n: p.smartEncoding.segmentsSaved })}</p>
          ) : null}
          {p.bannedTerm ? <p class="note note-error">{t('preview.banned', { term: p.bannedTerm })}</p> : null}
          {p.characters > 1600 ? <p class="note note-error">{t('preview.tooLong')}</p> : null}
          {p.sampled && p.sampled.length > 0 ? (
            <p class="note">{t('preview.sampled', { names: p.sampled.join(', ') })}</p>
          ) : null}
          {p.variant || (p.locale && p.locale !== 'default') ? (
            <p class="muted small">
              {p.variant ? t('preview.variant', { name: p.variant }) : null}{' '}
              {p.locale && p.locale !== 'default' ? t('preview.locale', { name: p.locale }) : null}
            </p>
          ) : null}
        </>
      ) : props.error ? null : (
        <p class="muted">{props.busy ? t('common.loading') : t('preview.waiting')}</p>
      )}
    </section>
  );
}
