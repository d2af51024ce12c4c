/**
 * @module storage/job-repository
 * The embedded queue's table. A claim is one transaction: pick the due jobs in due-time order,
 * drop any whose message already reached a final state (a crash between finishing a message and
 * deleting its job leaves such rows), lease the rest and mark their messages `sending`.
 * On PostgreSQL several worker processes claim from one table: the due rows are locked as they
 * are picked and rows another claimer holds are skipped (`FOR UPDATE SKIP LOCKED`), so no job is
 * leased twice and no claimer waits for another. SQLite has one writer, so it needs neither.
 */
import type { Kysely } from 'kysely';
import type { JobCompletion, JobStore, LeasedJob } from '../ports/job-store.js';
import type { StorageHandle } from './handle.js';
import { chunk, toDispatchPayload } from './rows.js';
import { isDispatchable, markSending } from './sending.js';
import { paddedInList } from './statement-shapes.js';
import type { Database } from './schema.js';

export class JobRepository implements JobStore {
  private readonly db: Kysely<Database>;

  constructor(private readonly storage: StorageHandle) {
    this.db = storage.db;
  }

  async claim(opts: { limit: number; now: number; leaseMs: number; leaseToken: string }): Promise<LeasedJob[]> {
    const { limit, now, leaseMs, leaseToken } = opts;
    if (limit <= 0) return [];
    return this.storage.writes.run(async (tx) => {
      const due = await tx
        .selectFrom('jobs')
        .innerJoin('messages', 'messages.id', 'jobs.message_id')
        .select([
          'jobs.message_id as id',
          'jobs.attempts as attempts',
          'messages.status as status',
          'messages.channel as channel',
          'messages.purpose as purpose',
          'messages.to as to',
          'messages.from as from',
          'messages.body as body',
          'messages.encoding as encoding',
          'messages.segments as segments',
          'messages.template as template',
          'messages.template_version as template_version',
          'messages.variant as variant',
          'messages.locale as locale',
          'messages.template_data as template_data',
          'messages.fallback as fallback',
          'messages.contacts as contacts',
        ])
        .where('jobs.visible_at', '<=', now)
        .orderBy('jobs.visible_at')
        .limit(limit)
        .$if(this.storage.dialect === 'postgres', (q) => q.forUpdate('jobs').skipLocked())
        .execute();
      if (due.length === 0) return [];

      const live = due.filter((j) => isDispatchable(j.status));
      const stale = due.filter((j) => !isDispatchable(j.status)).map((j) => j.id);
      if (stale.length > 0) await tx.deleteFrom('jobs').where('message_id', 'in', paddedInList(stale)).execute();
      if (live.length === 0) return [];

      const ids = live.map((j) => j.id);
      await tx
        .updateTable('jobs')
        .set((eb) => ({ visible_at: now + leaseMs, lease_token: leaseToken, attempts: eb('attempts', '+', 1) }))
        .where('message_id', 'in', paddedInList(ids))
        .execute();
      // Only a still-pending message starts sending (on PostgreSQL its row is not locked by the pick).
      await markSending(
        { tx, dialect: this.storage.dialect },
        live.filter((j) => j.status !== 'sending').map((j) => ({ id: j.id, attempt: Number(j.attempts) + 1 })),
        now,
      );
      return live.map((j) => ({
        id: j.id,
        attempt: Number(j.attempts) + 1,
        leaseToken,
        data: toDispatchPayload(j),
      }));
    });
  }

  async complete(completions: JobCompletion[], now: number): Promise<void> {
    if (completions.length === 0) return;
    // Finished jobs go in one statement per lease holder; retries each get their own due time.
    const done = new Map<string, string[]>();
    for (const c of completions) {
      if (c.outcome.type !== 'done') continue;
      const ids = done.get(c.leaseToken);
      if (ids) ids.push(c.id);
      else done.set(c.leaseToken, [c.id]);
    }
    await this.storage.writes.run(async (tx) => {
      for (const [token, ids] of done) {
        for (const part of chunk(ids, 1_024)) {
          await tx
            .deleteFrom('jobs')
            .where('message_id', 'in', paddedInList(part))
            .where('lease_token', '=', token)
            .execute();
        }
      }
      const deferred: string[] = [];
      for (const c of completions) {
        const outcome = c.outcome;
        if (outcome.type === 'done') continue;
        // A deferred job did not try: the claim's attempt is given back.
        const defer = outcome.type === 'defer';
        const moved = await tx
          .updateTable('jobs')
          .set((eb) => ({
            visible_at: now + outcome.delayMs,
            lease_token: null,
            ...(defer ? { attempts: eb('attempts', '-', 1) } : {}),
          }))
          .where('message_id', '=', c.id)
          .where('lease_token', '=', c.leaseToken)
          .executeTakeFirst();
        if (defer && Number(moved.numUpdatedRows) > 0) deferred.push(c.id);
      }
      // Waiting again, not being sent: `queued`, and cancelable as any queued message.
      for (const part of chunk(deferred, 1_024)) {
        await tx
          .updateTable('messages')
          .set({ status: 'queued', updated_at: now })
          .where('id', 'in', paddedInList(part))
          .where('status', '=', 'sending')
          .execute();
      }
    });
  }

  async release(ids: string[], leaseToken: string, now: number): Promise<void> {
    if (ids.length === 0) return;
    await this.storage.writes.run((tx) =>
      tx
        .updateTable('jobs')
        .set((eb) => ({ visible_at: now, lease_token: null, attempts: eb('attempts', '-', 1) }))
        .where('message_id', 'in', ids)
        .where('lease_token', '=', leaseToken)
        .execute(),
    );
  }

  async nextVisibleAt(): Promise<number | null> {
    const row = await this.db.selectFrom('jobs').select('visible_at').orderBy('visible_at').limit(1).executeTakeFirst();
    return row ? Number(row.visible_at) : null;
  }

  async depth(): Promise<number> {
    const row = await this.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
