/**
 * @module app/message-view
 * How a message looks to API callers: the same shape in every response, so a replayed
 * idempotent response and a fresh GET agree.
 */
import type { Message, MessageEvent } from '../core/message.js';
import type { Money } from '../core/pricing.js';

export interface MessageView {
  id: string;
  status: Message['status'];
  channel: Message['channel'];
  purpose: Message['purpose'];
  to: string;
  from: string | null;
  body: string;
  encoding: Message['encoding'];
  segments: number;
  sendAt: string | null;
  reference: string | null;
  metadata: Record<string, unknown> | null;
  provider: string | null;
  providerMessageId: string | null;
  attempts: number;
  template: { name: string; version: number; variant: string | null; locale: string } | null;
  cost: Money | null;
  price: Money | null;
  /** Only in the answer to the send that ran smart encoding. */
  segmentsSaved?: number;
  error: { code: string; message: string | null } | null;
  createdAt: string;
  updatedAt: string;
}

export interface EventView {
  type: MessageEvent['type'];
  status: MessageEvent['status'];
  at: string;
  provider: string | null;
  detail: Record<string, unknown> | null;
}

/**
 * Milliseconds to ISO 8601. The last answer is kept: a batch's messages share their accept time,
 * and each has it twice (created, updated), so a batch of 1,000 formats one date, not 2,000.
 */
let lastMs = Number.NaN;
let lastIso = '';
function iso(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}

export function toMessageView(m: Message): MessageView {
  return {
    id: m.id,
    status: m.status,
    channel: m.channel,
    purpose: m.purpose,
    to: m.to,
    from: m.from,
    body: m.body,
    encoding: m.encoding,
    segments: m.segments,
    sendAt: m.sendAt === null ? null : iso(m.sendAt),
    reference: m.reference,
    metadata: m.metadata,
    provider: m.provider,
    providerMessageId: m.providerMessageId,
    attempts: m.attempts,
    template: m.template && {
      name: m.template.name,
      version: m.template.version,
      variant: m.template.variant,
      locale: m.template.locale,
    },
    cost: m.cost,
    price: m.price,
    ...(m.segmentsSaved !== undefined ? { segmentsSaved: m.segmentsSaved } : {}),
    error: m.errorCode === null ? null : { code: m.errorCode, message: m.errorMessage },
    createdAt: iso(m.createdAt),
    updatedAt: iso(m.updatedAt),
  };
}

export function toEventView(e: MessageEvent): EventView {
  return { type: e.type, status: e.status, at: iso(e.at), provider: e.provider, detail: e.detail };
}
