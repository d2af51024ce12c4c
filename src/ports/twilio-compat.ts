/**
 * @module ports/twilio-compat
 * What the Twilio-compatible API keeps: the credentials Tidings issues (an Account SID and Auth
 * Token, as Twilio's own code expects them), which messages were sent through which of them and
 * with what StatusCallback, and the Message rows the compat reads need.
 *
 * The auth token is kept twice: as a SHA-256 for checking a presented token (the same scheme as
 * API keys), and as is, because Twilio signs callbacks with the auth token itself and a receiver's
 * `validateRequest(authToken, …)` must keep working unchanged. See docs/twilio-compat.md.
 */
import type { MessageStatus } from '../core/message.js';
import type { AppEventType } from './app-events.js';
import type { WebhookDeliveryStore } from './webhook-deliveries.js';

export type TwilioCompatRole = 'send' | 'read';

export interface TwilioCompatAccount {
  /** `AC` + 32 hex: the Account SID the caller's code passes as username and in the path. */
  sid: string;
  name: string;
  role: TwilioCompatRole;
  /** Hex SHA-256 of the auth token. */
  tokenHash: string;
  createdAt: number;
  revokedAt: number | null;
}

export interface TwilioCompatAccountStore {
  insert(account: TwilioCompatAccount, authToken: string): Promise<void>;
  find(sid: string): Promise<TwilioCompatAccount | null>;
  list(): Promise<TwilioCompatAccount[]>;
  revoke(sid: string, at: number): Promise<boolean>;
  /**
   * Whether any account was ever issued: until one is, status changes need no compat lookup at all.
   * May answer false for up to a second after another process issued the first one.
   */
  anyIssued(): Promise<boolean>;
}

/** A message sent through the compat API: whose it is and where its status callbacks go. */
export interface TwilioCompatRegistration {
  messageId: string;
  accountSid: string;
  statusCallback: string | null;
  messagingServiceSid: string | null;
  createdAt: number;
}

/** The columns of a message the Message resource is made of, plus when it was sent. */
export interface TwilioCompatMessageRow {
  id: string;
  accountSid: string;
  messagingServiceSid: string | null;
  to: string;
  from: string | null;
  body: string;
  status: MessageStatus;
  segments: number;
  errorCode: string | null;
  errorMessage: string | null;
  price: { amount: number; currency: string } | null;
  cost: { amount: number; currency: string } | null;
  /** When a provider first took it (the `sent` status), or null. */
  sentAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface TwilioCompatListFilter {
  accountSid: string;
  to?: string;
  from?: string;
  /** Sent at or after (epoch ms, inclusive). */
  sentFrom?: number;
  /** Sent before (epoch ms, exclusive). */
  sentBefore?: number;
  /** Messages with ids strictly before this one (newest first). */
  beforeId?: string;
  /** Messages with ids strictly after this one: the `limit` oldest of them, still returned newest first. */
  afterId?: string;
  limit: number;
}

export interface TwilioCompatMessageStore {
  /** Written before the message itself, so no accepted message is ever without its registration. */
  register(registration: TwilioCompatRegistration): Promise<void>;
  /** Drops the record of a message that acceptance refused. */
  unregister(messageId: string): Promise<void>;
  /** The registrations among these message ids that asked for status callbacks. */
  callbacksFor(messageIds: readonly string[]): Promise<TwilioCompatRegistration[]>;
  get(accountSid: string, messageId: string): Promise<TwilioCompatMessageRow | null>;
  /** Newest first. */
  list(filter: TwilioCompatListFilter): Promise<TwilioCompatMessageRow[]>;
}

/** One status callback to deliver: the form body is built (and stored) when the status changes. */
export interface NewTwilioCallback {
  id: string;
  accountSid: string;
  messageId: string;
  url: string;
  eventType: AppEventType;
  /** The exact form-encoded body the receiver gets (and the signature covers). */
  payload: string;
  createdAt: number;
}

/**
 * The outbox of status callbacks, leased and completed exactly as the application's webhook
 * deliveries are, so the same delivery loop (retries, timeouts, bounded concurrency) serves both.
 * A leased callback's `secret` is the account's auth token and its `endpointId` the Account SID.
 */
export interface TwilioCallbackStore extends Pick<WebhookDeliveryStore, 'claim' | 'complete' | 'prune'> {
  enqueue(callbacks: NewTwilioCallback[]): Promise<void>;
}
