/**
 * @module app/provider-health
 * A circuit breaker per provider (cockatiel), and the figures an operator needs to see it: state,
 * recent error rate and latency. Timeouts, 5xx and connection errors (kinds `transient` and
 * `unavailable`) count against a provider; a refused number or a 429 does not, since the provider
 * is working. After `halfOpenAfterMs` an open circuit lets one probe through; if it succeeds, the
 * provider gets its traffic back. Refused credentials isolate a provider for a longer time, since
 * retrying them cannot help until an operator acts.
 */
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { ProviderError, isProviderError } from '../core/provider-error.js';
import type { Logger } from '../ports/logger.js';

export type CircuitStateName = 'closed' | 'open' | 'half_open' | 'isolated';

export interface ProviderHealthView {
  provider: string;
  state: CircuitStateName;
  /** Share of failed sends among the last WINDOW sends (0 when none). */
  errorRate: number;
  /** Median and 95th percentile of the last WINDOW send latencies, in ms (null when none). */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  sends: number;
}

export interface HealthOptions {
  /** Consecutive provider-side failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit waits before letting a probe through. */
  halfOpenAfterMs: number;
  /** How long refused credentials keep a provider out. */
  authIsolationMs: number;
  /**
   * How old a message may grow while it waits, without spending attempts, for an open circuit to
   * close. Older, each wait spends an attempt again, so a provider that never recovers still ends
   * its messages (as `failed`, or on their fallback channel).
   */
  waitMaxMs: number;
}

export const DEFAULT_HEALTH: HealthOptions = {
  failureThreshold: 5,
  halfOpenAfterMs: 10_000,
  authIsolationMs: 300_000,
  waitMaxMs: 3_600_000,
};

const WINDOW = 200;

const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'isolated',
};

/** Provider-side trouble: what a breaker should count. */
const countsAgainstProvider = (err: Error): boolean =>
  !isProviderError(err) || err.kind === 'transient' || err.kind === 'unavailable';

class Track {
  readonly breaker: CircuitBreakerPolicy;
  private readonly outcomes: boolean[] = [];
  private readonly latencies: number[] = [];
  private isolation: { dispose(): void } | null = null;
  /** When the circuit last opened: cockatiel moves to half-open only when a call is tried. */
  openedAt = 0;
  private isolationTimer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: HealthOptions) {
    this.breaker = circuitBreaker(handleWhen(countsAgainstProvider), {
      halfOpenAfter: opts.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(opts.failureThreshold),
    });
  }

  /** Closed, half-open, or open long enough that the next call would be the probe. */
  mayTry(now: number): boolean {
    const state = this.breaker.state;
    if (state === CircuitState.Closed || state === CircuitState.HalfOpen) return true;
    return state === CircuitState.Open && now - this.openedAt >= this.opts.halfOpenAfterMs;
  }

  record(ok: boolean, ms: number): void {
    this.outcomes.push(ok);
    this.latencies.push(ms);
    if (this.outcomes.length > WINDOW) this.outcomes.shift();
    if (this.latencies.length > WINDOW) this.latencies.shift();
  }

  isolate(ms: number): void {
    if (this.isolation) return;
    this.isolation = this.breaker.isolate();
    this.isolationTimer = setTimeout(() => this.release(), ms);
    this.isolationTimer.unref();
  }

  release(): void {
    if (this.isolationTimer) clearTimeout(this.isolationTimer);
    this.isolation?.dispose();
    this.isolation = null;
    this.isolationTimer = null;
  }

  view(provider: string): ProviderHealthView {
    const failures = this.outcomes.filter((ok) => !ok).length;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const pct = (p: number) =>
      sorted.length === 0 ? null : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? null);
    return {
      provider,
      state: STATE_NAMES[this.breaker.state],
      errorRate: this.outcomes.length === 0 ? 0 : failures / this.outcomes.length,
      latencyP50Ms: pct(0.5),
      latencyP95Ms: pct(0.95),
      sends: this.outcomes.length,
    };
  }
}

export class ProviderHealth {
  private readonly tracks = new Map<string, Track>();
  private reported: ProviderHealthView[] | null = null;

  constructor(
    providerIds: readonly string[],
    private readonly logger: Logger,
    private readonly opts: HealthOptions = DEFAULT_HEALTH,
    /** Told when a circuit opens (or is isolated) and when it closes again: operator alerts listen. */
    private readonly onCircuit?: (provider: string, state: 'open' | 'closed') => void,
  ) {
    for (const id of providerIds) this.tracks.set(id, this.newTrack(id));
  }

  private newTrack(id: string): Track {
    const track = new Track(this.opts);
    track.breaker.onBreak(() => {
      track.openedAt = Date.now();
      this.logger.warn({ provider: id }, 'provider circuit opened: failing over');
      this.onCircuit?.(id, 'open');
    });
    track.breaker.onHalfOpen(() => this.logger.info({ provider: id }, 'provider circuit half-open: probing'));
    track.breaker.onReset(() => {
      this.logger.info({ provider: id }, 'provider circuit closed: traffic back');
      this.onCircuit?.(id, 'closed');
    });
    return track;
  }

  private track(id: string): Track {
    let t = this.tracks.get(id);
    if (!t) {
      t = this.newTrack(id);
      this.tracks.set(id, t);
    }
    return t;
  }

  /** Whether a send to this provider may go now: closed, or due for (or in) its recovery probe. */
  available(id: string): boolean {
    return this.track(id).mayTry(Date.now());
  }

  /** Runs one send through the provider's breaker. An open circuit fails fast as `unavailable`. */
  async run<T>(id: string, send: () => Promise<T>): Promise<T> {
    const track = this.track(id);
    const started = performance.now();
    try {
      const out = await track.breaker.execute(send);
      track.record(true, performance.now() - started);
      return out;
    } catch (err) {
      if (err instanceof BrokenCircuitError) {
        throw new ProviderError('unavailable', `${id} is out of rotation (circuit open)`, {
          providerCode: 'circuit_open',
          cause: err,
        });
      }
      track.record(!countsAgainstProvider(err as Error), performance.now() - started);
      throw err;
    }
  }

  /** Refused credentials: keep the provider out until an operator can act, and say so loudly. */
  isolateForAuth(id: string, err: ProviderError): void {
    this.logger.error(
      { provider: id, code: err.providerCode, isolateMs: this.opts.authIsolationMs },
      'ALERT: provider refused our credentials; taken out of rotation',
    );
    this.track(id).isolate(this.opts.authIsolationMs);
  }

  views(): ProviderHealthView[] {
    return this.reported ?? [...this.tracks.entries()].map(([id, t]) => t.view(id));
  }

  /**
   * The circuits of the process's dispatch thread, which sends while this thread only serves the
   * API: from then on `views()` shows those, because this thread's own circuits never see a send.
   */
  adopt(views: ProviderHealthView[]): void {
    this.reported = views;
  }

  close(): void {
    for (const t of this.tracks.values()) t.release();
  }
}
