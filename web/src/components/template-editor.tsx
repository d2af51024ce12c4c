/**
 * @module components/template-editor
 * Edit a template with its preview beside it. The preview renders the unsaved draft through the
 * API (POST /v1/preview), so what it shows is what Tidings would send: variables without sample
 * data show as [name]. Saving makes a new version; any earlier version can be loaded back.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import { formatPercent, formatTime } from '../format';
import { useDebounced } from '../hooks';
import { useI18n } from '../i18n';
import { navigate } from '../router';
import { EMPTY_DRAFT, draftOf, templateInput, variantShares, type TemplateDraft } from '../template-draft';
import type { Template, TextPreview } from '../types';
import { ConfirmButton } from './confirm-button';
import { ErrorNote } from './error-note';
import { PreviewPanel } from './preview-panel';

export function TemplateEditor({ name, onSaved }: { name: string; onSaved: () => void }) {
  const { t, lang } = useI18n();
  const [draft, setDraft] = useState<TemplateDraft | null>(null);
  const [current, setCurrent] = useState<Template | null>(null);
  const [versions, setVersions] = useState<Template[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [data, setData] = useState<Record<string, string>>({});
  const [previewLocale, setPreviewLocale] = useState('');
  const [previewVariant, setPreviewVariant] = useState('');
  const [preview, setPreview] = useState<TextPreview | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const [previewBusy, setPreviewBusy] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);

  async function load() {
    try {
      const tpl = await api<Template>('GET', `/v1/templates/${encodeURIComponent(name)}`);
      const history = await api<{ data: Template[] }>('GET', `/v1/templates/${encodeURIComponent(name)}/versions`);
      setCurrent(tpl);
      setVersions(history.data);
      setDraft(draftOf(tpl));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'not_found') {
        setCurrent(null);
        setVersions([]);
        setDraft({ ...EMPTY_DRAFT });
      } else {
        setLoadError(err);
      }
    }
  }

  useEffect(() => {
    void load();
  }, [name]);

  const request = useDebounced(
    draft ? JSON.stringify({ input: templateInput(draft), data, previewLocale, previewVariant }) : '',
    300,
  );
  useEffect(() => {
    if (!request) return;
    const r = JSON.parse(request) as {
      input: { body: string };
      data: Record<string, string>;
      previewLocale: string;
      previewVariant: string;
    };
    if (!r.input.body) {
      setPreview(null);
      setPreviewError(null);
      return;
    }
    const abort = new AbortController();
    setPreviewBusy(true);
    api<TextPreview>(
      'POST',
      '/v1/preview',
      {
        template: r.input,
        data: Object.fromEntries(Object.entries(r.data).filter(([, v]) => v !== '')),
        sampleMissing: true,
        ...(r.previewLocale ? { locale: r.previewLocale } : {}),
        ...(r.previewVariant ? { variant: r.previewVariant } : {}),
      },
      { signal: abort.signal },
    )
      .then((p) => {
        setPreview(p);
        setPreviewError(null);
      })
      .catch((err: unknown) => {
        if (!abort.signal.aborted) setPreviewError(err);
      })
      .finally(() => {
        if (!abort.signal.aborted) setPreviewBusy(false);
      });
    return () => abort.abort();
  }, [request]);

  if (loadError) return <ErrorNote error={loadError} />;
  if (!draft) return <p class="muted">{t('common.loading')}</p>;

  const update = (patch: Partial<TemplateDraft>) => {
    setDraft({ ...draft, ...patch });
    setSaved(null);
  };
  const shares = variantShares(draft.variants);
  const variables = preview?.variables ?? current?.variables ?? [];

  async function save(e: Event) {
    e.preventDefault();
    if (!draft) return;
    setSaving(true);
    setSaveError(null);
    try {
      const tpl = await api<Template>('PUT', `/v1/templates/${encodeURIComponent(name)}`, templateInput(draft));
      setSaved(tpl.version);
      await load();
      onSaved();
    } catch (err) {
      setSaveError(err);
    } finally {
      setSaving(false);
    }
  }

  return (
    <div class="columns">
      <form class="panel stack" onSubmit={save} aria-labelledby="tpl-edit">
        <h2 id="tpl-edit">
          {current ? t('templates.editing', { name, version: current.version }) : t('templates.new', { name })}
        </h2>
        <div class="field">
          <label for="tpl-body">{t('templates.body')}</label>
          <textarea
            id="tpl-body"
            rows={5}
            required
            value={draft.body}
            onInput={(e) => update({ body: e.currentTarget.value })}
            aria-describedby="tpl-body-hint"
          />
          <span id="tpl-body-hint" class="hint">
            {t('templates.bodyHint')}
          </span>
        </div>

        <fieldset class="stack">
          <legend>{t('templates.locales')}</legend>
          {draft.locales.map((l, i) => (
            <div class="row-group" key={i}>
              <div class="field field-narrow">
                <label for={`loc-tag-${i}`}>{t('templates.localeTag')}</label>
                <input
                  id={`loc-tag-${i}`}
                  value={l.tag}
                  placeholder="zh-CN"
                  onInput={(e) =>
                    update({
                      locales: draft.locales.map((x, j) => (j === i ? { ...x, tag: e.currentTarget.value } : x)),
                    })
                  }
                />
              </div>
              <div class="field field-grow">
                <label for={`loc-body-${i}`}>{t('templates.localeBody')}</label>
                <textarea
                  id={`loc-body-${i}`}
                  rows={2}
                  value={l.body}
                  onInput={(e) =>
                    update({
                      locales: draft.locales.map((x, j) => (j === i ? { ...x, body: e.currentTarget.value } : x)),
                    })
                  }
                />
              </div>
              <button
                type="button"
                class="button-danger-quiet"
                onClick={() => update({ locales: draft.locales.filter((_, j) => j !== i) })}
              >
                {t('common.remove')}
                <span class="visually-hidden"> {l.tag}</span>
              </button>
            </div>
          ))}
          <button
            type="button"
            class="button-quiet"
            onClick={() => update({ locales: [...draft.locales, { tag: '', body: '' }] })}
          >
            {t('templates.addLocale')}
          </button>
        </fieldset>

        <fieldset class="stack">
          <legend>{t('templates.variants')}</legend>
          <p class="hint">{t('templates.variantsHint')}</p>
          {draft.variants.map((v, i) => {
            const set = (patch: Partial<(typeof draft.variants)[number]>) =>
              update({ variants: draft.variants.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
            return (
              <div class="variant" key={i}>
                <div class="row-group">
                  <div class="field field-narrow">
                    <label for={`var-name-${i}`}>{t('templates.variantName')}</label>
                    <input id={`var-name-${i}`} value={v.name} onInput={(e) => set({ name: e.currentTarget.value })} />
                  </div>
                  <div class="field field-narrow">
                    <label for={`var-weight-${i}`}>{t('templates.weight')}</label>
                    <input
                      id={`var-weight-${i}`}
                      type="number"
                      min="0"
                      step="any"
                      value={v.weight}
                      onInput={(e) => set({ weight: e.currentTarget.value })}
                    />
                  </div>
                  <div class="field field-narrow">
                    <label for={`var-delay-${i}`}>{t('templates.delay')}</label>
                    <input
                      id={`var-delay-${i}`}
                      value={v.delay}
                      placeholder="2h"
                      onInput={(e) => set({ delay: e.currentTarget.value })}
                    />
                  </div>
                  <button
                    type="button"
                    class="button-danger-quiet"
                    onClick={() => update({ variants: draft.variants.filter((_, j) => j !== i) })}
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
                    onInput={(e) => set({ body: e.currentTarget.value })}
                  />
                </div>
              </div>
            );
          })}
          <button
            type="button"
            class="button-quiet"
            onClick={() =>
              update({
                variants: [
                  ...draft.variants,
                  { name: `v${draft.variants.length + 1}`, weight: '1', body: '', delay: '', locales: {} },
                ],
              })
            }
          >
            {t('templates.addVariant')}
          </button>
        </fieldset>

        <div class="row-group">
          <div class="field field-grow">
            <label for="tpl-desc">{t('templates.description')}</label>
            <input
              id="tpl-desc"
              value={draft.description}
              onInput={(e) => update({ description: e.currentTarget.value })}
            />
          </div>
          <div class="field field-narrow">
            <label for="tpl-purpose">{t('templates.purpose')}</label>
            <select id="tpl-purpose" value={draft.purpose} onChange={(e) => update({ purpose: e.currentTarget.value })}>
              <option value="">{t('templates.purposeNone')}</option>
              <option value="transactional">{t('purpose.transactional')}</option>
              <option value="otp">{t('purpose.otp')}</option>
              <option value="marketing">{t('purpose.marketing')}</option>
            </select>
          </div>
        </div>
        {Object.keys(draft.replies).length > 0 || Object.keys(draft.providerTemplates).length > 0 ? (
          <p class="hint">
            {t('templates.kept', {
              replies: Object.keys(draft.replies).join(', ') || '—',
              providers: Object.keys(draft.providerTemplates).join(', ') || '—',
            })}
          </p>
        ) : null}

        <ErrorNote error={saveError} />
        {saved !== null ? (
          <p class="note note-good" role="status">
            {t('templates.saved', { version: saved })}
          </p>
        ) : null}
        <div class="actions">
          <button type="submit" class="button-primary" disabled={saving}>
            {saving ? t('common.saving') : t('templates.save')}
          </button>
          {current ? (
            <ConfirmButton
              label={t('templates.retire')}
              confirmLabel={t('templates.retireConfirm')}
              onConfirm={async () => {
                try {
                  await api('DELETE', `/v1/templates/${encodeURIComponent(name)}`);
                  onSaved();
                  navigate('templates');
                } catch (err) {
                  setSaveError(err);
                }
              }}
            />
          ) : null}
        </div>
      </form>

      <div class="stack">
        <section class="panel stack" aria-labelledby="tpl-sample">
          <h2 id="tpl-sample">{t('templates.sampleData')}</h2>
          {variables.length === 0 ? <p class="muted small">{t('templates.noVariables')}</p> : null}
          {variables.map((v) => (
            <div class="field" key={v}>
              <label for={`sample-${v}`}>{v}</label>
              <input
                id={`sample-${v}`}
                value={data[v] ?? ''}
                onInput={(e) => setData({ ...data, [v]: e.currentTarget.value })}
              />
            </div>
          ))}
          <div class="row-group">
            {draft.locales.length > 0 ? (
              <div class="field field-narrow">
                <label for="pv-locale">{t('send.locale')}</label>
                <select id="pv-locale" value={previewLocale} onChange={(e) => setPreviewLocale(e.currentTarget.value)}>
                  <option value="">{t('send.defaultLocale')}</option>
                  {draft.locales
                    .filter((l) => l.tag.trim())
                    .map((l) => (
                      <option key={l.tag} value={l.tag.trim()}>
                        {l.tag}
                      </option>
                    ))}
                </select>
              </div>
            ) : null}
            {draft.variants.length > 0 ? (
              <div class="field field-narrow">
                <label for="pv-variant">{t('templates.previewVariant')}</label>
                <select
                  id="pv-variant"
                  value={previewVariant}
                  onChange={(e) => setPreviewVariant(e.currentTarget.value)}
                >
                  <option value="">{t('templates.anyVariant')}</option>
                  {draft.variants.map((v) => (
                    <option key={v.name} value={v.name}>
                      {v.name}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
          </div>
        </section>
        <PreviewPanel preview={preview} error={previewError} busy={previewBusy} />
        <section class="panel" aria-labelledby="tpl-history">
          <h2 id="tpl-history">{t('templates.history')}</h2>
          {versions.length === 0 ? (
            <p class="muted">{t('templates.noHistory')}</p>
          ) : (
            <ol class="history">
              {versions.map((v) => (
                <li key={v.version}>
                  <div>
                    <strong>v{v.version}</strong> <span class="muted small">{formatTime(v.createdAt, lang)}</span>
                    {current?.version === v.version ? (
                      <span class="badge badge-info">{t('templates.current')}</span>
                    ) : null}
                  </div>
                  <p class="small history-body">{v.body}</p>
                  <button
                    type="button"
                    class="button-quiet"
                    onClick={() => {
                      setDraft(draftOf(v));
                      setSaved(null);
                    }}
                  >
                    {t('templates.loadVersion', { version: v.version })}
                  </button>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </div>
  );
}
