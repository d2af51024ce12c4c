/**
 * @module app/spend-limit
 * The spend caps per day and month, per currency, counted at acceptance from each message's cost
 * estimate, in the policy's timezone. An operator alert fires when a period passes its soft share
 * of the cap, and again when the cap refuses a message.
 */
import type { LimitsPolicy, SpendCap } from '../core/limits-policy.js';
import { localPeriods } from '../core/local-time.js';
import type { Clock } from '../ports/clock.js';
import { refusal, type Charge, type RaiseAlert, type Step } from './limit-charge.js';

/** Spend is counted in ten-thousandths of a currency unit: counters hold whole numbers. */
const SPEND_UNIT = 10_000;
const toUnits = (amount: number): number => Math.ceil(amount * SPEND_UNIT - 1e-6);
const DAY_MS = 86_400_000;

export function spendStep(deps: { policy: LimitsPolicy; clock: Clock; alert: RaiseAlert }): Step {
  const { policy, clock } = deps;
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
          deps.alert(
            `spend_soft:${period}:${cap.currency}:${key}`,
            `Tidings: ${period === 'day' ? 'today' : 'this month'}'s spend passed ${Math.round(policy.spend.softRatio * 100)}% of its limit (${amount(after)} of ${cap.amount} ${cap.currency})`,
            { period, currency: cap.currency, spent: amount(after), limit: cap.amount, soft: true },
          );
        }
        if (refused && before <= hard) {
          deps.alert(
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
