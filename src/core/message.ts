/**
 * @module core/message
 * The message as the domain sees it: what was asked for, where it stands, and what it cost.
 */
import type { Money } from './pricing.js';
export type Channel = 'sms' | 'voice' | 'email' | 'push';
export const CHANNELS: readonly Channel[] = ['sms', 'voice', 'email', 'push'];

/** Why a message is sent; later issues hang limits, quiet hours and opt-out policy on it. */
export type Purpose = 'transactional' | 'otp' | 'marketing';
export const PURPOSES: readonly Purpose[] = ['transactional', 'otp', 'marketing'];

export type Encoding = 'GSM-7' | 'UCS-2';

/** A Web Push subscription as the browser gives it. */
export interface PushContact {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** Where else a recipient can be reached, for channels other than the phone. */
export interface Contacts {
  /** E.164, for `sms` and `voice`. */
  phone?: string;
  email?: string;
  push?: PushContact;
}

/** Which template, version and variant a message was rendered from, and with what. */
export interface MessageTemplate {
  name: string;
  version: number;
  /** The A/B variant chosen for this message, or null when the template has none. */
  variant: string | null;
  /** The template locale used (`default` when none matched). */
  locale: string;
  data: Record<string, unknown>;
}

export type MessageStatus =
  'queued' | 'scheduled' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'canceled';

export interface Message {
  id: string;
  channel: Channel;
  purpose: Purpose;
  to: string;
  from: string | null;
  body: string;
  encoding: Encoding;
  segments: number;
  status: MessageStatus;
  provider: string | null;
  providerMessageId: string | null;
  reference: string | null;
  metadata: Record<string, unknown> | null;
  sendAt: number | null;
  attempts: number;
  errorCode: string | null;
  errorMessage: string | null;
  apiKeyId: string | null;
  template: MessageTemplate | null;
  /** Channels still to try, in order, if this one fails or is not delivered in time. */
  fallback: Channel[];
  contacts: Contacts | null;
  /** Expected cost at acceptance (price table × segments), or null when unpriced. */
  cost: Money | null;
  /** What the provider says it charged, once it says. */
  price: Money | null;
  /** Set at acceptance when smart encoding ran: segments it saved. Reported once, not stored. */
  segmentsSaved?: number;
  /** Destination country of the number (ISO 3166 alpha-2), set at acceptance for analytics. Write-only. */
  country?: string | null;
  /** Tracked short links that replaced URLs in the body, stored with the message. Write-only. */
  links?: TrackedLink[];
  /** The campaign that made it (set by the campaign runner). Write-only. */
  campaignId?: string | null;
  createdAt: number;
  updatedAt: number;
}

/** A URL of a message body replaced by `{domain}/l/{code}`: a click is recorded, then redirected. */
export interface TrackedLink {
  code: string;
  url: string;
}

export type MessageEventType =
  | 'accepted'
  | 'attempt_failed'
  | 'status'
  | 'status_ignored'
  | 'canceled'
  /** The message moved to its next channel (detail: from, to, reason). */
  | 'fallback'
  /** The recipient answered (detail: inbound id, text, keyword, intent, sentiment). */
  | 'reply';

/** One line of a message's history. Every status change appends one; nothing is rewritten. */
export interface MessageEvent {
  messageId: string;
  type: MessageEventType;
  status: MessageStatus | null;
  at: number;
  provider: string | null;
  detail: Record<string, unknown> | null;
}
