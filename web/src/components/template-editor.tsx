/**
 * @module components/template-editor
 * Edit a template with its preview beside it. The preview renders the unsaved draft through the
 * API (POST /v1/preview), so what it shows is what Tidings would send: variables without sample
 * data show as [name]. Saving makes a new version; any earlier version can be loaded back.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import { useDebounced } from '../hooks';
import { useI18n } from '../i18n';
import { navigate } from '../router';
import { EMPTY_DRAFT, draftOf, templateInput, type TemplateDraft } from '../template-draft';
import type { Template, TextPreview } from '../types';
import { ConfirmButton } from './confirm-button';
import { ErrorNote } from './error-note';
import { LocaleRows } from './locale-rows';
import { PreviewPanel } from './preview-panel';
import { VariantRows } from './variant-rows';
import { VersionHistory } from './version-history';

export function TemplateEditor({ name, onSaved }: { name: string; onSaved: () => void }) {
  const { t } = useI18n();
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
  const variables = preview?.variables ?? current?.variables ?? [];

  async function save(e: Event) {
    e.preventDefault();
    if (!draft) return;
    setSaving(true);
    setSaveError(null);
    try {
      const tpl = await api<Template>('PUT', `/v1/templates/${encodeURIComponent(name)}`, templateInput(draft));
      // Reload first, then say "saved": the reload replaces the draft, and an edit made after the
      // message appeared would otherwise be lost.
      await load();
      setSaved(tpl.version);
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

        <LocaleRows locales={draft.locales} onChange={(locales) => update({ locales })} />

        <VariantRows variants={draft.variants} onChange={(variants) => update({ variants })} />

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
        <VersionHistory
          versions={versions}
          current={current?.version ?? null}
          onLoad={(v) => {
            setDraft(draftOf(v));
            setSaved(null);
          }}
        />
      </div>
    </div>
  );
}
