/**
 * @module app/acceptance-limits
 * The counted limits at acceptance, in order: the API key's messages per window, the same text to
 * the same number (a duplicate), the recipient's limits for the purpose, the pumping guard's
 * velocity per country and number range, and spend per day and month. Each is a shared counter,
 * so each costs a write; only the rules that apply to a message are counted. All counts go to the
 * store in one round (one transaction in the embedded mode), a batch counting each (rule, key)
 * once with its total; then, rule by rule in that order, as many messages as fit are let through.
 * What was counted for a refused message is given back, so the counts are what was accepted,
 * except by the pumping guard, whose velocity counts every attempt: going over closes the range
 * for the cooling-off period, and an operator alert says so.
 *
 * Where the message store answers the duplicate rule itself (the embedded mode: `guardsDuplicates`),
 * the rule is a lookup instead of a count. The store checks in the accepting transaction
 * (`guard`), race-free. When another rule would count the messages, they are also looked up
 * first, so that a repeat is refused before anything is counted (or given back: a concurrent
 * request with the same text can still store first, and the store then refuses; `release`).
 */
import type { TidingsError } from '../core/errors.js';
import { PREFIX_CUT, describeRate, describeWindow, type LimitsPolicy, type Rate } from '../core/limits-policy.js';
import { stableHash } from '../core/stable-hash.js';
import type { Message, Purpose } from '../core/message.js';
import { countryOf } from '../content/phone.js';
import type { Clock } from '../ports/clock.js';
import type { CounterState, LimitCounter, LimitRule } from '../ports/limit-counter.js';
import type { Logger } from '../ports/logger.js';
import { refusal, retryIn, type AdmitOptions, type Charge, type RaiseAlert, type Step } from './limit-charge.js';
import { spendStep } from './spend-limit.js';
import { duplicateKey } from '../core/duplicate-key.js';

export type { AdmitOptions, RaiseAlert } from './limit-charge.js';

const byPhone = (m: Message): boolean => m.channel === 'sms' || m.channel === 'voice';

/** Per message, when the newest stored message it repeats was accepted within the window, or null. */
export type DuplicateLookup = (
  messages: readonly Message[],
  windowMs: number,
  now: number,
) => Promise<Array<number | null>>;

export interface AcceptanceLimitsDeps {
  counter: LimitCounter;
  /** The store's duplicate lookup, where it guards duplicates (see the module comment); else they are counted. */
  duplicates?: DuplicateLookup | undefined;
  policy: LimitsPolicy;
  clock: Clock;
  logger: Logger;
  alert: RaiseAlert;
}

export class AcceptanceLimits {
  private readonly steps: Step[];
  /** The duplicate rule's window when the store looks duplicates up; null when they are counted, or off. */
  private readonly lookupWindowMs: number | null;

  constructor(private readonly deps: AcceptanceLimitsDeps) {
    const p = deps.policy;
    this.lookupWindowMs = deps.duplicates ? p.duplicateWindowMs : null;
    this.steps = [
      p.apiMessages && this.apiMessages(p.apiMessages),
      p.duplicateWindowMs !== null && !deps.duplicates && this.duplicates(p.duplicateWindowMs),
      this.recipient(p.recipient),
      p.pumping && this.pumping(p.pumping),
      (p.spend.day.length > 0 || p.spend.month.length > 0) && spendStep(deps),
    ].filter((s): s is Step => typeof s === 'function');
  }

  /** Whether any counted limit is configured at all. */
  get active(): boolean {
    return this.steps.length > 0 || this.lookupWindowMs !== null;
  }

  /** The duplicate rule's window, or null when the rule is off. */
  get duplicateWindowMs(): number | null {
    return this.deps.policy.duplicateWindowMs;
  }

  /**
   * Counts one attempt of an Idempotency-Key (`attempt` names the caller and the key) and says
   * whether the key was tried before within the duplicate window. Only asked when no outcome is
   * stored for the key, so "tried before" means a try that died before storing (interrupted-attempt.ts).
   */
  async attemptedBefore(attempt: string): Promise<boolean> {
    const windowMs = this.deps.policy.duplicateWindowMs;
    // A looked-up rule sees only what was stored: a dead try left nothing to trip over.
    if (windowMs === null || this.lookupWindowMs !== null) return false;
    const rule: LimitRule = { name: 'idempotency.attempt', points: Number.MAX_SAFE_INTEGER, windowMs };
    const state = await this.deps.counter.consume(rule, attempt, 1);
    return state.consumed > 1;
  }

