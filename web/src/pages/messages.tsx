/**
 * @module pages/messages
 * Find messages by number, reference, status, template and time range (the API's own filters, so
 * a search reaches every message, not just those loaded), newest first, a page at a time.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, withQuery } from '../api';
import { ErrorNote } from '../components/error-note';
import { StatusBadge } from '../components/status-badge';
import { TableWrap } from '../components/table-wrap';
import { formatMoney, formatTime } from '../format';
import { useI18n } from '../i18n';
import { href } from '../router';
import { MESSAGE_STATUSES, type Message, type Page, type Template } from '../types';
import { useLoaded } from '../hooks';
import { PageHead } from '../components/page-head';

interface Filters {
  to: string;
  reference: string;
  status: string;
  since: string;
  until: string;
  template: string;
}

const EMPTY: Filters = { to: '', reference: '', status: '', since: '', until: '', template: '' };
const PAGE_SIZE = 50;

function query(f: Filters, cursor: string | null) {
  return withQuery('/v1/messages', {
    to: f.to.trim(),
    reference: f.reference.trim(),
    status: f.status,
    template: f.template,
    // datetime-local is the reader's local time; the API wants an instant.
    since: f.since ? new Date(f.since).toISOString() : undefined,
    until: f.until ? new Date(f.until).toISOString() : undefined,
    limit: PAGE_SIZE,
    cursor,
  });
}

export function excerpt(text: string, max = 60): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

export function Messages() {
  const { t, lang } = useI18n();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const [rows, setRows] = useState<Message[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const templates = useLoaded(() => api<{ data: Template[] }>('GET', '/v1/templates'), []);

  async function load(f: Filters, from: string | null) {
    setBusy(true);
    setError(null);
    try {
      const page = await api<Page<Message>>('GET', query(f, from));
      setRows((prev) => (from && prev ? [...prev, ...page.data] : page.data));
      setCursor(page.nextCursor);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  useEffect(() => {
    void load(applied, null);
  }, [applied]);

  const set = (k: keyof Filters) => (e: Event) =>
    setDraft({ ...draft, [k]: (e.currentTarget as HTMLInputElement | HTMLSelectElement).value });

  return (
    <>
      <PageHead title={t('nav.messages')}>
        <a class="button" href={href('send')}>
          {t('messages.sendNew')}
        </a>
      </PageHead>
      <form
        class="filters"
        role="search"
        aria-label={t('messages.search')}
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ ...draft });
        }}
      >
        <div class="field">
          <label for="f-to">{t('messages.to')}</label>
          <input
            id="f-to"
            type="search"
            inputMode="tel"
            value={draft.to}
            onInput={set('to')}
            placeholder="+14155552671"
          />
        </div>
        <div class="field">
          <label for="f-ref">{t('messages.reference')}</label>
          <input id="f-ref" type="search" value={draft.reference} onInput={set('reference')} />
        </div>
        <div class="field">
          <label for="f-status">{t('messages.status')}</label>
          <select id="f-status" value={draft.status} onChange={set('status')}>
            <option value="">{t('messages.anyStatus')}</option>
            {MESSAGE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-since">{t('messages.since')}</label>
          <input id="f-since" type="datetime-local" value={draft.since} onInput={set('since')} />
        </div>
        <div class="field">
          <label for="f-until">{t('messages.until')}</label>
          <input id="f-until" type="datetime-local" value={draft.until} onInput={set('until')} />
        </div>
        <div class="field">
          <label for="f-template">{t('messages.template')}</label>
          <select id="f-template" value={draft.template} onChange={set('template')}>
            <option value="">{t('messages.anyTemplate')}</option>
            {(templates.data?.data ?? []).map((x) => (
              <option key={x.name} value={x.name}>
                {x.name}
              </option>
            ))}
          </select>
        </div>
        <div class="filter-actions">
          <button type="submit" class="button-primary">
            {t('messages.searchButton')}
          </button>
          <button
            type="button"
            class="button-quiet"
            onClick={() => {
              setDraft(EMPTY);
              setApplied({ ...EMPTY });
            }}
          >
            {t('common.clear')}
          </button>
        </div>
      </form>
      <ErrorNote error={error} />
      {rows === null ? (
        <p class="muted">{t('common.loading')}</p>
      ) : rows.length === 0 ? (
        <p class="muted" role="status">
          {t('messages.none')}
        </p>
      ) : (
        <TableWrap label={t('nav.messages')}>
          <table class="data">
            <caption class="visually-hidden">{t('messages.caption', { n: rows.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('messages.created')}</th>
                <th scope="col">{t('messages.to')}</th>
                <th scope="col">{t('messages.status')}</th>
                <th scope="col">{t('messages.body')}</th>
                <th scope="col">{t('messages.provider')}</th>
                <th scope="col" class="num">
                  {t('messages.cost')}
                </th>
                <th scope="col">{t('messages.reference')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr key={m.id} data-message-id={m.id}>
                  <td>
                    <a href={href('messages', m.id)}>{formatTime(m.createdAt, lang)}</a>
                  </td>
                  <td class="nowrap">{m.to}</td>
                  <td>
                    <StatusBadge status={m.status} />
                  </td>
                  <td>{excerpt(m.body)}</td>
                  <td>{m.provider ?? '—'}</td>
                  <td class="num">{formatMoney(m.price ?? m.cost, lang)}</td>
                  <td>{m.reference ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {cursor ? (
        <button type="button" class="button" disabled={busy} onClick={() => void load(applied, cursor)}>
          {busy ? t('common.loading') : t('common.loadMore')}
        </button>
      ) : null}
    </>
  );
}
