/**
 * @module app/content-filter
 * The banned-word check every message passes before it is stored. The operator's file list and
 * the API-managed list are compiled into one matcher, swapped atomically when either changes, so
 * a check never sees half a list. The dispatch thread is told of API changes at once (`onChange`,
 * main/dispatch-thread); other processes pick them up by polling a cheap version.
 */
import { TidingsError } from '../core/errors.js';
import type { Purpose } from '../core/message.js';
import { compileBannedWords, type BannedTerm, type BannedWordFilter } from '../content/banned-words.js';
import type { BannedWordStore, StoredBannedTerm } from '../ports/banned-word-store.js';

export class ContentFilter {
  private filter: BannedWordFilter;
  private stored: StoredBannedTerm[] = [];
  private seenVersion = '';
  private readonly changeListeners: Array<() => void> = [];

  constructor(
    private readonly store: BannedWordStore,
    private readonly fileTerms: readonly BannedTerm[],
  ) {
    this.filter = compileBannedWords(fileTerms);
  }

  /** Throws `content_rejected` naming the term. The caller learns it; the recipient never does. */
  check(text: string, purpose: Purpose, field = 'body'): void {
    const hit = this.filter.find(text, purpose);
    if (hit) throw new TidingsError('content_rejected', `The message contains the banned term "${hit.term}".`, field);
  }

  /** The first banned term in `text`, for previews. */
  find(text: string, purpose: Purpose): string | null {
    return this.filter.find(text, purpose)?.term ?? null;
  }

  lists(): { file: readonly BannedTerm[]; api: readonly StoredBannedTerm[] } {
    return { file: this.fileTerms, api: this.stored };
  }

  /** Reloads the API list if another process changed it. */
  async refresh(): Promise<void> {
    const version = await this.store.version();
    if (version === this.seenVersion) return;
    const stored = await this.store.list();
    this.filter = compileBannedWords([...this.fileTerms, ...stored]);
    this.stored = stored;
    this.seenVersion = version;
  }

  /** Replaces the API list; compiles first, so a list that cannot compile is refused, not stored. */
  async replace(terms: readonly StoredBannedTerm[], at: number): Promise<void> {
    const unique = [...new Map(terms.map((t) => [t.term, t])).values()];
    let filter: BannedWordFilter;
    try {
      filter = compileBannedWords([...this.fileTerms, ...unique]);
    } catch (err) {
      throw new TidingsError('validation_failed', err instanceof Error ? err.message : String(err), 'terms');
    }
    await this.store.replace(unique, at);
    this.filter = filter;
    this.stored = unique;
    this.seenVersion = await this.store.version();
    for (const listener of this.changeListeners) listener();
  }

  /** Called after each replace this runtime stores, so that another copy can refresh at once. */
  onChange(listener: () => void): void {
    this.changeListeners.push(listener);
  }
}
