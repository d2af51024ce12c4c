/**
 * @module app/campaign-runner
 * The worker-side loop that sends campaigns: it takes due rows of each running campaign as fast as
 * the campaign's rate allows (the pace is kept in the database, so several worker processes share
 * one rate), holds back rows whose recipient is outside the window, and turns the rest into
 * messages through the normal acceptance. Rows are leased: a runner that dies mid-batch hands its
 * rows back when the lease runs out, and their idempotency keys stop a second message.
 */
import { windowOpensAt } from '../core/campaign.js';
import { recipientTimezone } from '../content/country-timezone.js';
import type { Campaign, CampaignStore, ClaimedRow } from '../ports/campaign-store.js';
import { acceptCampaignRows } from './accept-campaign-rows.js';
import { cancelByCampaignMessages } from './cancel-message.js';
import type { AppDeps } from './deps.js';

export interface CampaignRunnerOptions {
  /** How often the runner looks for work when it has none. */
  tickMs: number;
  /** Most rows taken in one claim. */
  batch: number;
  /** How long a claimed row stays this runner's before another may take it. */
  leaseMs: number;
}

export const DEFAULT_RUNNER_OPTIONS: CampaignRunnerOptions = { tickMs: 200, batch: 500, leaseMs: 15_000 };

/** Claims in a row for one campaign before the others get their turn. */
const CLAIMS_PER_TURN = 20;

export class CampaignRunner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly deps: AppDeps,
    private readonly store: CampaignStore,
    private readonly opts: CampaignRunnerOptions = DEFAULT_RUNNER_OPTIONS,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((err: unknown) => this.deps.logger.warn({ err }, 'campaign runner tick failed; will try again'))
        .finally(() => {
          this.running = null;
          this.schedule(this.opts.tickMs);
        });
    }, ms);
    this.timer.unref();
  }

  /** One pass over the campaigns that have work. Public for tests that drive the clock. */
  async tick(): Promise<void> {
    const now = this.deps.clock.now();
    for (const campaign of await this.store.active(now)) {
      if (this.stopped) return;
      try {
        await this.turn(campaign);
      } catch (err) {
        this.deps.logger.warn(
          { err, campaignId: campaign.id },
          'campaign batch failed; its rows return when their lease ends',
        );
      }
    }
  }

  private async turn(c: Campaign): Promise<void> {
    const { clock } = this.deps;
    if (c.status === 'scheduled' && !(await this.store.transition(c.id, ['scheduled'], 'running', clock.now()))) return;
    // A window in one named zone is the campaign's: closed, nothing is taken at all.
    if (c.window?.timezone !== undefined && windowOpensAt(c.window, c.window.timezone, clock.now()) > clock.now())
      return;
    const perClaim = Math.max(1, Math.min(this.opts.batch, Math.ceil((c.rate * this.opts.tickMs) / 1000)));
    for (let i = 0; i < CLAIMS_PER_TURN && !this.stopped; i++) {
      const now = clock.now();
      const rows = await this.store.claim(c.id, { now, max: perClaim, leaseMs: this.opts.leaseMs });
      if (rows.length === 0) {
        await this.store.completeIfDone(c.id, now);
        return;
      }
      const ready = await this.holdOutsideWindow(c, rows, now);
      const { outcomes, later } = await acceptCampaignRows(this.deps, c, ready);
      await this.store.settle(c.id, outcomes, clock.now());
      await this.deferAll(c.id, later);
      // Cancelled while this batch was being accepted: its messages are withdrawn like the others.
      if ((await this.store.get(c.id))?.status === 'cancelled') {
        await cancelByCampaignMessages(this.deps, c.id);
        return;
      }
    }
  }

  /** Rows whose recipient's local time is outside the window wait for it to open; the rest go. */
  private async holdOutsideWindow(c: Campaign, rows: ClaimedRow[], now: number): Promise<ClaimedRow[]> {
    const window = c.window;
    if (window === null || window.timezone !== undefined) return rows;
    const ready: ClaimedRow[] = [];
    const later: { row: number; at: number }[] = [];
    for (const row of rows) {
      const zone = recipientTimezone(row.to, undefined) ?? this.deps.settings.defaultTimezone;
      const opens = windowOpensAt(window, zone, now);
      if (opens > now) later.push({ row: row.row, at: opens });
      else ready.push(row);
    }
    await this.deferAll(c.id, later);
    return ready;
  }

  private async deferAll(id: string, later: { row: number; at: number }[]): Promise<void> {
    const byTime = new Map<number, number[]>();
    for (const l of later) byTime.set(l.at, [...(byTime.get(l.at) ?? []), l.row]);
    for (const [at, rows] of byTime) await this.store.defer(id, rows, at);
  }
}
