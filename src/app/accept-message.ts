/**
 * @module app/accept-message
 * Acceptance: turn a caller's request into stored, queued messages, or refuse it with a stable
 * code. Nothing is stored unless everything about the message checks out, and what is stored is
 * already queued (same transaction), so an accepted message cannot be lost.
 */
import type { Channel, Message, MessageTemplate, Purpose, PushContact } from '../core/message.js';
import { TidingsError, isTidingsError } from '../core/errors.js';
import { estimateCost } from '../core/pricing.js';
import { chooseProvider } from '../core/routing.js';
import { checkBody, measure } from '../content/segments.js';
import { toGsmLookalikes } from '../content/smart-encoding.js';
import type { AppDeps } from './deps.js';
import type { Repeat } from '../ports/message-store.js';
import { storeAccepted } from './store-accepted.js';
import { renderTemplate } from './render-template.js';
import { resolveRecipient } from './resolve-recipient.js';
import type { ReadyTemplate } from './template-catalog.js';
import { replayOrConflict, type IdempotencyContext } from './idempotency.js';
import { forgiveOwnDuplicates, isRetryOfInterrupted } from './interrupted-attempt.js';
import { toMessageView, type MessageView } from './message-view.js';
import { checkDestination, quietHold } from './destination-rules.js';
import { trackLinks } from './tracked-links.js';

/** A send request after schema validation (see http/schemas). */
export interface SendRequest {
  to?: string;
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
  recipient?: { timezone?: string; email?: string; push?: PushContact };
  fallback?: Channel[];
  /** Replace look-alike characters (curly quotes, dashes…) with GSM-7 ones when it saves segments. */
  smartEncoding?: boolean;
  /** Never held for the recipient's quiet hours (an outage alert, a fraud warning). */
  urgent?: boolean;
  /** Rewrite URLs to tracked short links; absent, the template decides (see app/tracked-links). */
  trackLinks?: boolean;
}

/** Templates a request batch names, loaded before the (synchronous) per-message checks. */
export type TemplatesByName = ReadonlyMap<string, ReadyTemplate | null>;

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
  /** Which limit refused it (`recipient.otp.1h`, `duplicate`, `spend.day.USD`…). */
  limit?: string;
  /** Seconds until trying again can succeed. */
  retryAfter?: number;
}

