/**
 * @module app/failure-alerts
 * Tells the operators when sending goes wrong: when the share of failed sends over a window crosses
 * a threshold, or a provider's circuit opens. An outage makes thousands of failures; the operators
 * get one alert per condition per cool-down (the ledger in the database makes that hold across
 * processes too), and one "resolved" notice when it clears. Every alert is also logged, so a
 * deployment with no channel configured still has it in its log.
 *
 * Failures that say nothing about our health (a wrong number, an opted-out recipient, banned
 * content) do not count against the rate.
 */
import { FailureWindow, failureRateTooHigh } from '../core/failure-window.js';
import type { Alert, AlertChannel, AlertLedger } from '../ports/alerts.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';

export interface AlertPolicy {
  /** Share of failed sends (0–1) that alerts, e.g. 0.2. */
  failureRate: number;
  /** Sends the window must hold before its rate means anything, e.g. 50. */
  minSends: number;
  windowMs: number;
  /** At most one alert per condition in this long. */
  coolDownMs: number;
  /** Longest an alert channel may take. */
  notifyTimeoutMs: number;
}

export interface FailureAlertDeps {
  ledger: AlertLedger;
  channels: readonly AlertChannel[];
  clock: Clock;
  logger: Logger;
}

/** Kinds that blame the recipient or the content, not the providers or us. */
const NOT_OUR_FAILURE = new Set(['invalid_recipient', 'opted_out', 'rejected_content']);

/** When a process that lost the race to notify looks at the ledger again, at the earliest. */
const LEDGER_RECHECK_MS = 60_000;

interface ConditionState {
  active: boolean;
  /** Do not ask the ledger again before this time. */
  recheckAt: number;
}

const percent = (x: number): string => `${Math.round(x * 1000) / 10}%`;

export class FailureAlerts {
  private readonly window: FailureWindow;
  private readonly conditions = new Map<string, ConditionState>();
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly deps: FailureAlertDeps,
    private readonly policy: AlertPolicy,
  ) {
    this.window = new FailureWindow(policy.windowMs);
  }

  /** One send attempt's outcome; `kind` is the failure's kind. */
  recordSend(ok: boolean, kind?: string): void {
    const failed = !ok && !NOT_OUR_FAILURE.has(kind ?? '');
    if (!ok && !failed) return;
    const now = this.deps.clock.now();
    this.window.record(now, failed);
    // Raise promptly; clearing can wait for the periodic check.
    if (failed && this.conditions.get('failure_rate')?.active !== true && this.rateTooHigh(now) === true) {
      void this.check();
    }
  }

  /** From the provider-health hooks: a circuit opened (or was isolated) or closed again. */
  circuitChanged(provider: string, state: 'open' | 'closed'): Promise<void> {
    const open = state === 'open';
    return this.serially(() =>
      this.evaluate(
        `circuit_open:${provider}`,
        open,
        open
          ? `Tidings: provider ${provider} is failing; its circuit opened and traffic fails over`
          : `Tidings: provider ${provider} recovered; its circuit closed`,
        { provider },
      ),
    );
  }

  /**
   * Any other condition that is firing now (a pumping surge, a spend threshold): through the same
   * ledger and channels, so it too is sent once per condition per cool-down.
   */
  raise(condition: string, summary: string, detail: Record<string, unknown>): Promise<void> {
    return this.serially(() => this.evaluate(condition, true, summary, detail));
  }

  /** Looks at the failure rate now; run periodically, and at once when failures pile up. */
  check(): Promise<void> {
    return this.serially(async () => {
      const now = this.deps.clock.now();
      const counts = this.window.counts(now);
      const high = failureRateTooHigh(counts, { threshold: this.policy.failureRate, minSends: this.policy.minSends });
      if (high === null) return;
      const rate = counts.sends === 0 ? 0 : counts.failures / counts.sends;
      const minutes = Math.round(this.policy.windowMs / 60_000);
      await this.evaluate(
        'failure_rate',
        high,
        high
          ? `Tidings: ${percent(rate)} of sends failed in the last ${minutes} min (${counts.failures} of ${counts.sends})`
          : `Tidings: send failures are back under ${percent(this.policy.failureRate)} (${percent(rate)} in the last ${minutes} min)`,
        { rate, sends: counts.sends, failures: counts.failures, windowMs: this.policy.windowMs },
      );
    });
  }

  start(everyMs: number): void {
    this.timer ??= setInterval(() => void this.check(), everyMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.chain;
  }

  private rateTooHigh(now: number): boolean | null {
    return failureRateTooHigh(this.window.counts(now), {
      threshold: this.policy.failureRate,
      minSends: this.policy.minSends,
    });
  }

  /** One evaluation at a time, so a fire and its resolve are never reordered. */
  private serially(work: () => Promise<void>): Promise<void> {
    // A process shutting down releases its circuits; that is no recovery to announce.
    if (this.closed) return Promise.resolve();
    const next = this.chain.then(work).catch((err: unknown) => {
      this.deps.logger.warn({ err }, 'checking alert conditions failed; will try again');
    });
    this.chain = next;
    return next;
  }

  private async evaluate(
    condition: string,
    active: boolean,
    summary: string,
    detail: Record<string, unknown>,
  ): Promise<void> {
    const now = this.deps.clock.now();
    const state = this.conditions.get(condition) ?? { active: false, recheckAt: 0 };
    this.conditions.set(condition, state);
    if (active) {
      state.active = true;
      if (now < state.recheckAt) return;
      const mine = await this.deps.ledger.fire(condition, now, this.policy.coolDownMs);
      state.recheckAt = now + (mine ? this.policy.coolDownMs : Math.min(this.policy.coolDownMs, LEDGER_RECHECK_MS));
      if (mine) await this.notify({ condition, state: 'firing', summary, detail, at: now });
      return;
    }
    if (!state.active) return;
    state.active = false;
    state.recheckAt = 0;
    if (await this.deps.ledger.resolve(condition, now)) {
      await this.notify({ condition, state: 'resolved', summary, detail, at: now });
    }
  }

  private async notify(alert: Alert): Promise<void> {
    const { logger } = this.deps;
    const line = { condition: alert.condition, state: alert.state, ...alert.detail };
    if (alert.state === 'firing') logger.error(line, `ALERT: ${alert.summary}`);
    else logger.info(line, `RESOLVED: ${alert.summary}`);
    await Promise.all(
      this.deps.channels.map(async (channel) => {
        try {
          await channel.notify(alert, AbortSignal.timeout(this.policy.notifyTimeoutMs));
        } catch (err) {
          logger.error(
            { err, channel: channel.name, condition: alert.condition },
            'sending an alert failed; it is in this log',
          );
        }
      }),
    );
  }
}

/** The metrics the dispatcher reports, also fed to the alerts: every send attempt passes here. */
export function observeSends(metrics: Metrics, alerts: FailureAlerts): Metrics {
  return {
    ...metrics,
    sent: (provider, channel, seconds) => {
      metrics.sent(provider, channel, seconds);
      alerts.recordSend(true);
    },
    sendFailed: (provider, channel, kind, seconds) => {
      metrics.sendFailed(provider, channel, kind, seconds);
      alerts.recordSend(false, kind);
    },
  };
}
