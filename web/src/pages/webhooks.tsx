/**
 * @module pages/webhooks
 * The application's event endpoints: add one (its signing secret is shown once, then never
 * again, as the API does), remove one, and read an endpoint's delivery log (#/webhooks/<id>).
 */
import { useEffect, useState } from 'preact/hooks';
import { api, withQuery } from '../api';
import { ConfirmButton } from '../components/confirm-button';
import { ErrorNote } from '../components/error-note';
import { StatusBadge } from '../components/status-badge';
import { TableWrap } from '../components/table-wrap';
import { formatTime } from '../format';
import { useI18n } from '../i18n';
import { href, navigate } from '../router';
import { WEBHOOK_EVENT_TYPES, type Page, type WebhookDelivery, type WebhookEndpoint } from '../types';
import { PageHead } from '../components/page-head';
import { LinkList } from '../components/link-list';

export function Webhooks({ selected }: { selected: string | null }) {
  const { t, lang } = useI18n();
  const [endpoints, setEndpoints] = useState<WebhookEndpoint[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  const [form, setForm] = useState({ url: '', description: '', all: true, types: new Set<string>() });
  const [created, setCreated] = useState<(WebhookEndpoint & { secret: string }) | null>(null);
  const [createError, setCreateError] = useState<unknown>(null);

  useEffect(() => {
    api<Page<WebhookEndpoint>>('GET', withQuery('/v1/webhooks', { limit: 100 }))
      .then((r) => {
        setEndpoints(r.data);
        setError(null);
      })
      .catch(setError);
  }, [generation]);

  return (
    <>
      <PageHead title={t('nav.webhooks')} />
      <ErrorNote error={error} />
      <div class="columns">
        <section class="panel" aria-labelledby="wh-list">
          <h2 id="wh-list">{t('webhooks.endpoints')}</h2>
          <LinkList
            empty={t('webhooks.none')}
            items={
              endpoints?.map((w) => ({
                key: w.id,
                href: href('webhooks', w.id),
                current: w.id === selected,
                label: <code class="wrap">{w.url}</code>,
                note: `${w.description ? `${w.description} · ` : ''}${w.eventTypes ? w.eventTypes.join(', ') : t('webhooks.allEvents')}`,
                action: (
                  <ConfirmButton
                    label={t('common.remove')}
                    confirmLabel={t('webhooks.removeConfirm')}
                    onConfirm={async () => {
                      try {
                        await api('DELETE', `/v1/webhooks/${encodeURIComponent(w.id)}`);
                        if (selected === w.id) navigate('webhooks');
                        setGeneration((g) => g + 1);
                      } catch (err) {
                        setError(err);
                      }
                    }}
                  />
                ),
              })) ?? null
            }
          />
        </section>

        <form
          class="panel stack"
          aria-labelledby="wh-add"
          onSubmit={async (e) => {
            e.preventDefault();
            setCreateError(null);
            setCreated(null);
            try {
              const endpoint = await api<WebhookEndpoint & { secret: string }>('POST', '/v1/webhooks', {
                url: form.url.trim(),
                ...(form.description.trim() ? { description: form.description.trim() } : {}),
                ...(form.all ? {} : { eventTypes: [...form.types] }),
              });
              setCreated(endpoint);
              setForm({ url: '', description: '', all: true, types: new Set() });
              setGeneration((g) => g + 1);
            } catch (err) {
              setCreateError(err);
            }
          }}
        >
          <h2 id="wh-add">{t('webhooks.add')}</h2>
          <div class="field">
            <label for="wh-url">{t('webhooks.url')}</label>
            <input
              id="wh-url"
              type="url"
              required
              value={form.url}
              placeholder="https://example.com/tidings/events"
              onInput={(e) => setForm({ ...form, url: e.currentTarget.value })}
            />
          </div>
          <div class="field">
            <label for="wh-desc">{t('webhooks.description')}</label>
            <input
              id="wh-desc"
              value={form.description}
              onInput={(e) => setForm({ ...form, description: e.currentTarget.value })}
            />
          </div>
          <fieldset>
            <legend>{t('webhooks.events')}</legend>
            <label class="check">
              <input
                type="checkbox"
                checked={form.all}
                onChange={(e) => setForm({ ...form, all: e.currentTarget.checked })}
              />
              {t('webhooks.allEvents')}
            </label>
            {!form.all ? (
              <div class="check-grid">
                {WEBHOOK_EVENT_TYPES.map((type) => (
                  <label class="check" key={type}>
                    <input
                      type="checkbox"
                      checked={form.types.has(type)}
                      onChange={(e) => {
                        const types = new Set(form.types);
                        if (e.currentTarget.checked) types.add(type);
                        else types.delete(type);
                        setForm({ ...form, types });
                      }}
                    />
                    <code>{type}</code>
                  </label>
                ))}
              </div>
            ) : null}
          </fieldset>
          <ErrorNote error={createError} />
          {created ? (
            <div class="note note-warn" role="status">
              <p>{t('webhooks.secretOnce')}</p>
              <p>
                <code class="wrap secret">{created.secret}</code>
              </p>
            </div>
          ) : null}
          <button type="submit" class="button-primary">
            {t('webhooks.addButton')}
          </button>
        </form>
      </div>
      {selected ? <Deliveries key={selected} id={selected} lang={lang} /> : null}
    </>
  );
}

function Deliveries({ id, lang }: { id: string; lang: 'en' | 'zh' }) {
  const { t } = useI18n();
  const [rows, setRows] = useState<WebhookDelivery[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function load(from: string | null) {
    try {
      const page = await api<Page<WebhookDelivery>>(
        'GET',
        withQuery(`/v1/webhooks/${encodeURIComponent(id)}/deliveries`, { limit: 50, cursor: from }),
      );
      setRows((prev) => (from && prev ? [...prev, ...page.data] : page.data));
      setCursor(page.nextCursor);
      setError(null);
    } catch (err) {
      setError(err);
    }
  }
  useEffect(() => {
    void load(null);
  }, [id]);

  return (
    <section class="panel" aria-labelledby="wh-log">
      <div class="section-head">
        <h2 id="wh-log">{t('webhooks.log')}</h2>
        <button type="button" class="button-quiet" onClick={() => void load(null)}>
          {t('common.refresh')}
        </button>
      </div>
      <ErrorNote error={error} />
      {rows === null ? null : rows.length === 0 ? (
        <p class="muted">{t('webhooks.noDeliveries')}</p>
      ) : (
        <TableWrap label={t('webhooks.log')}>
          <table class="data">
            <thead>
              <tr>
                <th scope="col">{t('webhooks.created')}</th>
                <th scope="col">{t('webhooks.event')}</th>
                <th scope="col">{t('messages.status')}</th>
                <th scope="col" class="num">
                  {t('message.attempts')}
                </th>
                <th scope="col">{t('webhooks.lastResult')}</th>
                <th scope="col">{t('webhooks.next')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id}>
                  <td>{formatTime(d.createdAt, lang)}</td>
                  <td>
                    <code>{d.eventType}</code>
                  </td>
                  <td>
                    <StatusBadge status={d.status} />
                  </td>
                  <td class="num">{d.attempts}</td>
                  <td>
                    {d.lastStatusCode !== null ? `HTTP ${d.lastStatusCode}` : ''}
                    {d.lastError ? ` ${d.lastError}` : ''}
                    {d.lastStatusCode === null && !d.lastError ? '—' : ''}
                  </td>
                  <td>
                    {d.status === 'delivered'
                      ? formatTime(d.deliveredAt, lang)
                      : d.nextAttemptAt
                        ? formatTime(d.nextAttemptAt, lang)
                        : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {cursor ? (
        <button type="button" class="button" onClick={() => void load(cursor)}>
          {t('common.loadMore')}
        </button>
      ) : null}
    </section>
  );
}
