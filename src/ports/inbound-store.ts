/**
 * @module ports/inbound-store
 * Replies from recipients, and the conversation each belongs to: the latest message we sent to
 * that number within the conversation window.
 */
import type { KeywordAction } from '../core/keywords.js';
import type { SentimentLabel } from '../core/sentiment-label.js';

export interface InboundRecord {
  id: string;
  provider: string;
  providerMessageId: string;
  from: string;
  to: string | null;
  body: string;
  receivedAt: number;
  /** The outbound message this answers, if one went to this number within the window. */
  inReplyTo: string | null;
  reference: string | null;
  keyword: KeywordAction | null;
  intent: string | null;
  sentiment: SentimentLabel | null;
  sentimentScore: number | null;
  autoReply: string | null;
}

export interface ConversationTip {
  messageId: string;
  reference: string | null;
  template: { name: string; version: number } | null;
}

export interface InboundStore {
  /**
   * Stores a reply (and a `reply` event on the message it answers, in the same transaction).
   * Returns the record already stored when the provider sent the same message before.
   */
  insert(record: InboundRecord): Promise<{ stored: boolean; record: InboundRecord }>;
  /** The latest message sent to `number` since `since`, for linking a reply. */
  lastSentTo(number: string, since: number): Promise<ConversationTip | null>;
  list(opts: { from?: string; inReplyTo?: string; before?: string; limit: number }): Promise<InboundRecord[]>;
}
