/**
 * @module ports/banned-word-store
 * The banned-word list managed through the API. The operator's file list is read at start and is
 * not stored here; the two are combined into one filter.
 */
import type { Purpose } from '../core/message.js';

export interface StoredBannedTerm {
  term: string;
  /** The purposes the term applies to, or `all`. */
  purposes: readonly Purpose[] | 'all';
}

export interface BannedWordStore {
  list(): Promise<StoredBannedTerm[]>;
  /** Changes whenever the list does; cheap, so other processes can poll it. */
  version(): Promise<string>;
  /** Replaces the whole API-managed list in one transaction. */
  replace(terms: readonly StoredBannedTerm[], at: number): Promise<void>;
}
