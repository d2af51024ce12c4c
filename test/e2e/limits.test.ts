/**
 * Protection through the HTTP API, as a caller meets it: 429 with Retry-After and RateLimit
 * headers, refusals that name their limit, the geo allow-list, limits that survive a restart,
 * quiet hours held and released on each recipient's clock (an injected clock, across a DST
 * change), the spend cut-off, and pacing to a provider's declared rate.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { startTidings, waitFor, type Tidings } from '../support/harness.js';

let t: Tidings | null = null;
afterEach(async () => {
  await t?.stop();
  t = null;
});

const otp = (to: string) => ({
  to,
  body: `Your code is ${Math.floor(100000 + Math.random() * 900000)}`,
  purpose: 'otp',
});

describe('API limits per key', () => {
  it('answers 429 one request over the limit, with Retry-After and the RateLimit fields', async () => {
    t = await startTidings({ TIDINGS_API_REQUEST_LIMIT: '5/1m' });
    for (let i = 0; i < 5; i++) {
      const res = await t.api('GET', '/v1/messages?limit=1');
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBe('5');
      expect(res.headers.get('ratelimit-remaining')).toBe(String(4 - i));
      expect(res.headers.get('ratelimit-policy')).toBe('5;w=60');
    }
    const over = await t.api('POST', '/v1/messages', { to: '+14155550100', body: 'hi' });
    expect(over.status).toBe(429);
    expect(over.body.error).toMatchObject({ code: 'rate_limited', limit: 'api.requests' });
    const retryAfter = Number(over.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(50);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(over.headers.get('ratelimit-remaining')).toBe('0');
    // Public routes are not counted and carry no fields.
    const health = await fetch(`${t.url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('ratelimit-limit')).toBeNull();
  });

  it('counts messages per key, a batch item by item', async () => {
    t = await startTidings({ TIDINGS_API_MESSAGE_LIMIT: '3/1m' });
    const res = await t.api('POST', '/v1/messages/batch', {
      messages: ['+14155550111', '+14155550112', '+14155550113', '+14155550114'].map((to) => ({ to, body: 'hello' })),
    });
    expect(res.body.accepted).toBe(3);
    expect(res.body.results[3].error).toMatchObject({ code: 'rate_limited', limit: 'api.messages' });
    expect(res.body.results[3].error.retryAfter).toBeGreaterThan(0);
  });
});

describe('per-recipient limits, duplicates and the geo allow-list', () => {
  it('refuses the second code in a minute with the limit it hit, and drops a duplicate text', async () => {
    t = await startTidings({ TIDINGS_RECIPIENT_LIMITS: '', TIDINGS_DUPLICATE_WINDOW: '' });
    expect((await t.api('POST', '/v1/messages', otp('+14155550120'))).status).toBe(202);
    const second = await t.api('POST', '/v1/messages', otp('+14155550120'));
    expect(second.status).toBe(429);
    expect(second.body.error).toMatchObject({ code: 'recipient_rate_limited', limit: 'recipient.otp.1m' });
    expect(second.body.error.message).toMatch(/1 per 1m/);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    const text = { to: '+14155550121', body: 'Your parcel arrives today' };
    expect((await t.api('POST', '/v1/messages', text)).status).toBe(202);
    const dup = await t.api('POST', '/v1/messages', text);
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'duplicate_message', limit: 'duplicate' });
  });

  it('accepts one of many concurrent requests with the same text, and counts only that one', async () => {
    t = await startTidings({ TIDINGS_API_MESSAGE_LIMIT: '3/1m', TIDINGS_DUPLICATE_WINDOW: '' });
    const text = { to: '+14155550122', body: 'Your table for 4 is ready' };
    const answers = await Promise.all(Array.from({ length: 10 }, () => t!.api('POST', '/v1/messages', text)));
    expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
    for (const a of answers.filter((r) => r.status !== 202)) {
      expect(a.status).toBe(409);
      expect(a.body.error).toMatchObject({ code: 'duplicate_message', limit: 'duplicate' });
    }
    const sent = await t.api('GET', '/v1/messages?to=%2B14155550122&limit=50');
    expect(sent.body.data).toHaveLength(1);
    // The nine repeats took nothing from the key's 3 a minute.
    expect((await t.api('POST', '/v1/messages', { ...text, body: 'second' })).status).toBe(202);
    expect((await t.api('POST', '/v1/messages', { ...text, body: 'third' })).status).toBe(202);
    expect((await t.api('POST', '/v1/messages', { ...text, body: 'fourth' })).status).toBe(429);
  });

  it('sends only to allowed countries', async () => {
    t = await startTidings({ TIDINGS_ALLOWED_COUNTRIES: 'US,CA' });
    expect((await t.api('POST', '/v1/messages', { to: '+14155550130', body: 'ok' })).status).toBe(202);
    const gb = await t.api('POST', '/v1/messages', { to: '+447400123456', body: 'no' });
    expect(gb.status).toBe(422);
    expect(gb.body.error).toMatchObject({ code: 'destination_not_allowed', limit: 'geo', field: 'to' });
  });

  it('remembers a number’s count across a restart (a SQLite file reopened)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidings-limits-restart-'));
    const env = { TIDINGS_DATABASE_URL: `sqlite:${join(dir, 'tidings.db')}`, TIDINGS_RECIPIENT_LIMITS: '' };
    try {
      t = await startTidings(env);
      expect((await t.api('POST', '/v1/messages', otp('+14155550140'))).status).toBe(202);
      await t.stop();
      t = await startTidings(env);
      const again = await t.api('POST', '/v1/messages', otp('+14155550140'));
      expect(again.status).toBe(429);
      expect(again.body.error.limit).toBe('recipient.otp.1m');
    } finally {
      await t?.stop();
      t = null;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('spend', () => {
  it('refuses the message that would pass the daily limit', async () => {
    // The simulator's example price to the US is 0.0083 USD: three messages are exactly 0.0249.
    t = await startTidings({ TIDINGS_SPEND_DAY_LIMIT: '0.0249 USD' });
    for (let i = 0; i < 3; i++) {
      expect((await t.api('POST', '/v1/messages', { to: `+1415555015${i}`, body: 'x' })).status).toBe(202);
    }
    const over = await t.api('POST', '/v1/messages', { to: '+14155550159', body: 'x' });
    expect(over.status).toBe(429);
    expect(over.body.error).toMatchObject({ code: 'spend_limit_reached', limit: 'spend.day.USD' });
  });
});

describe('quiet hours', () => {
  it('holds marketing until 08:00 on each recipient’s clock, across the DST change, and releases it then', async () => {
    // 03:30Z on 9 March 2031: 22:30 the evening before in New York (clocks go forward tonight),
    // 03:30 in London, 11:30 in Shanghai.
    const clock = new ManualClock(Date.parse('2031-03-09T03:30:00Z'));
    t = await startTidings({ TIDINGS_QUIET_HOURS: 'marketing=21:00-08:00' }, { clock });
    const send = (body: Record<string, unknown>) =>
      t!.api('POST', '/v1/messages', { body: 'Spring sale', purpose: 'marketing', ...body });
    const ny = await send({ to: '+14155550160' }); // a US number: New York time unless told otherwise
    const london = await send({ to: '+447400123456' });
    const shanghai = await send({ to: '+8613800138000' });
    const tokyo = await send({ to: '+14155550161', recipient: { timezone: 'Asia/Tokyo' } });
    const urgent = await send({ to: '+14155550162', urgent: true });
    const code = await t.api('POST', '/v1/messages', otp('+14155550163'));
    expect([ny, london].map((r) => [r.body.status, r.body.sendAt])).toEqual([
      ['scheduled', '2031-03-09T12:00:00.000Z'], // 08:00 EDT, not 13:00Z
      ['scheduled', '2031-03-09T08:00:00.000Z'],
    ]);
    for (const r of [shanghai, tokyo, urgent, code]) expect(r.body.status).toBe('queued');

    const status = async (id: string) => (await t!.api('GET', `/v1/messages/${id}`)).body.status;
    await waitFor(
      () => status(shanghai.body.id),
      (s) => s !== 'queued',
    );
    clock.advance(Date.parse('2031-03-09T07:59:00Z') - clock.now());
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await status(london.body.id)).toBe('scheduled');
    clock.advance(60_000); // 08:00 in London
    await waitFor(
      () => status(london.body.id),
      (s) => s === 'sent' || s === 'delivered',
    );
    expect(await status(ny.body.id)).toBe('scheduled');
    clock.advance(Date.parse('2031-03-09T12:00:00Z') - clock.now()); // 08:00 in New York
    await waitFor(
      () => status(ny.body.id),
      (s) => s === 'sent' || s === 'delivered',
    );
  });
});

describe('pacing', () => {
  it('sends a burst to a provider declared at 20 per second within 10% of that rate over 10 s', async () => {
    t = await startTidings({ TIDINGS_PROVIDERS: 'sim://paced?latency=5ms&deliverAfter=60m&mps=20' });
    const res = await t.api('POST', '/v1/messages/batch', {
      messages: Array.from({ length: 320 }, (_, i) => ({ to: `+1415555${2000 + i}`, body: `burst ${i}` })),
    });
    expect(res.body.accepted).toBe(320);
    const sentTimes = async (): Promise<number[]> => {
      const list = await t!.api('GET', '/v1/messages?status=sent&limit=500');
      return list.body.data.map((m: { updatedAt: string }) => Date.parse(m.updatedAt));
    };
    // A 10 s window that starts mid-second, so that the jitter of when a send is recorded cannot put
    // an eleventh one-second allowance inside it.
    const first = Math.min(...(await waitFor(sentTimes, (ts) => ts.length > 0)));
    const from = first + 500;
    await new Promise((r) => setTimeout(r, Math.max(0, from + 10_500 - Date.now())));
    const times = await sentTimes();
    const inWindow = times.filter((at) => at >= from && at < from + 10_000).length;
    expect(inWindow).toBeGreaterThanOrEqual(180);
    expect(inWindow).toBeLessThanOrEqual(220);
    // Nothing failed or used up an attempt by waiting.
    const one = await t.api('GET', `/v1/messages/${res.body.results[319].id}`);
    expect(one.body.attempts ?? 0).toBeLessThanOrEqual(1);
  }, 30_000);
});
