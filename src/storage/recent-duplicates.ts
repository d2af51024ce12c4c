/**
 * @module storage/recent-duplicates
 * The duplicate rule answered from the messages themselves, in the embedded mode: a message
 * repeats a stored one when it goes to the same number, on the same channel, with the same text,
 * accepted within the window, and (for a scheduled one) due in the same window (core/duplicate-key).
 *
 * The first read stays inside `messages_to_id` (to, id, body_hash): the ids of the window
 * (core/message-id) for each number, with their texts' hashes. Only a matching hash (or a row
 * stored before the hash existed) reads its row, to compare the text itself, so a hash collision
 * never refuses a message.
 *
 * SQLite only, on the connection's own prepared statements: synchronous, without the query
 * builder's per-query work or its wait for the connection. Inside the accepting transaction that
 * reads what the transaction sees. Outside it, a read can see the rows of a transaction still in
 * flight on this connection (the group commit spans awaits); those commit but for an I/O error.
 */
import type { Database as NativeDatabase, Statement } from 'better-sqlite3';
import { duplicateKey, type DuplicateProbe } from '../core/duplicate-key.js';
import { firstMessageIdAt } from '../core/message-id.js';
import { stableHash } from '../core/stable-hash.js';

type IndexEntry = [to: string, id: string, bodyHash: number | null];
type Row = [channel: string, to: string, body: string, sendAt: number | null, createdAt: number];

export class RecentDuplicates {
  private statements: {
    entries: Statement<[string, string], IndexEntry>;
    entriesOfMany: Statement<[string, string], IndexEntry>;
    row: Statement<[string], Row>;
  } | null = null;

  constructor(private readonly db: NativeDatabase) {}

  /** Prepared at the first use: the repository may exist before the migrations have run. */
  private prepared() {
    this.statements ??= {
      entries: this.db
        .prepare<[string, string], IndexEntry>('SELECT "to", id, body_hash FROM messages WHERE "to" = ? AND id >= ?')
        .raw(),
      // A batch's numbers in one statement (a JSON array): one call instead of one per message.
      entriesOfMany: this.db
        .prepare<[string, string], IndexEntry>(
          'SELECT "to", id, body_hash FROM messages WHERE "to" IN (SELECT value FROM json_each(?)) AND id >= ?',
        )
        .raw(),
      row: this.db
        .prepare<[string], Row>('SELECT channel, "to", body, send_at, created_at FROM messages WHERE id = ?')
        .raw(),
    };
    return this.statements;
  }

  /**
   * For each probe, the creation time of the newest stored message it repeats, accepted at or
   * after `now - windowMs`; null when there is none.
   */
  find(probes: readonly DuplicateProbe[], windowMs: number, now: number): Array<number | null> {
    const { entries, entriesOfMany, row } = this.prepared();
    const since = now - windowMs;
    const floor = firstMessageIdAt(since);
    const numbers = [...new Set(probes.map((p) => p.to))];
    const found =
      numbers.length === 1
        ? entries.all(numbers[0] as string, floor)
        : entriesOfMany.all(JSON.stringify(numbers), floor);
    const byNumber = new Map<string, IndexEntry[]>();
    for (const entry of found) {
      const list = byNumber.get(entry[0]);
      if (list) list.push(entry);
      else byNumber.set(entry[0], [entry]);
    }
    const newest = new Map<string, number>();
    const read = new Set<string>();
    const out: Array<number | null> = [];
    for (const p of probes) {
      const stored = byNumber.get(p.to);
      if (!stored) {
        out.push(null);
        continue;
      }
      const hash = stableHash(p.body);
      for (const [, id, bodyHash] of stored) {
        if ((bodyHash !== null && bodyHash !== hash) || read.has(id)) continue;
        read.add(id);
        const r = row.get(id);
        if (!r || r[4] < since) continue;
        const key = duplicateKey(
          { channel: r[0] as DuplicateProbe['channel'], to: r[1], body: r[2], sendAt: r[3] },
          windowMs,
        );
        newest.set(key, Math.max(r[4], newest.get(key) ?? -Infinity));
      }
      out.push(newest.get(duplicateKey(p, windowMs)) ?? null);
    }
    return out;
  }
}
