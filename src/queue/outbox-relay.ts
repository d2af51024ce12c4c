/**
 * @module queue/outbox-relay
 * Copies the jobs table (the outbox, see ports/job-outbox) into an outside queue. Announced ids are
 * relayed at once, gathered over one event-loop turn; a sweep every second relays whatever a crash
 * left behind (a process that died between its commit and its relay). Each pass adds the rows to the
 * queue and then deletes them, in one database transaction: a crash before the delete leaves the rows
 * for the next sweep, and adding a job id the queue already has changes nothing.
 *
 * One case must wait: a message whose job is running right now (it fell back to another channel
 * during its own send). Adding its id again would be swallowed as a duplicate of the running job,
 * so such rows stay until that job has finished; the queue announces them again when it has.
 */
import type { Clock } from '../ports/clock.js';
import type { JobOutbox, OutboxEntry, OutboxPosition } from '../ports/job-outbox.js';
import type { Logger } from '../ports/logger.js';

export interface RelayTarget {
  /** Of these ids, those whose job is running now. */
  running(ids: string[]): Promise<Set<string>>;
  /** Adds the jobs (job id = message id, due at `dueAt`); ids already queued are left as they are. */
  add(entries: OutboxEntry[], now: number): Promise<void>;
}

export interface OutboxRelayOptions {
  clock: Clock;
  logger: Logger;
  /** Rows per transaction. */
  batch: number;
  /** How often the whole table is swept. */
  sweepMs: number;
  /**
   * Rows due further ahead than this stay in the database until they come within it: a million
   * messages scheduled for next month cost Redis nothing until then, and a canceled one never
   * reaches Redis. Absent: every row is relayed at once, delayed in Redis until due.
   */
  horizonMs?: number;
}

export class OutboxRelay {
  private pending = new Set<string>();
  private scheduled = false;
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private failing = false;
  private closed = false;

  constructor(
    private readonly outbox: JobOutbox,
    private readonly target: RelayTarget,
    private readonly opts: OutboxRelayOptions,
  ) {}

  /** Starts the periodic sweep (and sweeps once now). */
  start(): void {
    if (this.timer || this.closed) return;
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.opts.sweepMs);
    this.timer.unref();
  }

  /** Relays these ids soon; failures are left to the sweep. */
  announce(ids: readonly string[]): void {
    if (this.closed) return;
    for (const id of ids) this.pending.add(id);
    if (this.scheduled || this.pending.size === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const ids = [...this.pending];
      this.pending = new Set();
      void this.enqueue(async () => {
        for (let i = 0; i < ids.length; i += this.opts.batch) {
          await this.pass({ ids: ids.slice(i, i + this.opts.batch), limit: this.opts.batch, ...this.dueBy() });
        }
      });
    });
  }

  /** Relays every row it can; resolves with how many it moved. */
  sweep(): Promise<number> {
    return this.enqueue(async () => {
      let moved = 0;
      let after: OutboxPosition | undefined;
      const dueBy = this.dueBy();
      for (;;) {
        const { seen, count } = await this.pass({ limit: this.opts.batch, ...dueBy, ...(after ? { after } : {}) });
        moved += count;
        const last = seen[seen.length - 1];
        if (seen.length < this.opts.batch || !last) return moved;
        after = { dueAt: last.dueAt, id: last.id };
      }
    });
  }

  /** Stops sweeping and waits for the pass in progress. */
  async stop(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.chain;
  }

  private dueBy(): { dueBy?: number } {
    const h = this.opts.horizonMs;
    return h === undefined ? {} : { dueBy: this.opts.clock.now() + h };
  }

  /** Passes run one after another: they would only wait on each other's rows anyway. */
  private enqueue(work: () => Promise<number | void>): Promise<number> {
    const run = this.chain.then(work).then(
      (n) => {
        if (this.failing) this.opts.logger.info('relaying jobs to the queue works again');
        this.failing = false;
        return n ?? 0;
      },
      (err: unknown) => {
        // Logged once per outage: the sweep retries every second while the queue is down.
        if (!this.failing) this.opts.logger.warn({ err }, 'relaying jobs to the queue failed; the sweep will retry');
        this.failing = true;
        return 0;
      },
    );
    this.chain = run;
    return run;
  }

  private async pass(opts: {
    ids?: string[];
    limit: number;
    after?: OutboxPosition;
    dueBy?: number;
  }): Promise<{ seen: OutboxEntry[]; count: number }> {
    let count = 0;
    const seen = await this.outbox.relay(opts, async (entries) => {
      const running = await this.target.running(entries.map((e) => e.id));
      const free = entries.filter((e) => !running.has(e.id));
      await this.target.add(free, this.opts.clock.now());
      count = free.length;
      return free.map((e) => e.id);
    });
    return { seen, count };
  }
}
