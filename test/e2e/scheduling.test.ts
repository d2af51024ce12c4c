/**
 * The scheduling engine: a scheduled message fires once, not before its `sendAt` and within about
 * a second after it, on every queue (embedded, BullMQ); a canceled one never fires and its
 * replacement fires once; and a large backlog of future messages changes neither, because the
 * claim and the "when is the next one due" queries walk the `jobs_visible_at` index (checked with
 * the engines' own EXPLAIN) and the worker keeps nothing per scheduled message in memory.
 * Timing is asserted here, in an end-to-end suite, with a margin for a loaded machine.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobOutcome } from '../../src/ports/job-queue.js';
import { EmbeddedQueue } from '../../src/queue/embedded-queue.js';
import { MESSAGE_COLUMNS } from '../../src/storage/rows.js';
import { storageBackends } from '../support/backends.js';
import { makeMessage, memoryRepositories } from '../support/messages.js';
import { queueBackends, silent, type QueueFixture } from '../support/queue-backends.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How late a due job may start on a loaded 2-core test machine; the design target is ~1 s. */
const LATE_MS = 1_500;

async function until(cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}

describe.each(await queueBackends())('scheduled jobs on $name', (backend) => {
  let f: QueueFixture;
  afterEach(() => f.close());

  async function schedule(sendAt: number) {
    const m = makeMessage({ status: 'scheduled', sendAt, createdAt: Date.now() });
    await f.repo.accept([m], null);
    f.queue.announce([m.id]);
    return m;
  }

  function run() {
    const fired: { id: string; at: number }[] = [];
    f.queue.process(
      async (job): Promise<JobOutcome> => {
        fired.push({ id: job.id, at: Date.now() });
        return { type: 'done' };
      },
      { concurrency: 8 },
    );
    return fired;
  }

  it('fires each scheduled job once, not before its time, and within about a second of it', async () => {
    // Production's poll: the worker must wake for the due time, not find the job on a poll.
    f = await backend.open({ pollMs: 1_000 });
    const base = Date.now() + 1_500;
    const ms = [];
    for (let i = 0; i < 10; i++) ms.push(await schedule(base + i * 150));
    const fired = run();
    await until(() => fired.length >= ms.length);
    await sleep(500);
    expect(fired.map((x) => x.id).sort()).toEqual(ms.map((m) => m.id).sort());
    const late = ms.map((m) => fired.find((x) => x.id === m.id)!.at - m.sendAt!);
    console.info(`scheduling (${backend.name}): lateness ms ${late.join(', ')}`);
    for (const l of late) {
      expect(l).toBeGreaterThanOrEqual(-20); // timers may round a few ms early, never more
      expect(l).toBeLessThanOrEqual(LATE_MS);
    }
  });

  it('never fires a canceled scheduled job; its replacement (a moved reminder) fires once', async () => {
    f = await backend.open({ pollMs: 1_000 });
    const old = await schedule(Date.now() + 800);
    expect(await f.repo.cancel(old.id, Date.now())).toBe('canceled');
    const moved = await schedule(Date.now() + 1_200);
    const fired = run();
    await until(() => fired.length >= 1);
    await sleep(1_500);
    expect(fired.map((x) => x.id)).toEqual([moved.id]);
  });

  it(
    // On BullMQ this is what keeps Redis small: the row stays in the database's outbox, not in Redis.
    'keeps a job due in an hour in the database until it comes near, and a cancel simply deletes it',
    async () => {
      f = await backend.open({ pollMs: 100 });
      const later = await schedule(Date.now() + 3_600_000);
      const soon = await schedule(Date.now() + 200);
      const fired = run();
      await until(() => fired.length >= 1);
      await sleep(300); // a few sweeps
      expect(fired.map((x) => x.id)).toEqual([soon.id]);
      // Still a row in the database (on BullMQ: an outbox row never copied to Redis).
      expect(await f.jobs.depth()).toBe(1);
      expect(await f.repo.cancel(later.id, Date.now())).toBe('canceled');
      expect(await f.jobs.depth()).toBe(0);
    },
  );
});

