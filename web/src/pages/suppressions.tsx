/**
 * @module pages/suppressions
 * The numbers Tidings will not text: look one up, list them by reason, add one by hand with a
 * reason and a note, take one off. Removing asks for confirmation in place.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, withQuery } from '../api';
import { ConfirmButton } from '../components/confirm-button';
import { ErrorNote } from '../components/error-note';
import { TableWrap } from '../components/table-wrap';
import { formatTime } from '../format';
import { hasKey, useI18n, type Translate } from '../i18n';
import { href } from '../router';
import { SUPPRESSION_REASONS, type Page, type Suppression } from '../types';
import { PageHead } from '../components/page-head';

const path = (number: string) => `/v1/suppressions/${encodeURIComponent(number.trim())}`;

export function Suppressions() {
  const { t, lang } = useI18n();
  const [reason, setReason] = useState('');
  const [rows, setRows] = useState<Suppression[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [listError, setListError] = useState<unknown>(null);
  const [lookup, setLookup] = useState('');
  const [found, setFound] = useState<Suppression | 'absent' | null>(null);
  const [lookupError, setLookupError] = useState<unknown>(null);
  const [add, setAdd] = useState({ number: '', reason: 'manual', note: '' });
  const [addError, setAddError] = useState<unknown>(null);
  const [status, setStatus] = useState('');
  const [generation, setGeneration] = useState(0);

  async function loadPage(from: string | null) {
    try {
      const page = await api<Page<Suppression>>(
        'GET',
        withQuery('/v1/suppressions', { reason, limit: 50, cursor: from }),
      );
      setRows((prev) => (from && prev ? [...prev, ...page.data] : page.data));
      setCursor(page.nextCursor);
      setListError(null);
    } catch (err) {
      setListError(err);
    }
  }

  useEffect(() => {
    void loadPage(null);
  }, [reason, generation]);

  async function remove(number: string) {
    try {
      await api('DELETE', path(number));
      setStatus(t('suppressions.removed', { number }));
      if (found !== null && found !== 'absent' && found.number === number) setFound('absent');
      setGeneration((g) => g + 1);
    } catch (err) {
      setListError(err);
    }
  }

  return (
    <>
      <PageHead title={t('nav.suppressions')} />
      <p class="visually-hidden" role="status">
        {status}
      </p>
      <div class="columns">
        <form
          class="panel stack"
          role="search"
          aria-labelledby="sup-lookup"
          onSubmit={async (e) => {
            e.preventDefault();
            setLookupError(null);
            setFound(null);
            try {
              setFound(await api<Suppression>('GET', path(lookup)));
            } catch (err) {
              if (err instanceof ApiError && err.code === 'not_found') setFound('absent');
              else setLookupError(err);
            }
          }}
        >
          <h2 id="sup-lookup">{t('suppressions.lookup')}</h2>
          <div class="field">
            <label for="sup-search">{t('suppressions.number')}</label>
            <input
              id="sup-search"
              type="search"
              inputMode="tel"
              required
              value={lookup}
              onInput={(e) => setLookup(e.currentTarget.value)}
            />
          </div>
          <button type="submit" class="button">
            {t('suppressions.check')}
          </button>
          <ErrorNote error={lookupError} />
          {found === 'absent' ? (
            <p class="note note-good" role="status">
              {t('suppressions.notListed', { number: lookup.trim() })}
            </p>
          ) : found ? (
            <div class="note" role="status">
              <p>{t('suppressions.listed', { number: found.number, reason: reasonLabel(t, found.reason) })}</p>
              <p class="small">
                {t('suppressions.source')}: {found.source} · {formatTime(found.createdAt, lang)}
                {found.note ? ` · ${found.note}` : ''}
              </p>
            </div>
          ) : null}
        </form>

        <form
          class="panel stack"
          aria-labelledby="sup-add"
          onSubmit={async (e) => {
            e.preventDefault();
            setAddError(null);
            try {
              const created = await api<Suppression>('PUT', path(add.number), {
                reason: add.reason,
                ...(add.note.trim() ? { note: add.note.trim() } : {}),
              });
              setStatus(t('suppressions.added', { number: created.number }));
              setAdd({ number: '', reason: add.reason, note: '' });
              setGeneration((g) => g + 1);
            } catch (err) {
              setAddError(err);
            }
          }}
        >
          <h2 id="sup-add">{t('suppressions.add')}</h2>
          <div class="field">
            <label for="sup-number">{t('suppressions.number')}</label>
            <input
              id="sup-number"
              type="tel"
              required
              value={add.number}
              placeholder="+14155552671"
              onInput={(e) => setAdd({ ...add, number: e.currentTarget.value })}
            />
          </div>
          <div class="field">
            <label for="sup-reason">{t('suppressions.reason')}</label>
            <select
              id="sup-reason"
              value={add.reason}
              onChange={(e) => setAdd({ ...add, reason: e.currentTarget.value })}
            >
              {SUPPRESSION_REASONS.map((r) => (
                <option key={r} value={r}>
                  {t(`reason.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="sup-note">{t('suppressions.note')}</label>
            <input
              id="sup-note"
              value={add.note}
              maxLength={500}
              onInput={(e) => setAdd({ ...add, note: e.currentTarget.value })}
            />
          </div>
          <ErrorNote error={addError} />
          <button type="submit" class="button-primary">
            {t('suppressions.addButton')}
          </button>
        </form>
      </div>

      <section class="panel" aria-labelledby="sup-list">
        <div class="section-head">
          <h2 id="sup-list">{t('suppressions.list')}</h2>
          <div class="field field-inline">
            <label for="sup-filter">{t('suppressions.reason')}</label>
            <select id="sup-filter" value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
              <option value="">{t('suppressions.anyReason')}</option>
              {SUPPRESSION_REASONS.map((r) => (
                <option key={r} value={r}>
                  {t(`reason.${r}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <ErrorNote error={listError} />
        {rows === null ? (
          <p class="muted">{t('common.loading')}</p>
        ) : rows.length === 0 ? (
          <p class="muted">{t('suppressions.none')}</p>
        ) : (
          <TableWrap label={t('suppressions.list')}>
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">{t('suppressions.number')}</th>
                  <th scope="col">{t('suppressions.reason')}</th>
                  <th scope="col">{t('suppressions.source')}</th>
                  <th scope="col">{t('suppressions.note')}</th>
                  <th scope="col">{t('suppressions.since')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((s) => (
                  <tr key={s.number} data-number={s.number}>
                    <td class="nowrap">{s.number}</td>
                    <td>{reasonLabel(t, s.reason)}</td>
                    <td>
                      {s.sourceMessageId ? <a href={href('messages', s.sourceMessageId)}>{s.source}</a> : s.source}
                    </td>
                    <td>{s.note ?? '—'}</td>
                    <td>{formatTime(s.createdAt, lang)}</td>
                    <td>
                      <ConfirmButton
                        label={t('suppressions.remove')}
                        confirmLabel={t('suppressions.removeConfirm', { number: s.number })}
                        onConfirm={() => remove(s.number)}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        {cursor ? (
          <button type="button" class="button" onClick={() => void loadPage(cursor)}>
            {t('common.loadMore')}
          </button>
        ) : null}
      </section>
    </>
  );
}

/** A reason added to the API later than this page still shows, as its code. */
function reasonLabel(t: Translate, reason: string): string {
  const key = `reason.${reason}`;
  return hasKey(key) ? t(key) : reason;
}
