/**
 * @module ports/message-store
 * Where messages and their history live. Acceptance writes the message, its first event, its
 * dispatch job and the idempotency record in one transaction, so a crash can lose none of them
 * without losing all of them.
 */
import type { Message, MessageEvent, MessageStatus } from '../core/message.js';
import type { Money } from '../core/pricing.js';
import type { StatusEvent } from '../core/status-event.js';

export interface IdempotencyRecord {
  /** Who used the key (API key id): keys of different callers never collide. */
  scope: string;
  key: string;
  /** Hash of the request (method, path, body) the key was first used with. */
  requestHash: string;
  statusCode: number;
  responseBody: string;
}

/** A message the store's duplicate guard refused: its index in the accepted list, and when the message it repeats was accepted (null: earlier in the same write). */
export interface Repeat {
  index: number;
  earlierAt: number | null;
}

export type AcceptOutcome =
  /**
   * Stored, but for the `duplicates`, which the store's own duplicate guard refused: nothing of
   * theirs is stored, and when that is every message, neither is the idempotency record.
   */
  | { kind: 'stored'; duplicates?: readonly Repeat[] }
  /** The key was already used; the stored record decides between replay and conflict. */
  | { kind: 'existing'; record: IdempotencyRecord };

/**
 * Asks the store to refuse, inside the accepting transaction, the messages that repeat one stored
 * within `windowMs` (the duplicate rule; see `guardsDuplicates`).
 */
export interface DuplicateGuard {
  windowMs: number;
  now: number;
  /** The idempotency record to store instead, when some (not all) messages are refused. */
  recordWithout?: (duplicates: readonly Repeat[]) => IdempotencyRecord;
}

export interface MessageFilter {
  status?: MessageStatus;
  to?: string;
  reference?: string;
  since?: number;
  /** Created strictly before this time. */
  until?: number;
  /** Rendered from this template (its name). */
  template?: string;
  /** Return messages with ids strictly before this one (ids sort by creation time). */
  before?: string;
  limit: number;
}

export interface SentUpdate {
  id: string;
  provider: string;
  providerMessageId: string;
  status: 'sent' | 'queued';
  attempt: number;
  at: number;
  latencyMs: number;
  /** What the provider charged, when it says at send time. */
  price?: Money | null;
  /** For a message with fallback channels: when to move on if it is still not delivered. */
  fallbackAt?: number | null;
}

export interface FallbackMove {
  id: string;
  from: string;
  to: string;
}

/** Move a message to its next fallback channel; `reason` is kept on the `fallback` event. */
export interface FallbackRequest {
  id: string;
  at: number;
  reason: Record<string, unknown>;
}

export interface AttemptFailure {
  id: string;
  provider: string;
  attempt: number;
  at: number;
  kind: string;
  errorCode: string | null;
  errorMessage: string;
  /** Set when the message will be tried again; absent when this failure is final. */
  retryAt?: number;
}

export type CancelOutcome = 'canceled' | 'not_found' | 'not_pending';

export interface StatusApplied {
  messageId: string;
  /** The report's own id for the message, so a caller can tell which reports matched nothing. */
  providerMessageId: string;
  provider: string | null;
  channel: string;
  status: MessageStatus;
  applied: boolean;
}

export interface MessageStore {
  /**
   * True where the store answers the duplicate rule from the messages it holds, race-free (the
   * embedded mode, whose writers take turns): acceptance then asks `findDuplicates` instead of
   * counting each text in the limit counter, and passes a DuplicateGuard to `accept`.
   */
  readonly guardsDuplicates: boolean;
  /** Per message, when the newest stored message it repeats was accepted (within the window), or null. */
  findDuplicates(messages: readonly Message[], windowMs: number, now: number): Promise<Array<number | null>>;
  accept(messages: Message[], idempotency: IdempotencyRecord | null, guard?: DuplicateGuard): Promise<AcceptOutcome>;
  findIdempotency(scope: string, key: string): Promise<IdempotencyRecord | null>;
  get(id: string): Promise<Message | null>;
  events(id: string): Promise<MessageEvent[]>;
  list(filter: MessageFilter): Promise<Message[]>;
  cancel(id: string, at: number): Promise<CancelOutcome>;
  /** Cancels every pending message with this reference that no worker holds; returns their ids. */
  cancelByReference(reference: string, at: number): Promise<string[]>;
  /** Cancels every pending message a campaign made that no worker holds; returns their ids. */
  cancelByCampaign(campaignId: string, at: number): Promise<string[]>;
  recordSent(update: SentUpdate): Promise<void>;
  recordFailure(failure: AttemptFailure): Promise<void>;
  /**
   * Moves each message that still has a fallback channel (and is not delivered or canceled) to
   * that channel, queued, with a fresh job. Returns the ids that moved.
   */
  fallBack(requests: FallbackRequest[]): Promise<FallbackMove[]>;
  /** Sent messages whose delivery deadline passed while they still have a fallback channel. */
  dueForFallback(now: number, limit: number): Promise<string[]>;
  /** Applies provider reports monotonically; reports for unknown ids are skipped (and left out of the result). */
  applyStatus(provider: string, events: StatusEvent[]): Promise<StatusApplied[]>;
}