const BACKLOG = 100_000;

describe.each(await storageBackends())('a backlog of 100,000 future scheduled messages on $name', (storage) => {
  it('uses the visible_at index to claim and to find the next due time, and fires a due job on time', async () => {
    const { storage: db, repo, jobs } = await memoryRepositories(storage);
    const queue = new EmbeddedQueue(jobs, {
      clock: { now: () => Date.now() },
      logger: silent,
      leaseMs: 30_000,
      pollMs: 1_000,
      claimBatch: 50,
    });
    try {
      const farAway = Date.now() + 30 * 86_400_000;
      const template = makeMessage({ status: 'scheduled', sendAt: farAway, createdAt: Date.now() });
      await repo.accept([template], null);
      const others = MESSAGE_COLUMNS.filter((c) => c !== 'id' && c !== 'send_at').map((c) => sql.ref(c));
      const cols = sql.join(others);
      const series =
        storage.name === 'postgres'
          ? sql`generate_series(1, ${BACKLOG}) as n(i)`
          : sql`(with recursive s(i) as (select 1 union all select i + 1 from s where i < ${BACKLOG}) select i from s) as n`;
      await sql`insert into messages (id, send_at, ${cols})
        select 'msg_backlog_' || n.i, cast(${farAway} as bigint) + n.i, ${cols} from ${series}, messages where messages.id = ${template.id}`.execute(
        db.db,
      );
      await sql`insert into jobs (message_id, visible_at, attempts, lease_token)
        select 'msg_backlog_' || n.i, cast(${farAway} as bigint) + n.i, 0, null from ${series}`.execute(db.db);
      await sql`analyze`.execute(db.db);
      expect(await jobs.depth()).toBe(BACKLOG + 1);

      // The statements of JobRepository.claim and nextVisibleAt, as the engine sees them.
      const claim = sql`select jobs.message_id, messages.status from jobs
        inner join messages on messages.id = jobs.message_id
        where jobs.visible_at <= ${Date.now()} order by jobs.visible_at limit 50`;
      const next = sql`select visible_at from jobs order by visible_at limit 1`;
      const plan = async (q: typeof next): Promise<string> => {
        const explain = storage.name === 'postgres' ? sql`explain ${q}` : sql`explain query plan ${q}`;
        const rows = (await explain.execute(db.db)).rows as Record<string, unknown>[];
        return rows.map((r) => String(r['QUERY PLAN'] ?? r['detail'])).join('\n');
      };
      for (const q of [claim, next]) {
        const p = await plan(q);
        expect(p, p).toMatch(/jobs_visible_at/);
        expect(p, p).not.toMatch(/Seq Scan on jobs|SCAN jobs(?! USING)|TEMP B-TREE/);
      }

      const fired: { id: string; at: number }[] = [];
      queue.process(async (job) => (fired.push({ id: job.id, at: Date.now() }), { type: 'done' }), {
        concurrency: 8,
      });
      const due = makeMessage({ status: 'scheduled', sendAt: Date.now() + 1_500, createdAt: Date.now() });
      await repo.accept([due], null);
      queue.announce([due.id]);
      await until(() => fired.length >= 1);
      await sleep(300);
      expect(fired.map((x) => x.id)).toEqual([due.id]);
      const late = fired[0]!.at - due.sendAt!;
      console.info(`scheduling backlog (${storage.name}): due job fired ${late} ms after sendAt`);
      expect(late).toBeGreaterThanOrEqual(-20);
      expect(late).toBeLessThanOrEqual(LATE_MS);
      expect(await jobs.depth()).toBe(BACKLOG + 1);
    } finally {
      await queue.close();
      await db.close();
    }
  }, 120_000);
});