/** Validates one request and builds the message it will become. Throws TidingsError. */
export function prepareMessage(
  deps: AppDeps,
  req: SendRequest,
  caller: Caller,
  now: number,
  templates: TemplatesByName = NO_TEMPLATES,
): Message {
  const recipient = resolveRecipient(deps, req);
  const { channel } = recipient;
  const provider = chooseProvider(deps.providers, channel)!;
  const id = deps.ids.message();
  let text: string;
  let template: MessageTemplate | null = null;
  let delayMs = 0;
  let purpose = req.purpose;
  checkLocaleAndZone(req);
  if (req.template !== undefined) {
    if (req.body !== undefined)
      throw new TidingsError('validation_failed', 'Give a body or a template, not both.', 'body');
    const ready = templates.get(req.template);
    if (!ready) throw new TidingsError('template_not_found', `Template "${req.template}" does not exist.`, 'template');
    const rendered = renderTemplate(deps.renderer, ready, {
      messageId: id,
      data: req.data ?? {},
      locale: req.locale ?? null,
      timezone: req.recipient?.timezone ?? deps.settings.defaultTimezone,
    });
    text = rendered.body;
    template = rendered.template;
    delayMs = rendered.delayMs;
    purpose ??= ready.def.purpose ?? undefined;
  } else {
    if (req.body === undefined) throw new TidingsError('body_empty', 'Give a body or a template.', 'body');
    if (req.data !== undefined) throw new TidingsError('validation_failed', 'data goes with a template.', 'data');
    text = req.body;
  }
  const finalPurpose = purpose ?? 'transactional';
  // Suppression is by phone number; a fallback to the same number is re-checked when it is due.
  if (channel === 'sms' || channel === 'voice') deps.suppressions.check(recipient.to, finalPurpose);
  checkDestination(deps.protection.policy, channel, recipient.to);
  deps.contentFilter.check(text, finalPurpose, template ? 'template' : 'body');
  // Before segments are counted: the short links are what is sent and paid for.
  const tracked = trackLinks(deps.settings, text, req.trackLinks, templates.get(req.template ?? '')?.def.trackLinks);
  text = tracked.text;
  let segmentsSaved: number | undefined;
  if (req.smartEncoding ?? deps.settings.smartEncoding) {
    const smart = toGsmLookalikes(text);
    text = smart.text;
    segmentsSaved = smart.segmentsBefore - smart.segmentsAfter;
    if (segmentsSaved > 0) deps.metrics.segmentsSaved(segmentsSaved);
  }
  checkBody(text);
  const requested = parseSendAt(req.sendAt, now, deps.settings.maxScheduleAheadMs);
  let sendAt = delayMs > 0 ? (requested ?? now) + delayMs : requested;
  // Due in the recipient's quiet hours: scheduled for the hour they end instead.
  const heldUntil = quietHold(
    deps.protection.policy,
    {
      channel,
      to: recipient.to,
      purpose: finalPurpose,
      urgent: req.urgent === true,
      timezone: req.recipient?.timezone,
    },
    sendAt ?? now,
  );
  if (heldUntil !== null) sendAt = heldUntil;
  const scheduled = sendAt !== null && sendAt > now;
  const size = measure(text);
  return {
    id,
    channel,
    purpose: finalPurpose,
    to: recipient.to,
    from: req.from ?? null,
    body: text,
    encoding: size.encoding,
    segments: size.segments,
    status: scheduled ? 'scheduled' : 'queued',
    provider: null,
    providerMessageId: null,
    reference: req.reference ?? null,
    metadata: req.metadata ?? null,
    sendAt: scheduled ? sendAt : null,
    attempts: 0,
    errorCode: null,
    errorMessage: null,
    apiKeyId: caller.apiKeyId,
    template,
    fallback: recipient.fallback,
    contacts: recipient.contacts,
    cost: estimateCost(
      deps.settings.prices,
      provider.kind,
      channel === 'sms' || channel === 'voice' ? recipient.country : null,
      channel === 'sms' ? size.segments : 1,
    ),
    price: null,
    ...(segmentsSaved !== undefined ? { segmentsSaved } : {}),
    country: channel === 'sms' || channel === 'voice' ? recipient.country : null,
    ...(tracked.links.length > 0 ? { links: tracked.links } : {}),
    createdAt: now,
    updatedAt: now,
  };
}

const NO_TEMPLATES: TemplatesByName = new Map();

/** Bad tags and zones are the caller's mistake, refused up front rather than when a filter first uses them. */
export function checkLocaleAndZone(req: { locale?: string; recipient?: { timezone?: string } }): void {
  if (req.locale !== undefined) {
    try {
      Intl.getCanonicalLocales(req.locale);
    } catch {
      throw new TidingsError('validation_failed', `"${req.locale}" is not a BCP 47 language tag.`, 'locale');
    }
  }
  const tz = req.recipient?.timezone;
  if (tz !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
    } catch {
      throw new TidingsError('validation_failed', `"${tz}" is not an IANA timezone.`, 'recipient.timezone');
    }
  }
}

