import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from './connect.js';
import { checkpointOnce, leaveCheckpointsToBackground, runBackgroundCheckpoints } from './wal-checkpoints.js';

/**
 * Writes about `pages` pages of WAL (4 KiB each), one commit each, and lets timers run every 50
 * (SQLite calls resolve without leaving the microtask queue, as a busy server's would not).
 */
async function writePages(s: Storage, pages: number): Promise<void> {
  await sql`create table if not exists filler (id integer primary key, data blob)`.execute(s.db);
  for (let i = 0; i < pages; i++) {
    await sql`insert into filler (data) values (randomblob(3500))`.execute(s.db);
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 1));
  }
}

describe('WAL checkpoints off the write path', () => {
  const opened: Storage[] = [];
  const open = async (): Promise<Storage> => {
    const s = openStorage(`sqlite:${join(mkdtempSync(join(tmpdir(), 'tidings-wal-')), 'db.sqlite')}`);
    opened.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  it('by default a commit checkpoints once the WAL passes 1,000 pages', async () => {
    const s = await open();
    await writePages(s, 1_500);
    // The WAL restarted after the automatic checkpoint: far fewer pages than were written.
    expect(checkpointOnce(s)!.walPages).toBeLessThan(1_000);
  });

  it('left to the background, commits let the WAL grow, and a background checkpoint copies it all', async () => {
    const s = await open();
    leaveCheckpointsToBackground(s);
    await writePages(s, 1_500);
    const first = checkpointOnce(s)!;
    expect(first.walPages).toBeGreaterThanOrEqual(1_500);
    expect(first.checkpointed).toBe(first.walPages);
    // The next commit starts the WAL again from its beginning.
    await writePages(s, 10);
    expect(checkpointOnce(s)!.walPages).toBeLessThan(100);
  });

  it('a second connection checkpoints while this one writes, and the data is all there', async () => {
    const writer = await open();
    await writer.migrate();
    const path = writer.location.replace(/^sqlite:/, '');
    const other = openStorage(`sqlite:${path}`);
    opened.push(other);
    leaveCheckpointsToBackground(writer);
    const background = runBackgroundCheckpoints(other, pino({ level: 'silent' }) as never, 5);
    try {
      await writePages(writer, 2_000);
      await new Promise((r) => setTimeout(r, 50));
      const rows = await sql<{ n: number }>`select count(*) as n from filler`.execute(other.db);
      expect(rows.rows[0]?.n).toBe(2_000);
    } finally {
      background.stop();
    }
    // The background checkpoints kept the WAL short although the writer never checkpointed.
    expect(checkpointOnce(other)!.walPages).toBeLessThan(1_500);
  });
});
