/**
 * The worker's side of protection: daily caps and warm-up wait for the next local day (injected
 * clock), pace comes from configuration, the sender's format or the provider's declared rate, and a
 * burst waits in line or is deferred to its place (real time: the counters keep the store's clock).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type LimitsPolicy } from '../core/limits-policy.js';
import type { LimitCounter } from '../ports/limit-counter.js';
import type { Provider } from '../ports/provider.js';
import { ManualClock } from '../../test/support/clock.js';
import { sqliteStore } from '../../test/support/limit-stores.js';
import { silent } from '../../test/support/queue-backends.js';
import { SendPacer, type PaceDecision } from './send-pacer.js';

const H = 3_600_000;
const never = new AbortController().signal;

function carrier(id: string, kind: string, maxPerSecond?: number): Provider {
  return {
    id,
    kind,
    channel: 'sms',
    capabilities: maxPerSecond === undefined ? {} : { maxPerSecond },
    send: () => Promise.reject(new Error('not sent in these tests')),
    describe: () => id,
  };
}

describe('send pacer', () => {
  let fixture: Awaited<ReturnType<typeof sqliteStore.open>>;
  let counter: LimitCounter;
  const clock = new ManualClock(Date.parse('2031-03-09T10:00:00Z'));
  const pacer = (policy: Partial<LimitsPolicy>) =>
    new SendPacer({ counter, policy: { ...DEFAULT_LIMITS, ...policy }, clock, logger: silent, random: () => 0.5 });
  const admit = (p: SendPacer, provider: Provider, from: string | null = null): Promise<PaceDecision> =>
    p.admit(provider, from, 1, never);

  beforeAll(async () => {
    fixture = await sqliteStore.open();
    counter = fixture.counter;
  });
  afterAll(() => fixture.close());

  it('takes the pace from configuration, then the sender format, then the provider', () => {
    const p = pacer({
      rates: new Map([
        ['+14155550100', 5],
        ['twilio:quiet', 0],
      ]),
    });
    const twilio = carrier('twilio:primary', 'twilio', 30);
    expect(p.senderRate(twilio, '+14155550100')).toBe(5);
    expect(p.senderRate(twilio, '+14155550199')).toBe(1);
    expect(p.senderRate(twilio, '+18885550100')).toBe(3);
    expect(p.senderRate(twilio, '12345')).toBe(100);
    expect(p.senderRate(twilio, null)).toBeNull();
    expect(p.providerRate(twilio)).toBe(30);
    expect(p.providerRate(carrier('twilio:quiet', 'twilio', 30))).toBeNull();
    expect(p.providerRate(carrier('aliyun:cn', 'aliyun'))).toBeNull();
  });

  it('lets nothing wait when pacing is off', async () => {
    const p = pacer({ pacing: false, dailyCaps: new Map([['sim:off', 1]]) });
    for (let i = 0; i < 3; i++) expect(await admit(p, carrier('sim:off', 'sim', 1))).toEqual({ type: 'go' });
  });

  it('holds a daily cap exactly, then waits for the next local day', async () => {
    const p = pacer({ dailyCaps: new Map([['twilio:capped', 3]]) });
    const provider = carrier('twilio:capped', 'twilio');
    for (let i = 0; i < 3; i++) expect(await admit(p, provider)).toEqual({ type: 'go' });
    const fourth = await admit(p, provider);
    // 14 h until midnight UTC, plus half of the one-minute spread.
    expect(fourth).toEqual({ type: 'defer', delayMs: 14 * H + 30_000, reason: 'daily_cap' });
    clock.advance(14 * H);
    expect(await admit(p, provider)).toEqual({ type: 'go' });
  });

  it('counts an Aliyun or Tencent day in Beijing time', async () => {
    clock.advance(-14 * H); // 2031-03-09T10:00Z = 18:00 in Beijing
    const p = pacer({ dailyCaps: new Map([['aliyun:cn', 1]]) });
    const aliyun = carrier('aliyun:cn', 'aliyun');
    expect(await admit(p, aliyun)).toEqual({ type: 'go' });
    expect(await admit(p, aliyun)).toEqual({ type: 'defer', delayMs: 6 * H + 30_000, reason: 'daily_cap' });
    clock.advance(14 * H);
  });

  it('warms a new sender up: the first day, doubling daily, remembered across a restart', async () => {
    const policy = { warmUp: new Map([['+15005550006', { target: 10, since: null }]]), warmUpFirstDay: 2 };
    const twilio = carrier('twilio:new', 'twilio');
    const day = async (p: SendPacer, n: number) => {
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push((await admit(p, twilio, '+15005550006')).type === 'go' ? 'go' : 'wait');
      return out.filter((x) => x === 'go').length;
    };
    // The pace of a long code (1/s) is not what this is about.
    const rates = new Map([['+15005550006', 0]]);
    expect(await day(pacer({ ...policy, rates }), 3)).toBe(2);
    // A restarted process knows the sender started today.
    const restarted = pacer({ ...policy, rates });
    expect(await admit(restarted, twilio, '+15005550006')).toMatchObject({ type: 'defer', reason: 'warm_up' });
    clock.advance(24 * H);
    expect(await day(restarted, 6)).toBe(4);
    clock.advance(24 * H);
    expect(await day(restarted, 10)).toBe(8);
    clock.advance(24 * H);
    // Day 4: 16 ≥ the target of 10; warm-up is over.
    expect(await day(restarted, 20)).toBe(20);
  });

  it('paces a burst: a second holds only its points, later ones are deferred to spread-out places', async () => {
    const p = pacer({});
    const sim = carrier('sim:paced', 'sim', 10);
    const started = Date.now();
    const decisions = await Promise.all(
      Array.from({ length: 60 }, () => admit(p, sim).then((d) => ({ ...d, at: Date.now() - started }))),
    );
    const went = decisions.filter((d) => d.type === 'go');
    const deferred = decisions.filter((d) => d.type === 'defer') as Array<{ delayMs: number }>;
    // 2 s worth wait in line; at most 10 of them in any one window.
    expect(went.length).toBe(20);
    expect(went.filter((d) => d.at < 900).length).toBeLessThanOrEqual(10);
    expect(Math.max(...went.map((d) => d.at))).toBeGreaterThanOrEqual(1_000);
    // The other 40 come back one place after another (100 ms apart at 10/s), not all at once.
    const delays = deferred.map((d) => d.delayMs).sort((a, b) => a - b);
    expect(delays).toHaveLength(40);
    expect(delays[0]).toBeGreaterThanOrEqual(900);
    expect(delays[39]! - delays[0]!).toBeGreaterThanOrEqual(3_800);
  });

  it('gives a waiting job back when the worker stops', async () => {
    const p = pacer({});
    const sim = carrier('sim:stopping', 'sim', 1);
    expect(await admit(p, sim)).toEqual({ type: 'go' });
    const stop = new AbortController();
    const waiting = p.admit(sim, null, 1, stop.signal);
    stop.abort();
    expect(await waiting).toEqual({ type: 'defer', delayMs: 0, reason: 'pace' });
  });
});