/** Loads every template the requests name (current versions), once per name. */
export async function loadTemplates(deps: AppDeps, reqs: readonly SendRequest[]): Promise<TemplatesByName> {
  const names = new Set<string>();
  for (const r of reqs) if (r.template !== undefined) names.add(r.template);
  if (names.size === 0) return NO_TEMPLATES;
  const out = new Map<string, ReadyTemplate | null>();
  for (const name of names) out.set(name, await deps.templates.current(name));
  return out;
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
  if (!isTidingsError(err)) throw err;
  return {
    code: err.code,
    message: err.message,
    ...(err.field ? { field: err.field } : {}),
    ...(err.limit !== undefined ? { limit: err.limit } : {}),
    ...(err.retryAfterMs !== undefined ? { retryAfter: Math.ceil(err.retryAfterMs / 1000) } : {}),
  };
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
  const templates = await loadTemplates(deps, [req]);
  const message = prepareMessage(deps, req, caller, deps.clock.now(), templates);
  if (deps.protection.acceptance.active) {
    const retry = await isRetryOfInterrupted(deps, idem);
    let refusals = await deps.protection.acceptance.admit([message], caller.apiKeyId);
    if (retry) refusals = await forgiveOwnDuplicates(deps, [message], refusals);
    if (refusals[0]) throw refusals[0];
  }
  const view = toMessageView(message);
  const stored = await storeAccepted(deps, [message], caller, idem, () => ({ statusCode: 202, body: view }));
  if ('replay' in stored) return stored.replay as AcceptResult<MessageView>;
  const repeat = stored.duplicates[0];
  if (repeat) throw deps.protection.acceptance.duplicateRefusal(repeat.earlierAt);
  deps.logger.debug({ messageId: message.id, to: message.to }, 'message accepted');
  return { statusCode: 202, body: view, replayed: false };
}

export async function acceptBatch(
  deps: AppDeps,
  reqs: SendRequest[],
  caller: Caller,
  idem: IdempotencyContext | null,
): Promise<AcceptResult<{ accepted: number; rejected: number; results: ItemResult[] }>> {
  type Body = { accepted: number; rejected: number; results: ItemResult[] };
  if (idem) {
    const prior = await deps.store.findIdempotency(idem.scope, idem.key);
    if (prior) return replayOrConflict(prior, idem) as AcceptResult<Body>;
  }
  const templates = await loadTemplates(deps, reqs);
  const now = deps.clock.now();
  let messages: Message[] = [];
  let positions: number[] = [];
  const results: ItemResult[] = reqs.map((req, index) => {
    try {
      const m = prepareMessage(deps, req, caller, now, templates);
      messages.push(m);
      positions.push(index);
      return { index, ...toMessageView(m) };
    } catch (err) {
      return { index, error: errorView(err) };
    }
  });
  if (messages.length > 0 && deps.protection.acceptance.active) {
    const retry = await isRetryOfInterrupted(deps, idem);
    let refusals = await deps.protection.acceptance.admit(messages, caller.apiKeyId);
    if (retry) refusals = await forgiveOwnDuplicates(deps, messages, refusals);
    refusals.forEach((err, k) => {
      if (err) results[positions[k]!] = { index: positions[k]!, error: errorView(err) };
    });
    positions = positions.filter((_, k) => refusals[k] === null);
    messages = messages.filter((_, k) => refusals[k] === null);
  }
  // The store's duplicate guard may refuse a few more (a concurrent request stored the same text).
  const respond = (duplicates: readonly Repeat[]): { statusCode: number; body: Body } => {
    const final = duplicates.length === 0 ? results : [...results];
    for (const { index: k, earlierAt } of duplicates) {
      final[positions[k]!] = {
        index: positions[k]!,
        error: errorView(deps.protection.acceptance.duplicateRefusal(earlierAt)),
      };
    }
    const accepted = messages.length - duplicates.length;
    return { statusCode: 202, body: { accepted, rejected: reqs.length - accepted, results: final } };
  };
  if (messages.length === 0) return { ...respond([]), replayed: false };
  const stored = await storeAccepted(deps, messages, caller, idem, respond);
  if ('replay' in stored) return stored.replay as AcceptResult<Body>;
  return { ...respond(stored.duplicates), replayed: false };
}
