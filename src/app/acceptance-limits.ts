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
 */
import { TidingsError, type ErrorCode } from '../core/errors.js';
import {
  PREFIX_CUT,
  describeRate,
  describeWindow,
  type LimitsPolicy,
  type Rate,
  type SpendCap,
} from '../core/limits-policy.js';
import { localPeriods } from '../core/local-time.js';
import { stableHash } from '../core/stable-hash.js';
import type { Message, Purpose } from '../core/message.js';
import { countryOf } from '../content/phone.js';
import type { Clock } from '../ports/clock.js';
import type { CounterState, LimitCounter, LimitRule } from '../ports/limit-counter.js';
import type { Logger } from '../ports/logger.js';

/** Tells the operators, once per condition and cool-down (the alerts module), and always in the log. */
export type RaiseAlert = (condition: string, summary: string, detail: Record<string, unknown>) => void;

/** Spend is counted in ten-thousandths of a currency unit: counters hold whole numbers. */
const SPEND_UNIT = 10_000;
const toUnits = (amount: number): number => Math.ceil(amount * SPEND_UNIT - 1e-6);
const DAY_MS = 86_400_000;

interface Charge {
  rule: LimitRule;
  key: string;
  points: number;
  /** A window of its own (a calendar period's remaining time). */
  windowMs?: number;
  /** What the count is compared with (default the rule's points). */
  limit?: number;
  /** Never given back: every attempt counts (the pumping guard's velocity), and a closed key stays closed. */
  keepRefused?: boolean;
  refuse(state: CounterState): TidingsError;
  /** Told the count before and after the points this batch was allowed (spend alerts, pumping alerts). */
  crossed?(before: number, after: number, refused: boolean): void;
}

type Step = (m: Message, apiKeyId: string, opts: AdmitOptions) => Charge[];

export interface AdmitOptions {
  /**
   * False for messages that cannot be accidental repeats: the offsets of one reminder share their
   * text by design, and the reminder's reference already makes its creation idempotent.
   */
  duplicates?: boolean;
}

const retryIn = (ms: number): string => `${Math.max(1, Math.ceil(ms / 1000))} s`;

function refusal(code: ErrorCode, limit: string, message: string, state: CounterState): TidingsError {
  return new TidingsError(code, message, undefined, { limit, retryAfterMs: Math.max(1_000, state.resetInMs) });
}

const byPhone = (m: Message): boolean => m.channel === 'sms' || m.channel === 'voice';

export interface AcceptanceLimitsDeps {
  counter: LimitCounter;
  policy: LimitsPolicy;
  clock: Clock;
  logger: Logger;
  alert: RaiseAlert;
}

export class AcceptanceLimits {
  private readonly steps: Step[];

  constructor(private readonly deps: AcceptanceLimitsDeps) {
    const p = deps.policy;
    this.steps = [
      p.apiMessages && this.apiMessages(p.apiMessages),
      p.duplicateWindowMs !== null && this.duplicates(p.duplicateWindowMs),
      this.recipient(p.recipient),
      p.pumping && this.pumping(p.pumping),
      (p.spend.day.length > 0 || p.spend.month.length > 0) && this.spend(),
    ].filter((s): s is Step => typeof s === 'function');
  }

  /** Whether any counted limit is configured at all. */
  get active(): boolean {
    return this.steps.length > 0;
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
    if (windowMs === null) return false;
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
    if (this.steps.length === 0) return refused;
    // Every rule's counts in one round to the store; decided afterwards, rule by rule, in order.
    const groups = new Map<string, { charge: Charge; items: Array<{ i: number; points: number }>; total: number }>();
    for (const step of this.steps) {
      messages.forEach((m, i) => {
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

  private spend(): Step {
    const { policy, clock } = this.deps;
    const caps = (list: readonly SpendCap[]) => new Map(list.map((c) => [c.currency, c]));
    const day = caps(policy.spend.day);
    const month = caps(policy.spend.month);
    const charge = (period: 'day' | 'month', cap: SpendCap, key: string, endsAt: number, units: number): Charge => {
      const name = `spend.${period}.${cap.currency}`;
      const hard = toUnits(cap.amount);
      const soft = Math.floor(hard * policy.spend.softRatio);
      const now = clock.now();
      return {
        rule: { name, points: hard, windowMs: period === 'day' ? DAY_MS : 32 * DAY_MS },
        key,
        points: units,
        // The key names the period; the window only has to outlive it.
        windowMs: endsAt - now + 3_600_000,
        refuse: (s) =>
          refusal(
            'spend_limit_reached',
            name,
            `The ${period === 'day' ? 'daily' : 'monthly'} spend limit of ${cap.amount} ${cap.currency} is reached (limit ${name}); it resets at ${new Date(endsAt).toISOString()}.`,
            { ...s, resetInMs: endsAt - now },
          ),
        crossed: (before, after, refused) => {
          const amount = (u: number) => Math.round(u) / SPEND_UNIT;
          if (before < soft && after >= soft && soft < hard) {
            this.deps.alert(
              `spend_soft:${period}:${cap.currency}:${key}`,
              `Tidings: ${period === 'day' ? 'today' : 'this month'}'s spend passed ${Math.round(policy.spend.softRatio * 100)}% of its limit (${amount(after)} of ${cap.amount} ${cap.currency})`,
              { period, currency: cap.currency, spent: amount(after), limit: cap.amount, soft: true },
            );
          }
          if (refused && before <= hard) {
            this.deps.alert(
              `spend_hard:${period}:${cap.currency}:${key}`,
              `Tidings: the ${period === 'day' ? 'daily' : 'monthly'} spend limit of ${cap.amount} ${cap.currency} is reached; new messages are refused until ${new Date(endsAt).toISOString()}`,
              { period, currency: cap.currency, spent: amount(after), limit: cap.amount, soft: false },
            );
          }
        },
      };
    };
    return (m) => {
      const cost = m.cost;
      if (cost === null || cost.amount <= 0) return [];
      const d = day.get(cost.currency);
      const mo = month.get(cost.currency);
      if (!d && !mo) return [];
      const periods = localPeriods(clock.now(), policy.timeZone);
      const units = toUnits(cost.amount);
      const out: Charge[] = [];
      if (d) out.push(charge('day', d, periods.day, periods.dayEndsAt, units));
      if (mo) out.push(charge('month', mo, periods.month, periods.monthEndsAt, units));
      return out;
    };
  }
}
