/**
 * @module app/accept-message
 * Acceptance: turn a caller's request into stored, queued messages, or refuse it with a stable
 * code. Nothing is stored unless everything about the message checks out, and what is stored is
 * already queued (same transaction), so an accepted message cannot be lost.
 */
import type { Channel, Message, Purpose } from '../core/message.js';
import { TidingsError, isTidingsError } from '../core/errors.js';
import { chooseProvider } from '../core/routing.js';
import { normalizeRecipient } from '../content/phone.js';
import { checkBody, measure } from '../content/segments.js';
import type { AppDeps } from './deps.js';
import { replayOrConflict, type IdempotencyContext } from './idempotency.js';
import { toMessageView, type MessageView } from './message-view.js';

/** A send request after schema validation (see http/schemas). */
export interface SendRequest {
  to: string;
  body?: string;
  template?: string;
  data?: Record<string, unknown>;
  locale?: string;
  channel?: Channel;
  from?: string;
  sendAt?: string;
  reference?: string;
  purpose?: Purpose;
  metadata?: Record<string, unknown>;
}

export interface Caller {
  apiKeyId: string;
}

export interface AcceptResult<T> {
  statusCode: number;
  body: T;
  /** True when this is the stored response of an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

export type ItemResult = ({ index: number } & MessageView) | { index: number; error: ErrorView };
export interface ErrorView {
  code: string;
  message: string;
  field?: string;
}

/** Validates one request and builds the message it will become. Throws TidingsError. */
export function prepareMessage(deps: AppDeps, req: SendRequest, caller: Caller, now: number): Message {
  const channel = req.channel ?? 'sms';
  if (!chooseProvider(deps.providers, channel)) {
    throw new TidingsError('channel_unavailable', `No provider is configured for channel "${channel}".`, 'channel');
  }
  if (req.template !== undefined) {
    // Templates arrive with the content issue; until then no template name can exist.
    throw new TidingsError('not_found', `Template "${req.template}" does not exist.`, 'template');
  }
  if (req.body === undefined) throw new TidingsError('body_empty', 'Give a body (or, later, a template).', 'body');
  checkBody(req.body);
  const recipient = normalizeRecipient(req.to, {
    defaultRegion: deps.settings.defaultRegion as Parameters<typeof normalizeRecipient>[1]['defaultRegion'],
    channel: channel === 'voice' ? 'voice' : 'sms',
  });
  const sendAt = parseSendAt(req.sendAt, now, deps.settings.maxScheduleAheadMs);
  const size = measure(req.body);
  return {
    id: deps.ids.message(),
    channel,
    purpose: req.purpose ?? 'transactional',
    to: recipient.e164,
    from: req.from ?? null,
    body: req.body,
    encoding: size.encoding,
    segments: size.segments,
    status: sendAt !== null && sendAt > now ? 'scheduled' : 'queued',
    provider: null,
    providerMessageId: null,
    reference: req.reference ?? null,
    metadata: req.metadata ?? null,
    sendAt: sendAt !== null && sendAt > now ? sendAt : null,
    attempts: 0,
    errorCode: null,
    errorMessage: null,
    apiKeyId: caller.apiKeyId,
    createdAt: now,
    updatedAt: now,
  };
}

function parseSendAt(value: string | undefined, now: number, maxAheadMs: number): number | null {
  if (value === undefined) return null;
  // Date.parse accepts many shapes; we promise RFC 3339 with an explicit offset, so check that first.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw new TidingsError(
      'validation_failed',
      'sendAt must be an RFC 3339 time with an offset, e.g. 2030-01-01T09:00:00Z.',
      'sendAt',
    );
  }
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new TidingsError('validation_failed', 'sendAt is not a real time.', 'sendAt');
  if (at - now > maxAheadMs) {
    throw new TidingsError(
      'send_at_out_of_range',
      `sendAt may be at most ${Math.round(maxAheadMs / 86_400_000)} days ahead.`,
      'sendAt',
    );
  }
  return at;
}

function errorView(err: unknown): ErrorView {
  if (isTidingsError(err)) return { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) };
  throw err;
}

async function store(
  deps: AppDeps,
  messages: Message[],
  idem: IdempotencyContext | null,
  statusCode: number,
  body: unknown,
) {
  const record = idem ? { ...idem, statusCode, responseBody: JSON.stringify(body) } : null;
  const outcome = await deps.store.accept(messages, record);
  if (outcome.kind === 'existing' && idem) return replayOrConflict(outcome.record, idem);
  deps.queue.announce(messages.map((m) => m.id));
  deps.metrics.accepted(messages[0]?.channel ?? 'sms', messages.length);
  return null;
}

export async function acceptMessage(
  deps: AppDeps,
  req: SendRequest,
  caller: Caller,
  idem: IdempotencyContext | null,
): Promise<AcceptResult<MessageView>> {
  if (idem) {
    const prior = await deps.store.findIdempotency(idem.scope, idem.key);
    if (prior) return replayOrConflict(prior, idem) as AcceptResult<MessageView>;
  }
  const message = prepareMessage(deps, req, caller, deps.clock.now());
  const view = toMessageView(message);
  const replay = await store(deps, [message], idem, 202, view);
  if (replay) return replay as AcceptResult<MessageView>;
  deps.logger.debug({ messageId: message.id, to: message.to }, 'message accepted');
  return { statusCode: 202, body: view, replayed: false };
}

export async function acceptBatch(
  deps: AppDeps,
  reqs: SendRequest[],
  caller: Caller,
  idem: IdempotencyContext | null,
): Promise<AcceptResult<{ accepted: number; rejected: number; results: ItemResult[] }>> {
  if (idem) {
    const prior = await deps.store.findIdempotency(idem.scope, idem.key);
    if (prior)
      return replayOrConflict(prior, idem) as AcceptResult<{
        accepted: number;
        rejected: number;
        results: ItemResult[];
      }>;
  }
  const now = deps.clock.now();
  const messages: Message[] = [];
  const results: ItemResult[] = reqs.map((req, index) => {
    try {
      const m = prepareMessage(deps, req, caller, now);
      messages.push(m);
      return { index, ...toMessageView(m) };
    } catch (err) {
      return { index, error: errorView(err) };
    }
  });
  const body = { accepted: messages.length, rejected: reqs.length - messages.length, results };
  if (messages.length > 0) {
    const replay = await store(deps, messages, idem, 202, body);
    if (replay) return replay as AcceptResult<typeof body>;
  }
  return { statusCode: 202, body, replayed: false };
}