  /**
   * Counts the messages against every rule that applies; returns, per message, the refusal or
   * null. Nothing is counted for a message that comes back refused.
   */
  async admit(
    messages: readonly Message[],
    apiKeyId: string,
    opts: AdmitOptions = {},
  ): Promise<Array<TidingsError | null>> {
    const refused: Array<TidingsError | null> = messages.map(() => null);
    // Looked up first only when something would be counted: a repeat must not count, and the rule
    // keeps its place in the order. Otherwise the store's check in the accepting transaction is
    // the only one needed (and the read here would be the same read twice).
    if (this.lookupWindowMs !== null && opts.duplicates !== false && this.counts(messages, apiKeyId, opts)) {
      await this.refuseRepeats(messages, refused);
    }
    if (this.steps.length === 0) return refused;
    // Every rule's counts in one round to the store; decided afterwards, rule by rule, in order.
    const groups = new Map<string, { charge: Charge; items: Array<{ i: number; points: number }>; total: number }>();
    for (const step of this.steps) {
      messages.forEach((m, i) => {
        if (refused[i] !== null) return; // a repeat: nothing of it is counted
        for (const charge of step(m, apiKeyId, opts)) {
          const id = `${charge.rule.name}\u0000${charge.key}`;
          const group = groups.get(id) ?? { charge, items: [], total: 0 };
          group.items.push({ i, points: charge.points });
          group.total += charge.points;
          groups.set(id, group);
        }
      });
    }
    if (groups.size === 0) return refused;
    const list = [...groups.values()];
    const states = await this.deps.counter.consumeMany(
      list.map(({ charge, total }) => ({
        rule: charge.rule,
        key: charge.key,
        points: total,
        ...(charge.windowMs === undefined ? {} : { windowMs: charge.windowMs }),
      })),
    );
    const counted: Array<Array<{ charge: Charge; points: number }>> = messages.map(() => []);
    const back = new Map<string, { charge: Charge; points: number }>();
    const giveBack = (charge: Charge, points: number): void => {
      if (charge.keepRefused) return;
      const id = `${charge.rule.name}\u0000${charge.key}`;
      const entry = back.get(id) ?? { charge, points: 0 };
      entry.points += points;
      back.set(id, entry);
    };
    list.forEach(({ charge, items, total }, g) => {
      const state = states[g]!;
      const limit = charge.limit ?? charge.rule.points;
      const before = state.consumed - total;
      let used = before;
      let over = 0;
      for (const it of items) {
        if (refused[it.i] !== null) {
          giveBack(charge, it.points); // refused by an earlier rule: not this rule's to count
        } else if (used + it.points <= limit) {
          used += it.points;
          counted[it.i]!.push({ charge, points: it.points });
        } else {
          // A closed key (cooling off) counts more than its points already: nothing fits.
          over += it.points;
          refused[it.i] = charge.refuse(state);
        }
      }
      charge.crossed?.(before, used, over > 0);
      if (over > 0) giveBack(charge, over);
    });
    // What earlier rules counted for messages a later rule refused goes back too.
    messages.forEach((_, i) => {
      if (refused[i] !== null) for (const c of counted[i]!) giveBack(c.charge, c.points);
    });
    await Promise.all([...back.values()].map((b) => this.refund(b.charge, b.points)));
    return refused;
  }

  /**
   * What the store's accepting transaction must check again, when it looks duplicates up: null
   * when the rule is counted instead, off, or not asked for these messages.
   */
  guard(opts: AdmitOptions = {}): { windowMs: number; now: number } | null {
    if (this.lookupWindowMs === null || opts.duplicates === false) return null;
    return { windowMs: this.lookupWindowMs, now: this.deps.clock.now() };
  }

  /** The refusal of a message that repeats one accepted at `earlierAt` (or in the same request: null). */
  duplicateRefusal(earlierAt: number | null): TidingsError {
    const windowMs = this.deps.policy.duplicateWindowMs ?? 0;
    const resetInMs = earlierAt === null ? windowMs : earlierAt + windowMs - this.deps.clock.now();
    return refusal(
      'duplicate_message',
      'duplicate',
      `The same text went to this number less than ${describeWindow(windowMs)} ago (limit duplicate).`,
      { consumed: 2, allowed: false, resetInMs: Math.max(0, resetInMs) },
    );
  }

  /** Gives back what `admit` counted for messages the store refused afterwards (repeats found there). */
  async release(messages: readonly Message[], apiKeyId: string, opts: AdmitOptions = {}): Promise<void> {
    const back = new Map<string, { charge: Charge; points: number }>();
    for (const step of this.steps) {
      for (const m of messages) {
        for (const charge of step(m, apiKeyId, opts)) {
          if (charge.keepRefused) continue;
          const id = `${charge.rule.name}\u0000${charge.key}`;
          const entry = back.get(id) ?? { charge, points: 0 };
          entry.points += charge.points;
          back.set(id, entry);
        }
      }
    }
    await Promise.all([...back.values()].map((b) => this.refund(b.charge, b.points)));
  }

  /** Whether any counted rule applies to any of the messages. */
  private counts(messages: readonly Message[], apiKeyId: string, opts: AdmitOptions): boolean {
    return this.steps.some((step) => messages.some((m) => step(m, apiKeyId, opts).length > 0));
  }

