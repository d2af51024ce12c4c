/**
 * @module pages/send
 * Send a test: write a message or pick a template and fill its variables, watch the preview
 * (the API's own rendering: encoding, segments, cost) as you type, then send it and follow it on
 * its timeline. Each form state carries one Idempotency-Key, so a double click sends once.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorNote } from '../components/error-note';
import { PreviewPanel } from '../components/preview-panel';
import { useDebounced } from '../hooks';
import { useI18n } from '../i18n';
import { href } from '../router';
import type { Message, Template, TextPreview } from '../types';
import { PageHead } from '../components/page-head';

type Mode = 'text' | 'template';

/** Price the preview for the number only once it looks like one; a half-typed number is not an error. */
const looksLikeNumber = (to: string) => /^\+[1-9]\d{6,14}$/.test(to.replace(/[\s()-]/g, ''));

const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

export function Send() {
  const { t } = useI18n();
  const [mode, setMode] = useState<Mode>('text');
  const [to, setTo] = useState('');
  const [reference, setReference] = useState('');
  const [body, setBody] = useState('');
  const [templates, setTemplates] = useState<Template[]>([]);
  const [templateName, setTemplateName] = useState('');
  const [data, setData] = useState<Record<string, string>>({});
  const [locale, setLocale] = useState('');
  const [preview, setPreview] = useState<TextPreview | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const [previewBusy, setPreviewBusy] = useState(false);
  const [sent, setSent] = useState<Message | null>(null);
  const [sendError, setSendError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const [idempotencyKey, setIdempotencyKey] = useState(newKey);

  useEffect(() => {
    api<{ data: Template[] }>('GET', '/v1/templates')
      .then((r) => setTemplates(r.data))
      .catch(() => setTemplates([]));
  }, []);

  const template = templates.find((x) => x.name === templateName) ?? null;
  const request = useDebounced(
    JSON.stringify({ mode, body, templateName, data, locale, to: looksLikeNumber(to) ? to.trim() : undefined }),
    250,
  );

  useEffect(() => {
    const r = JSON.parse(request) as {
      mode: Mode;
      body: string;
      templateName: string;
      data: Record<string, string>;
      locale: string;
      to?: string;
    };
    if ((r.mode === 'text' && r.body === '') || (r.mode === 'template' && !r.templateName)) {
      setPreview(null);
      setPreviewError(null);
      return;
    }
    const abort = new AbortController();
    setPreviewBusy(true);
    const call =
      r.mode === 'text'
        ? api<TextPreview>(
            'POST',
            '/v1/preview',
            { text: r.body, ...(r.to ? { to: r.to } : {}) },
            { signal: abort.signal },
          )
        : api<TextPreview>(
            'POST',
            `/v1/templates/${encodeURIComponent(r.templateName)}/preview`,
            { data: r.data, ...(r.locale ? { locale: r.locale } : {}), ...(r.to ? { to: r.to } : {}) },
            { signal: abort.signal },
          );
    call
      .then((p) => {
        setPreview(p);
        setPreviewError(null);
      })
      .catch((err: unknown) => {
        if (abort.signal.aborted) return;
        setPreview(null);
        setPreviewError(err);
      })
      .finally(() => {
        if (!abort.signal.aborted) setPreviewBusy(false);
      });
    return () => abort.abort();
  }, [request]);

  // Any change makes a new request: it gets a new idempotency key.
  useEffect(() => setIdempotencyKey(newKey()), [mode, to, reference, body, templateName, data, locale]);

  async function send(e: Event) {
    e.preventDefault();
    setSending(true);
    setSendError(null);
    setSent(null);
    try {
      const payload =
        mode === 'text'
          ? { to: to.trim(), body }
          : { to: to.trim(), template: templateName, data, ...(locale ? { locale } : {}) };
      const msg = await api<Message>(
        'POST',
        '/v1/messages',
        { ...payload, ...(reference.trim() ? { reference: reference.trim() } : {}) },
        { headers: { 'idempotency-key': idempotencyKey } },
      );
      setSent(msg);
    } catch (err) {
      setSendError(err);
    } finally {
      setSending(false);
    }
  }

  return (
    <>
      <PageHead title={t('nav.send')} />
      <div class="columns">
        <form class="panel stack" onSubmit={send}>
          <fieldset class="segmented">
            <legend>{t('send.mode')}</legend>
            <label>
              <input type="radio" name="mode" checked={mode === 'text'} onChange={() => setMode('text')} />
              {t('send.modeText')}
            </label>
            <label>
              <input type="radio" name="mode" checked={mode === 'template'} onChange={() => setMode('template')} />
              {t('send.modeTemplate')}
            </label>
          </fieldset>

          <div class="field">
            <label for="send-to">{t('send.to')}</label>
            <input
              id="send-to"
              type="tel"
              required
              autoComplete="off"
              value={to}
              onInput={(e) => setTo(e.currentTarget.value)}
              placeholder="+14155552671"
              aria-describedby="send-to-hint"
            />
            <span id="send-to-hint" class="hint">
              {t('send.toHint')}
            </span>
          </div>

          {mode === 'text' ? (
            <div class="field">
              <label for="send-body">{t('send.body')}</label>
              <textarea id="send-body" rows={6} required value={body} onInput={(e) => setBody(e.currentTarget.value)} />
            </div>
          ) : (
            <>
              <div class="field">
                <label for="send-template">{t('send.template')}</label>
                <select
                  id="send-template"
                  required
                  value={templateName}
                  onChange={(e) => {
                    setTemplateName(e.currentTarget.value);
                    setData({});
                    setLocale('');
                  }}
                >
                  <option value="">{t('send.chooseTemplate')}</option>
                  {templates.map((x) => (
                    <option key={x.name} value={x.name}>
                      {x.name} (v{x.version})
                    </option>
                  ))}
                </select>
                {templates.length === 0 ? (
                  <span class="hint">
                    {t('send.noTemplates')} <a href={href('templates')}>{t('nav.templates')}</a>
                  </span>
                ) : null}
              </div>
              {template ? (
                <>
                  {template.variables.length > 0 ? (
                    <fieldset class="stack">
                      <legend>{t('send.variables')}</legend>
                      {template.variables.map((v) => (
                        <div class="field" key={v}>
                          <label for={`var-${v}`}>{v}</label>
                          <input
                            id={`var-${v}`}
                            value={data[v] ?? ''}
                            onInput={(e) => setData({ ...data, [v]: e.currentTarget.value })}
                          />
                        </div>
                      ))}
                    </fieldset>
                  ) : null}
                  {Object.keys(template.locales).length > 0 ? (
                    <div class="field">
                      <label for="send-locale">{t('send.locale')}</label>
                      <select id="send-locale" value={locale} onChange={(e) => setLocale(e.currentTarget.value)}>
                        <option value="">{t('send.defaultLocale')}</option>
                        {Object.keys(template.locales).map((l) => (
                          <option key={l} value={l}>
                            {l}
                          </option>
                        ))}
                      </select>
                    </div>
                  ) : null}
                </>
              ) : null}
            </>
          )}

          <div class="field">
            <label for="send-ref">{t('send.reference')}</label>
            <input id="send-ref" value={reference} onInput={(e) => setReference(e.currentTarget.value)} />
          </div>

          <ErrorNote error={sendError} />
          {sent ? (
            <div class="note note-good" role="status">
              {t('send.accepted', { status: t(`status.${sent.status}`) })}{' '}
              <a href={href('messages', sent.id)} data-testid="sent-link">
                {t('send.follow')}
              </a>
            </div>
          ) : null}
          <button type="submit" class="button-primary" disabled={sending}>
            {sending ? t('send.sending') : t('send.submit')}
          </button>
        </form>
        <PreviewPanel preview={preview} error={previewError} busy={previewBusy} />
      </div>
    </>
  );
}
