/**
 * @module storage/rows
 * Conversion between table rows and domain records, in one place so every repository agrees.
 */
import type { Selectable } from 'kysely';
import type { Channel, Contacts, Encoding, Message, MessageEvent, MessageStatus, Purpose } from '../core/message.js';
import type { Money } from '../core/pricing.js';
import { stableHash } from '../core/stable-hash.js';
import type { DispatchPayload } from '../ports/job-queue.js';
import type { MessageEventsTable, MessagesTable } from './schema.js';

/** Column order of `messageValues`, for bulk inserts. */
export const MESSAGE_COLUMNS = [
  'id',
  'api_key_id',
  'channel',
  'purpose',
  'to',
  'from',
  'body',
  'encoding',
  'segments',
  'status',
  'provider',
  'provider_message_id',
  'reference',
  'metadata',
  'send_at',
  'attempts',
  'error_code',
  'error_message',
  'created_at',
  'updated_at',
  'template',
  'template_version',
  'variant',
  'locale',
  'template_data',
  'cost',
  'cost_currency',
  'price',
  'price_currency',
  'fallback',
  'contacts',
  'country',
  'campaign_id',
  'body_hash',
] as const;

export function messageValues(m: Message): unknown[] {
  return [
    m.id,
    m.apiKeyId,
    m.channel,
    m.purpose,
    m.to,
    m.from,
    m.body,
    m.encoding,
    m.segments,
    m.status,
    m.provider,
    m.providerMessageId,
    m.reference,
    m.metadata === null ? null : JSON.stringify(m.metadata),
    m.sendAt,
    m.attempts,
    m.errorCode,
    m.errorMessage,
    m.createdAt,
    m.updatedAt,
    m.template?.name ?? null,
    m.template?.version ?? null,
    m.template?.variant ?? null,
    m.template?.locale ?? null,
    m.template ? JSON.stringify(m.template.data) : null,
    m.cost?.amount ?? null,
    m.cost?.currency ?? null,
    m.price?.amount ?? null,
    m.price?.currency ?? null,
    m.fallback.length === 0 ? null : JSON.stringify(m.fallback),
    m.contacts === null ? null : JSON.stringify(m.contacts),
    m.country ?? null,
    m.campaignId ?? null,
    stableHash(m.body),
  ];
}

export const EVENT_COLUMNS = ['message_id', 'type', 'status', 'at', 'provider', 'detail'] as const;

export function eventValues(e: MessageEvent): unknown[] {
  return [e.messageId, e.type, e.status, e.at, e.provider, e.detail === null ? null : JSON.stringify(e.detail)];
}

export const JOB_COLUMNS = ['message_id', 'visible_at', 'attempts', 'lease_token'] as const;

/** The `accepted` event is not stored: it is the message row itself (created_at, send_at). */
export function acceptedEvent(m: Message): MessageEvent {
  return {
    messageId: m.id,
    type: 'accepted',
    status: m.sendAt === null ? 'queued' : 'scheduled',
    at: m.createdAt,
    provider: null,
    detail: m.sendAt === null ? null : { sendAt: new Date(m.sendAt).toISOString() },
  };
}

type PayloadColumns =
  | 'channel'
  | 'purpose'
  | 'to'
  | 'from'
  | 'body'
  | 'encoding'
  | 'segments'
  | 'template'
  | 'template_version'
  | 'variant'
  | 'locale'
  | 'template_data'
  | 'fallback'
  | 'contacts';

/** What a worker needs to send, read from a message row (also from the claim's join). */
export function toDispatchPayload(r: Pick<Selectable<MessagesTable>, PayloadColumns>): DispatchPayload {
  return {
    channel: r.channel as Channel,
    purpose: r.purpose as Purpose,
    to: r.to,
    from: r.from,
    body: r.body,
    encoding: r.encoding as Encoding,
    segments: Number(r.segments),
    template:
      r.template === null
        ? null
        : {
            name: r.template,
            version: Number(r.template_version),
            variant: r.variant,
            locale: r.locale ?? 'default',
            data: r.template_data === null ? {} : (JSON.parse(r.template_data) as Record<string, unknown>),
          },
    fallback: r.fallback === null ? [] : (JSON.parse(r.fallback) as Channel[]),
    contacts: r.contacts === null ? null : (JSON.parse(r.contacts) as Contacts),
  };
}

const money = (amount: number | null, currency: string | null): Money | null =>
  amount === null || currency === null ? null : { amount: Number(amount), currency };

export function fromMessageRow(r: Selectable<MessagesTable>): Message {
  return {
    id: r.id,
    apiKeyId: r.api_key_id,
    ...toDispatchPayload(r),
    status: r.status as MessageStatus,
    provider: r.provider,
    providerMessageId: r.provider_message_id,
    reference: r.reference,
    metadata: r.metadata === null ? null : (JSON.parse(r.metadata) as Record<string, unknown>),
    sendAt: r.send_at === null ? null : Number(r.send_at),
    attempts: Number(r.attempts),
    errorCode: r.error_code,
    errorMessage: r.error_message,
    cost: money(r.cost, r.cost_currency),
    price: money(r.price, r.price_currency),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function fromEventRow(r: Selectable<MessageEventsTable>): MessageEvent {
  return {
    messageId: r.message_id,
    type: r.type as MessageEvent['type'],
    status: r.status as MessageStatus | null,
    at: Number(r.at),
    provider: r.provider,
    detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
  };
}

/** Multi-row inserts stay under every engine's bound-parameter limit (SQLite: 32,766). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
