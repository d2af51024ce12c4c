/**
 * @module app/protection
 * Everything that protects the recipients, the sender numbers and the budget, in one place for
 * the use cases: the API key's request limit (the HTTP layer asks before a request runs), the
 * counted limits at acceptance, the clock-only rules (geo, quiet hours), and the worker's pacing.
 * All of it reads one policy (config/limits) and counts in one LimitCounter.
 */
import type { LimitsPolicy } from '../core/limits-policy.js';
import type { Clock } from '../ports/clock.js';
import type { LimitCounter, LimitRule } from '../ports/limit-counter.js';
import type { Logger } from '../ports/logger.js';
import { AcceptanceLimits, type DuplicateLookup, type RaiseAlert } from './acceptance-limits.js';
import { SendPacer } from './send-pacer.js';

export type { RaiseAlert };

/** An API key's standing against its request limit, for the RateLimit headers. */
export interface RequestAllowance {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetInMs: number;
  windowMs: number;
}

export interface ProtectionDeps {
  counter: LimitCounter;
  /** The message store's duplicate lookup, where it guards duplicates itself (the embedded mode). */
  duplicates?: DuplicateLookup | undefined;
  policy: LimitsPolicy;
  clock: Clock;
  logger: Logger;
  random: () => number;
  alert: RaiseAlert;
}

export class Protection {
  readonly policy: LimitsPolicy;
  readonly acceptance: AcceptanceLimits;
  readonly pacer: SendPacer;
  private readonly requests: LimitRule | null;

  constructor(private readonly deps: ProtectionDeps) {
    this.policy = deps.policy;
    this.acceptance = new AcceptanceLimits(deps);
    this.pacer = new SendPacer(deps);
    this.requests = deps.policy.apiRequests && { name: 'api.requests', ...deps.policy.apiRequests };
  }

  /** Counts one API request of `apiKeyId`; null when requests are not limited. */
  async apiRequest(apiKeyId: string): Promise<RequestAllowance | null> {
    const rule = this.requests;
    if (rule === null) return null;
    const state = await this.deps.counter.consume(rule, apiKeyId, 1);
    return {
      allowed: state.allowed,
      limit: rule.points,
      remaining: Math.max(0, rule.points - state.consumed),
      resetInMs: state.resetInMs,
      windowMs: rule.windowMs,
    };
  }

  close(): Promise<void> {
    return this.deps.counter.close();
  }
}