  /** The looked-up duplicate rule: repeats of stored messages, and of earlier ones in this request. */
  private async refuseRepeats(messages: readonly Message[], refused: Array<TidingsError | null>): Promise<void> {
    const windowMs = this.lookupWindowMs!;
    const earlier = await this.deps.duplicates!(messages, windowMs, this.deps.clock.now());
    const inRequest = new Set<string>();
    messages.forEach((m, i) => {
      const key = duplicateKey(m, windowMs);
      if (earlier[i] !== null) refused[i] = this.duplicateRefusal(earlier[i]!);
      else if (inRequest.has(key)) refused[i] = this.duplicateRefusal(null);
      else inRequest.add(key);
    });
  }

  private async refund(charge: Charge, points: number): Promise<void> {
    try {
      await this.deps.counter.refund(charge.rule, charge.key, points);
    } catch (err) {
      this.deps.logger.warn({ err, rule: charge.rule.name }, 'giving back a counted limit failed');
    }
  }

  private apiMessages(rate: Rate): Step {
    const rule: LimitRule = { name: 'api.messages', ...rate };
    const text = `This API key may send ${describeRate(rate)} messages`;
    return (_m, apiKeyId) => [
      {
        rule,
        key: apiKeyId,
        points: 1,
        refuse: (s) => refusal('rate_limited', 'api.messages', `${text}; try again in ${retryIn(s.resetInMs)}.`, s),
      },
    ];
  }

  private duplicates(windowMs: number): Step {
    const rule: LimitRule = { name: 'duplicate', points: 1, windowMs };
    const text = `The same text went to this number less than ${describeWindow(windowMs)} ago`;
    return (m, _apiKeyId, opts) => {
      if (opts.duplicates === false) return [];
      // A scheduled message repeats one due in the same window, not one accepted at the same time:
      // "take your medicine" scheduled for each day of the week is seven messages, not a mistake.
      const due = m.sendAt === null ? '' : `@${Math.floor(m.sendAt / windowMs).toString(36)}`;
      return [
        {
          rule,
          // Per number, so a 32-bit hash of the text is plenty: two texts to one number colliding is 1 in 4 billion.
          key: `${m.channel}:${m.to}:${stableHash(m.body).toString(36)}${due}`,
          points: 1,
          refuse: (s) => refusal('duplicate_message', 'duplicate', `${text} (limit duplicate).`, s),
        },
      ];
    };
  }

  private recipient(limits: LimitsPolicy['recipient']): Step | false {
    const charges = new Map<Purpose, Array<Omit<Charge, 'key'>>>();
    for (const [purpose, rates] of Object.entries(limits) as Array<[Purpose, readonly Rate[]]>) {
      charges.set(
        purpose,
        rates.map((rate) => {
          const name = `recipient.${purpose}.${describeWindow(rate.windowMs)}`;
          const text = `${purpose} messages to this number are limited to ${rate.points} per ${describeWindow(rate.windowMs)}`;
          return {
            rule: { name, ...rate },
            points: 1,
            refuse: (s: CounterState) =>
              refusal(
                'recipient_rate_limited',
                name,
                `${text} (limit ${name}); try again in ${retryIn(s.resetInMs)}.`,
                s,
              ),
          };
        }),
      );
    }
    if ([...charges.values()].every((c) => c.length === 0)) return false;
    return (m) => {
      const list = byPhone(m) ? charges.get(m.purpose) : undefined;
      return list === undefined || list.length === 0 ? [] : list.map((c) => ({ ...c, key: m.to }));
    };
  }

  private pumping(guard: NonNullable<LimitsPolicy['pumping']>): Step | false {
    const make = (scope: 'country' | 'prefix', rate: Rate | null) => {
      if (rate === null) return null;
      const name = `pumping.${scope}`;
      const rule: LimitRule = { name, ...rate, blockMs: guard.coolOffMs };
      return (key: string, country: string): Charge => ({
        rule,
        key,
        points: 1,
        keepRefused: true,
        refuse: (s) =>
          refusal(
            'destination_paused',
            name,
            `Messages to ${scope === 'prefix' ? `numbers starting ${key}` : key} are paused after a surge (limit ${name}); try again in ${retryIn(s.resetInMs)}.`,
            s,
          ),
        crossed: (before, _after, refused) => {
          if (!refused || before > rate.points) return;
          this.deps.alert(
            `pumping:${scope}:${key}`,
            `Tidings: a surge of messages to ${scope === 'prefix' ? `${key}… (${country})` : key} went over ${describeRate(rate)}; paused for ${describeWindow(guard.coolOffMs)}`,
            { scope, key, country, limit: describeRate(rate), coolOffMs: guard.coolOffMs },
          );
        },
      });
    };
    const perCountry = make('country', guard.perCountry);
    const perPrefix = make('prefix', guard.perPrefix);
    if (!perCountry && !perPrefix) return false;
    return (m) => {
      if (!byPhone(m) || !guard.purposes.has(m.purpose)) return [];
      const country = countryOf(m.to) ?? 'unknown';
      const out: Charge[] = [];
      if (perCountry) out.push(perCountry(country, country));
      if (perPrefix) out.push(perPrefix(m.to.slice(0, Math.max(4, m.to.length - PREFIX_CUT)), country));
      return out;
    };
  }
}
