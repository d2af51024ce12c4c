/**
 * @module pages/message-detail
 * One message: what was sent, to whom, through which provider, at what cost, every step of its
 * life (accepted, each attempt, the carrier's reports) and the replies it got. It refreshes every
 * second until the message is final, then slowly, for late reports and replies.
 */
import { useState } from 'preact/hooks';
import { api, withQuery } from '../api';
import { ConfirmButton } from '../components/confirm-button';
import { ErrorNote } from '../components/error-note';
import { StatusBadge } from '../components/status-badge';
import { formatMoney, formatTime } from '../format';
import { usePoll } from '../hooks';
import { hasKey, useI18n } from '../i18n';
import { href } from '../router';
import { FINAL_STATUSES, type Inbound, type MessageEvent, type MessageWithEvents, type Page } from '../types';
import { PageHead } from '../components/page-head';

export function MessageDetail({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const [msg, setMsg] = useState<MessageWithEvents | null>(null);
  const [replies, setReplies] = useState<Inbound[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const final = msg !== null && FINAL_STATUSES.has(msg.status);

  async function load(signal?: AbortSignal) {
    try {
      const [m, r] = await Promise.all([
        api<MessageWithEvents>('GET', `/v1/messages/${encodeURIComponent(id)}`, undefined, signal ? { signal } : {}),
        api<Page<Inbound>>(
          'GET',
          withQuery('/v1/inbound', { messageId: id, limit: 50 }),
          undefined,
          signal ? { signal } : {},
        ),
      ]);
      setMsg(m);
      setReplies(r.data);
      setError(null);
    } catch (err) {
      if (!signal?.aborted) setError(err);
    }
  }

  usePoll(load, final ? 5_000 : 1_000, [id, final]);

  return (
    <>
      <p class="breadcrumb">
        <a href={href('messages')}>← {t('nav.messages')}</a>
      </p>
      <PageHead
        title={
          <>
            {t('message.title')} <code class="small">{id}</code>
          </>
        }
      >
        {msg ? <StatusBadge status={msg.status} /> : null}
      </PageHead>
      <ErrorNote error={error} />
      {msg ? (
        <>
          <div class="columns">
            <section class="panel" aria-labelledby="msg-facts">
              <h2 id="msg-facts">{t('message.facts')}</h2>
              <dl class="facts facts-wide">
                <Fact label={t('messages.to')} value={msg.to} />
                <Fact label={t('message.from')} value={msg.from ?? '—'} />
                <Fact label={t('message.channel')} value={msg.channel} />
                <Fact label={t('message.purpose')} value={msg.purpose} />
                <Fact label={t('messages.provider')} value={msg.provider ?? '—'} />
                <Fact label={t('message.providerId')} value={msg.providerMessageId ?? '—'} />
                <Fact label={t('message.attempts')} value={String(msg.attempts)} />
                <Fact label={t('preview.encoding')} value={msg.encoding} />
                <Fact label={t('preview.segments')} value={String(msg.segments)} />
                <Fact label={t('message.cost')} value={formatMoney(msg.cost, lang)} />
                <Fact label={t('message.price')} value={formatMoney(msg.price, lang)} />
                <Fact
                  label={t('messages.template')}
                  value={
                    msg.template
                      ? `${msg.template.name} v${msg.template.version}${msg.template.variant ? ` · ${msg.template.variant}` : ''} · ${msg.template.locale}`
                      : '—'
                  }
                />
                <Fact label={t('messages.reference')} value={msg.reference ?? '—'} />
                <Fact label={t('message.sendAt')} value={msg.sendAt ? formatTime(msg.sendAt, lang) : '—'} />
                <Fact label={t('messages.created')} value={formatTime(msg.createdAt, lang)} />
                <Fact label={t('message.updated')} value={formatTime(msg.updatedAt, lang)} />
              </dl>
              {msg.error ? (
                <p class="note note-error">
                  <strong>{msg.error.code}</strong> {msg.error.message}
                </p>
              ) : null}
              <h3>{t('messages.body')}</h3>
              <p class="bubble">{msg.body}</p>
              {msg.status === 'queued' || msg.status === 'scheduled' ? (
                <ConfirmButton
                  label={t('message.cancel')}
                  confirmLabel={t('message.cancelConfirm')}
                  onConfirm={async () => {
                    setActionError(null);
                    try {
                      await api('DELETE', `/v1/messages/${encodeURIComponent(id)}`);
                      await load();
                    } catch (err) {
                      setActionError(err);
                    }
                  }}
                />
              ) : null}
              <ErrorNote error={actionError} />
            </section>

            <section class="panel" aria-labelledby="msg-timeline">
              <h2 id="msg-timeline">{t('message.timeline')}</h2>
              <ol class="timeline" data-testid="timeline">
                {msg.events.map((e, i) => (
                  <TimelineItem key={`${e.at}-${i}`} event={e} />
                ))}
              </ol>
              {!final ? (
                <p class="muted small" role="status">
                  {t('message.watching')}
                </p>
              ) : null}
            </section>
          </div>

          <section class="panel" aria-labelledby="msg-replies">
            <h2 id="msg-replies">{t('message.replies')}</h2>
            {replies.length === 0 ? (
              <p class="muted">{t('message.noReplies')}</p>
            ) : (
              <ul class="replies">
                {replies.map((r) => (
                  <li key={r.id}>
                    <p class="bubble bubble-in">{r.body}</p>
                    <p class="muted small">
                      {formatTime(r.receivedAt, lang)} · {r.from}
                      {r.keyword ? ` · ${t('message.keyword')}: ${r.keyword}` : ''}
                      {r.intent ? ` · ${t('message.intent')}: ${r.intent}` : ''}
                      {r.sentiment ? ` · ${t('message.sentiment')}: ${r.sentiment}` : ''}
                    </p>
                    {r.autoReply ? <p class="bubble">{r.autoReply}</p> : null}
                  </li>
                ))}
              </ul>
            )}
            {msg.provider?.startsWith('sim:') ? <SimReply to={msg.to} onSent={() => load()} /> : null}
          </section>
        </>
      ) : null}
    </>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** Internal ids that mean nothing to a reader of the timeline. */
const HIDDEN_DETAIL = new Set(['inboundId']);
const DETAIL_ORDER = [
  'attempt',
  'latencyMs',
  'providerStatus',
  'kind',
  'errorCode',
  'errorMessage',
  'retryAt',
  'from',
  'to',
];

function TimelineItem({ event }: { event: MessageEvent }) {
  const { t, lang } = useI18n();
  const typeKey = `event.${event.type}`;
  const detail = Object.entries(event.detail ?? {})
    .filter(([k, v]) => !HIDDEN_DETAIL.has(k) && v !== null && v !== undefined && typeof v !== 'object')
    .sort(([a], [b]) => (DETAIL_ORDER.indexOf(a) + 1 || 99) - (DETAIL_ORDER.indexOf(b) + 1 || 99));
  const parts = [
    ...(event.provider ? [`${t('messages.provider')}: ${event.provider}`] : []),
    ...detail.map(([k, v]) => {
      const key = `detail.${k}`;
      return `${hasKey(key) ? t(key) : k}: ${String(v)}`;
    }),
  ];
  return (
    <li data-status={event.status ?? ''} data-type={event.type}>
      <div class="timeline-head">
        {event.status ? <StatusBadge status={event.status} /> : null}
        <span>{hasKey(typeKey) ? t(typeKey) : event.type}</span>
        <time dateTime={event.at} class="muted small">
          {formatTime(event.at, lang)}
        </time>
      </div>
      {parts.length > 0 ? <p class="small timeline-detail">{parts.join(' · ')}</p> : null}
    </li>
  );
}

/** With the built-in simulator, the operator can text back as the recipient would. */
function SimReply({ to, onSent }: { to: string; onSent: () => void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  return (
    <form
      class="inline-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        try {
          await api('POST', '/v1/sim/inbound', { from: to, text });
          setText('');
          onSent();
        } catch (err) {
          setError(err);
        }
      }}
    >
      <div class="field">
        <label for="sim-reply">{t('message.simReply')}</label>
        <input id="sim-reply" value={text} onInput={(e) => setText(e.currentTarget.value)} required />
      </div>
      <button type="submit" class="button">
        {t('message.simReplySend')}
      </button>
      <ErrorNote error={error} />
    </form>
  );
}
