/**
 * The counted limits at acceptance, each at its edge (exactly at the limit, one over), on every
 * store the counters can live in. Spend periods follow an injected clock; counter windows keep
 * the store's real time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type LimitsPolicy } from '../core/limits-policy.js';
import type { Message, Purpose } from '../core/message.js';
import type { LimitCounter } from '../ports/limit-counter.js';
import { ManualClock } from '../../test/support/clock.js';
import { limitStores } from '../../test/support/limit-stores.js';
import { silent } from '../../test/support/queue-backends.js';
import { ulid } from 'ulid';
import { openSqliteCounter } from '../limits/sqlite-counter.js';
import { memoryRepositories } from '../../test/support/messages.js';
import { AcceptanceLimits } from './acceptance-limits.js';

const H = 3_600_000;
const NONE: LimitsPolicy = {
  ...DEFAULT_LIMITS,
  recipient: { otp: [], transactional: [], marketing: [] },
  duplicateWindowMs: null,
  pumping: null,
};

let seq = 0;
function msg(to: string, over: Partial<Message> = {}): Message {
  const id = `msg_${++seq}`;
  return {
    id,
    channel: 'sms',
    purpose: 'transactional' as Purpose,
    to,
    from: null,
    body: `text ${id}`,
    encoding: 'GSM-7',
    segments: 1,
    status: 'queued',
    provider: null,
    providerMessageId: null,
    reference: null,
    metadata: null,
    sendAt: null,
    attempts: 0,
    errorCode: null,
    errorMessage: null,
    apiKeyId: 'key',
    template: null,
    fallback: [],
    contacts: null,
    cost: { amount: 0.0083, currency: 'USD' },
    price: null,
    createdAt: 0,
    updatedAt: 0,
    ...over,
  };
}

const codes = (errs: Array<{ code: string } | null>) => errs.map((e) => e?.code ?? 'ok');

describe.each(await limitStores())('limits at acceptance on $name', (store) => {
  let fixture: Awaited<ReturnType<typeof store.open>>;
  let counter: LimitCounter;
  const clock = new ManualClock(Date.parse('2031-03-09T10:00:00Z'));
  const alerts: Array<{ condition: string; summary: string }> = [];
  const limits = (policy: Partial<LimitsPolicy>) =>
    new AcceptanceLimits({
      counter,
      policy: { ...NONE, ...policy },
      clock,
      logger: silent,
      alert: (condition, summary) => alerts.push({ condition, summary }),
    });

  beforeAll(async () => {
    fixture = await store.open();
    counter = fixture.counter;
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('one-time codes: 1 a minute per number, the refusal naming the limit and when to retry', async () => {
    const l = limits({ recipient: DEFAULT_LIMITS.recipient });
    const [first] = await l.admit([msg('+14155550101', { purpose: 'otp' })], 'k1');
    expect(first).toBeNull();
    const [second] = await l.admit([msg('+14155550101', { purpose: 'otp' })], 'k1');
    expect(second?.code).toBe('recipient_rate_limited');
    expect(second?.limit).toBe('recipient.otp.1m');
    expect(second?.message).toMatch(/otp messages to this number are limited to 1 per 1m/);
    expect(second?.retryAfterMs).toBeGreaterThan(50_000);
    expect(second?.retryAfterMs).toBeLessThanOrEqual(60_000);
    // Another number, and another purpose to the same number, are not affected.
    expect(await l.admit([msg('+14155550102', { purpose: 'otp' })], 'k1')).toEqual([null]);
    expect(await l.admit([msg('+14155550101')], 'k1')).toEqual([null]);
  });

  it('one-time codes: 5 an hour and 10 a day, exactly at and one over', async () => {
    const hourly = limits({ recipient: { ...NONE.recipient, otp: [{ points: 5, windowMs: H }] } });
    const five = Array.from({ length: 6 }, () => msg('+14155550103', { purpose: 'otp' }));
    const out = await hourly.admit(five, 'k2');
    expect(codes(out)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'recipient_rate_limited']);
    expect(out[5]?.limit).toBe('recipient.otp.1h');

    const daily = limits({ recipient: { ...NONE.recipient, otp: [{ points: 10, windowMs: 24 * H }] } });
    for (let i = 0; i < 10; i++)
      expect(await daily.admit([msg('+14155550104', { purpose: 'otp' })], 'k2')).toEqual([null]);
    const [eleventh] = await daily.admit([msg('+14155550104', { purpose: 'otp' })], 'k2');
    expect(eleventh?.limit).toBe('recipient.otp.1d');
  });

  it('marketing has caps of its own; transactional none by default', async () => {
    const l = limits({ recipient: DEFAULT_LIMITS.recipient });
    const out = await l.admit(
      [msg('+14155550105', { purpose: 'marketing' }), msg('+14155550105', { purpose: 'marketing' })],
      'k3',
    );
    expect(codes(out)).toEqual(['ok', 'recipient_rate_limited']);
    expect(out[1]?.limit).toBe('recipient.marketing.1h');
    const many = await l.admit(
      Array.from({ length: 20 }, () => msg('+14155550105')),
      'k3',
    );
    expect(codes(many).every((c) => c === 'ok')).toBe(true);
  });

  it('drops the same text to the same number within the window, in a batch too', async () => {
    const l = limits({ duplicateWindowMs: 600_000 });
    const a = msg('+14155550106', { body: 'Your table is ready' });
    expect(await l.admit([a], 'k4')).toEqual([null]);
    const [again] = await l.admit([msg('+14155550106', { body: 'Your table is ready' })], 'k4');
    expect(again?.code).toBe('duplicate_message');
    expect(again?.limit).toBe('duplicate');
    const out = await l.admit(
      [
        msg('+14155550107', { body: 'Your table is ready' }),
        msg('+14155550106', { body: 'Your table is ready in 5 minutes' }),
        msg('+14155550107', { body: 'Your table is ready' }),
      ],
      'k4',
    );
    expect(codes(out)).toEqual(['ok', 'ok', 'duplicate_message']);
  });

  it('counts scheduled messages by due window: the same text on different days is not a duplicate', async () => {
    const l = limits({ duplicateWindowMs: 600_000 });
    const day = Date.UTC(2030, 0, 2, 9);
    const text = { body: 'Take your medicine' };
    const out = await l.admit(
      [
        msg('+14155550108', { ...text, sendAt: day }),
        msg('+14155550108', { ...text, sendAt: day + 24 * H }),
        msg('+14155550108', { ...text, sendAt: day + 60_000 }),
      ],
      'k4',
    );
    expect(codes(out)).toEqual(['ok', 'ok', 'duplicate_message']);
    // A reminder's offsets share their text by design; they opt out of this rule.
    const reminder = await l.admit([msg('+14155550108', { ...text, sendAt: day })], 'k4', { duplicates: false });
    expect(codes(reminder)).toEqual(['ok']);
  });

  it('per API key: a batch gets as many as fit, in order; refused messages give their count back', async () => {
    const l = limits({
      apiMessages: { points: 5, windowMs: 60_000 },
      recipient: { ...NONE.recipient, otp: [{ points: 1, windowMs: 60_000 }] },
    });
    // Three codes to one number: one passes, two are refused by the recipient limit and not counted.
    const out = await l.admit(
      Array.from({ length: 3 }, () => msg('+14155550108', { purpose: 'otp' })),
      'k5',
    );
    expect(codes(out)).toEqual(['ok', 'recipient_rate_limited', 'recipient_rate_limited']);
    const next = await l.admit(
      Array.from({ length: 6 }, (_, i) => msg(`+1415555012${i}`)),
      'k5',
    );
    expect(codes(next)).toEqual(['ok', 'ok', 'ok', 'ok', 'rate_limited', 'rate_limited']);
    expect(next[4]?.limit).toBe('api.messages');
    expect(next[4]?.retryAfterMs).toBeGreaterThan(0);
    // Another key has its own count.
    expect(await l.admit([msg('+14155550130')], 'k6')).toEqual([null]);
  });

  it('pumping guard: a burst to one number range is cut off and alerted once, while other traffic flows', async () => {
    const l = limits({
      pumping: {
        purposes: new Set<Purpose>(['otp']),
        perCountry: { points: 100, windowMs: H },
        perPrefix: { points: 5, windowMs: H },
        coolOffMs: H,
      },
    });
    const burst = Array.from({ length: 8 }, (_, i) => msg(`+44740012300${i}`, { purpose: 'otp' }));
    const out = await l.admit(burst, 'k7');
    expect(codes(out)).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'destination_paused',
      'destination_paused',
      'destination_paused',
    ]);
    expect(out[5]?.limit).toBe('pumping.prefix');
    expect(out[5]?.retryAfterMs).toBeGreaterThan(H - 60_000);
    // The range stays closed, one at a time too; one alert for the surge.
    const [later] = await l.admit([msg('+447400123009', { purpose: 'otp' })], 'k7');
    expect(later?.code).toBe('destination_paused');
    const pumping = alerts.filter((a) => a.condition.startsWith('pumping:'));
    expect(pumping).toEqual([
      { condition: 'pumping:prefix:+447400123', summary: expect.stringMatching(/\+447400123… \(GB\).*5\/1h.*1h/) },
    ]);
    // Normal traffic: other ranges of the same country, and other purposes to the same range.
    expect(await l.admit([msg('+447400456001', { purpose: 'otp' })], 'k7')).toEqual([null]);
    expect(await l.admit([msg('+447400123001', { purpose: 'transactional' })], 'k7')).toEqual([null]);
  });

  it('pumping guard per country', async () => {
    const l = limits({
      pumping: {
        purposes: new Set<Purpose>(['otp']),
        perCountry: { points: 3, windowMs: H },
        perPrefix: null,
        coolOffMs: H,
      },
    });
    const out = await l.admit(
      ['+8613800138001', '+8613900139002', '+8613700137003', '+8613600136004'].map((to) => msg(to, { purpose: 'otp' })),
      'k8',
    );
    expect(codes(out)).toEqual(['ok', 'ok', 'ok', 'destination_paused']);
    expect(out[3]?.limit).toBe('pumping.country');
    expect(await l.admit([msg('+33612345678', { purpose: 'otp' })], 'k8')).toEqual([null]);
  });

  it('spend: the soft limit alerts, the hard limit refuses exactly past it, and a new day starts afresh', async () => {
    const l = limits({
      spend: { day: [{ amount: 0.05, currency: 'USD' }], month: [{ amount: 1, currency: 'USD' }], softRatio: 0.8 },
    });
    const cent = (to: string) => msg(to, { cost: { amount: 0.01, currency: 'USD' } });
    const out = await l.admit(
      Array.from({ length: 6 }, (_, i) => cent(`+1415555014${i}`)),
      'k9',
    );
    expect(codes(out)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'spend_limit_reached']);
    expect(out[5]?.limit).toBe('spend.day.USD');
    expect(out[5]?.message).toMatch(/daily spend limit of 0.05 USD is reached.*resets at 2031-03-10T00:00:00.000Z/);
    expect(out[5]?.retryAfterMs).toBe(14 * H);
    const spend = alerts.filter((a) => a.condition.startsWith('spend'));
    expect(spend.map((a) => a.condition)).toEqual(['spend_soft:day:USD:2031-03-09', 'spend_hard:day:USD:2031-03-09']);
    // Another currency has no limit here; it is not counted.
    expect(await l.admit([msg('+8613800138009', { cost: { amount: 5, currency: 'CNY' } })], 'k9')).toEqual([null]);
    clock.advance(24 * H);
    expect(await l.admit([cent('+14155550150')], 'k9')).toEqual([null]);
  });
});

describe('the duplicate rule looked up in the embedded store', () => {
  const clock = new ManualClock(Date.parse('2031-03-09T10:00:00Z'));
  const WINDOW = 10 * 60_000;
  let fixture: Awaited<ReturnType<typeof memoryRepositories>>;
  let limits: AcceptanceLimits;
  /** A message as the runtime makes it: its id from the clock. */
  const made = (to: string, over: Partial<Message> = {}) =>
    msg(to, { id: `msg_${ulid(clock.now())}`, createdAt: clock.now(), updatedAt: clock.now(), ...over });

  beforeAll(async () => {
    fixture = await memoryRepositories();
    const native = fixture.storage.native;
    if (native.dialect !== 'sqlite') throw new Error('expected SQLite');
    const repo = fixture.repo;
    limits = new AcceptanceLimits({
      counter: openSqliteCounter(native.db),
      duplicates: (ms, windowMs, now) => repo.findDuplicates(ms, windowMs, now),
      policy: { ...NONE, duplicateWindowMs: WINDOW, recipient: DEFAULT_LIMITS.recipient },
      clock,
      logger: silent,
      alert: () => undefined,
    });
  });
  afterAll(() => fixture.storage.close());

  it('refuses a repeat of a stored message before anything is counted, with the time left in the window', async () => {
    const first = made('+14155550201', { body: 'Your code is 123456', purpose: 'otp' });
    await fixture.repo.accept([first], null);
    clock.advance(4 * 60_000);
    const [repeat] = await limits.admit([made('+14155550201', { body: 'Your code is 123456', purpose: 'otp' })], 'k');
    expect(repeat).toMatchObject({ code: 'duplicate_message', limit: 'duplicate' });
    expect(repeat?.retryAfterMs).toBe(6 * 60_000);
    // The repeat took nothing from the number's one code a minute.
    expect(await limits.admit([made('+14155550201', { body: 'Your code is 654321', purpose: 'otp' })], 'k')).toEqual([
      null,
    ]);
  });

  it('refuses the second of two equal messages in one request, and passes a guard for the store', async () => {
    const a = made('+14155550202', { body: 'same', purpose: 'otp' });
    const b = made('+14155550202', { body: 'same', purpose: 'otp' });
    expect(codes(await limits.admit([a, b], 'k'))).toEqual(['ok', 'duplicate_message']);
    expect(limits.guard()).toEqual({ windowMs: WINDOW, now: clock.now() });
    expect(limits.guard({ duplicates: false })).toBeNull();
  });

  it('leaves repeats to the store when no other rule would count the messages', async () => {
    // Transactional messages have no per-recipient limits by default: nothing to keep from counting.
    const stored = made('+14155550204', { body: 'Your parcel arrives today' });
    await fixture.repo.accept([stored], null);
    const repeat = made('+14155550204', { body: 'Your parcel arrives today' });
    expect(await limits.admit([repeat], 'k')).toEqual([null]);
    const guard = limits.guard();
    expect(await fixture.repo.accept([repeat], null, guard ?? undefined)).toEqual({
      kind: 'stored',
      duplicates: [{ index: 0, earlierAt: stored.createdAt }],
    });
  });

  it('gives back what was counted for a message the store refused afterwards', async () => {
    const code = () => made('+14155550203', { purpose: 'otp' });
    const counted = code();
    expect(await limits.admit([counted], 'k')).toEqual([null]);
    expect(codes(await limits.admit([code()], 'k'))).toEqual(['recipient_rate_limited']);
    await limits.release([counted], 'k');
    expect(await limits.admit([code()], 'k')).toEqual([null]);
  });
});
