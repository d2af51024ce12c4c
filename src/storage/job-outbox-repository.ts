/**
 * @module storage/job-outbox-repository
 * The jobs table as the Redis queue's outbox (see ports/job-outbox). A relay pass is its own
 * transaction, apart from the shared group commit, because it waits on Redis while it holds its
 * rows: on PostgreSQL the rows are locked as they are picked and rows another relay holds are
 * skipped (`FOR UPDATE SKIP LOCKED`), so relays in several processes share the work without
 * waiting for each other. A start goes through the group commit like any hot write, and starts
 * that arrive together share one statement.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Job } from '../ports/job-queue.js';
import type { JobOutbox, OutboxEntry, OutboxPosition } from '../ports/job-outbox.js';
import { Coalescer } from './coalesce.js';
import type { StorageHandle } from './handle.js';
import { JobRepository } from './job-repository.js';
import { chunk, toDispatchPayload } from './rows.js';
import type { Database } from './schema.js';
import { isDispatchable, markSending } from './sending.js';
import { paddedInList } from './statement-shapes.js';

interface StartItem {
  id: string;
  attempt: number;
  now: number;
}

export class JobOutboxRepository implements JobOutbox {
  private readonly db: Kysely<Database>;
  private readonly jobs: JobRepository;
  private readonly starts = new Coalescer<StartItem, Job | null>((items) =>
    this.storage.writes.run((tx) => this.startMany(tx, items)),
  );

  constructor(private readonly storage: StorageHandle) {
    this.db = storage.db;
    this.jobs = new JobRepository(storage);
  }

  relay(
    opts: { ids?: readonly string[]; limit: number; after?: OutboxPosition; dueBy?: number },
    move: (entries: OutboxEntry[]) => Promise<string[]>,
  ): Promise<OutboxEntry[]> {
    const { ids, limit, after, dueBy } = opts;
    if (limit <= 0 || ids?.length === 0) return Promise.resolve([]);
    return this.db.transaction().execute(async (tx) => {
      const rows = await tx
        .selectFrom('jobs')
        .select(['message_id', 'visible_at', 'attempts'])
        .$if(ids !== undefined, (q) => q.where('message_id', 'in', paddedInList(ids ?? [])))
        .$if(dueBy !== undefined, (q) => q.where('visible_at', '<=', dueBy ?? 0))
        .$if(after !== undefined, (q) =>
          q.where((eb) =>
            eb.or([
              eb('visible_at', '>', after?.dueAt ?? 0),
              eb.and([eb('visible_at', '=', after?.dueAt ?? 0), eb('message_id', '>', after?.id ?? '')]),
            ]),
          ),
        )
        .orderBy('visible_at')
        .orderBy('message_id')
        .limit(limit)
        .$if(this.storage.dialect === 'postgres', (q) => q.forUpdate().skipLocked())
        .execute();
      if (rows.length === 0) return [];
      const entries = rows.map((r) => ({
        id: r.message_id,
        attempt: Number(r.attempts) + 1,
        dueAt: Number(r.visible_at),
      }));
      const moved = await move(entries);
      for (const part of chunk(moved, 1_024)) {
        await tx.deleteFrom('jobs').where('message_id', 'in', paddedInList(part)).execute();
      }
      return entries;
    });
  }

  start(job: { id: string; attempt: number }, now: number): Promise<Job | null> {
    return this.starts.submit({ ...job, now });
  }

  async requeue(id: string, now: number): Promise<void> {
    await this.storage.writes.run((tx) =>
      tx
        .updateTable('messages')
        .set({ status: 'queued', updated_at: now })
        .where('id', '=', id)
        .where('status', '=', 'sending')
        .execute(),
    );
  }

  depth(): Promise<number> {
    return this.jobs.depth();
  }

  private async startMany(tx: Transaction<Database>, items: StartItem[]): Promise<Array<Job | null>> {
    const rows = await tx
      .selectFrom('messages')
      .select([
        'id',
        'status',
        'channel',
        'purpose',
        'to',
        'from',
        'body',
        'encoding',
        'segments',
        'template',
        'template_version',
        'variant',
        'locale',
        'template_data',
        'fallback',
        'contacts',
      ])
      .where('id', 'in', paddedInList([...new Set(items.map((i) => i.id))]))
      // Locked in id order, like every bulk update, so a cancel or a fallback in another process waits for this start.
      .$if(this.storage.dialect === 'postgres', (q) => q.orderBy('id').forUpdate())
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const starting = new Map<string, StartItem>();
    for (const i of items) {
      const status = byId.get(i.id)?.status;
      if (status === 'queued' || status === 'scheduled') starting.set(i.id, i);
    }
    await markSending({ tx, dialect: this.storage.dialect }, [...starting.values()], items[0]?.now ?? 0);
    return items.map((i): Job | null => {
      const row = byId.get(i.id);
      return row && isDispatchable(row.status) ? { id: i.id, attempt: i.attempt, data: toDispatchPayload(row) } : null;
    });
  }
}
