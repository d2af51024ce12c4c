import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio/index.js';
import { startTidings, waitFor, type Tidings } from '../support/harness.js';

const A = { sid: `AC${'a1'.repeat(16)}`, token: 'token-of-account-a-0123456789', from: '+15005550006' };
const B = { sid: `AC${'b2'.repeat(16)}`, token: 'token-of-account-b-0123456789', from: '+15005550007' };
const unavailable = { status: 503, code: 20503, message: 'Service Unavailable' };

describe('outage drill: the primary Twilio account fails, traffic moves to the secondary and comes back', () => {
  let primary: FakeTwilio;
  let secondary: FakeTwilio;
  let t: Tidings;

  beforeAll(async () => {
    primary = await startFakeTwilio({ accountSid: A.sid, authToken: A.token, callbackDelayMs: 10 });
    secondary = await startFakeTwilio({ accountSid: B.sid, authToken: B.token, callbackDelayMs: 10 });
    t = await startTidings({
      TIDINGS_PROVIDERS: [
        `twilio://${A.sid}:${A.token}@${A.from}?name=a&baseUrl=${encodeURIComponent(primary.url)}`,
        `twilio://${B.sid}:${B.token}@${B.from}?name=b&baseUrl=${encodeURIComponent(secondary.url)}`,
      ].join(','),
      TIDINGS_SEND_TIMEOUT: '2s',
      TIDINGS_RETRY_BASE_DELAY: '50ms',
      TIDINGS_RETRY_MAX_DELAY: '300ms',
      TIDINGS_RETRY_MAX_ATTEMPTS: '10',
      TIDINGS_CIRCUIT_THRESHOLD: '3',
      TIDINGS_CIRCUIT_HALF_OPEN_AFTER: '700ms',
    });
  });
  afterAll(async () => {
    await t.stop();
    await primary.close();
    await secondary.close();
  });

  const sendMany = async (n: number, tag: string) => {
    const res = await t.api('POST', '/v1/messages/batch', {
      messages: Array.from({ length: n }, (_, i) => ({
        to: `+1415555${String(1000 + i).padStart(4, '0')}`,
        body: `${tag} ${i}`,
      })),
    });
    expect(res.body.accepted).toBe(n);
    return res.body.results.map((r: { id: string }) => r.id) as string[];
  };
  const allFinal = async (ids: string[]) =>
    waitFor(
      async () => Promise.all(ids.map(async (id) => (await t.api('GET', `/v1/messages/${id}`)).body)),
      (ms) => ms.every((m: { status: string }) => m.status === 'delivered'),
      20_000,
    );
  const providers = async () => (await t.api('GET', '/v1/providers')).body;

  it('routes to the primary while it is healthy', async () => {
    const ids = await sendMany(20, 'calm');
    const done = await allFinal(ids);
    expect(done.every((m: { provider: string }) => m.provider === 'twilio:a')).toBe(true);
    expect(secondary.messages).toHaveLength(0);
  });

  it('during timeouts and 503s, loses nothing and moves traffic to the secondary', async () => {
    primary.setLatency(4_000); // outlives the 2 s send timeout
    const slow = await allFinal(await sendMany(10, 'slow'));
    expect(slow.every((m: { provider: string }) => m.provider === 'twilio:b')).toBe(true);
    primary.setLatency(0);
    primary.failNext(100_000, unavailable);
    const ids = await sendMany(100, 'outage');
    const done = await allFinal(ids);
    expect(done.every((m: { provider: string }) => m.provider === 'twilio:b')).toBe(true);
    const view = await providers();
    expect(view.data.find((p: { id: string }) => p.id === 'twilio:a').state).not.toBe('closed');
    // Every message reached a carrier; the slow ones may also have reached the primary after we gave up.
    const carried = new Set(secondary.messages.map((m) => m.body));
    for (let i = 0; i < 100; i++) expect(carried.has(`outage ${i}`)).toBe(true);
    // Once the circuit is open, messages skip the primary instead of spending an attempt on it.
    const triedPrimary = done.filter((m: { events: { type: string; provider: string }[] }) =>
      m.events.some((e) => e.type === 'attempt_failed' && e.provider === 'twilio:a'),
    ).length;
    expect(triedPrimary).toBeLessThan(100);
  });

  it('probes the recovered primary and gives it its traffic back', async () => {
    primary.clearFaults();
    await new Promise((r) => setTimeout(r, 900)); // past the half-open delay
    const before = primary.messages.length;
    await allFinal(await sendMany(5, 'probe'));
    const ids = await sendMany(40, 'recovered');
    const done = await allFinal(ids);
    expect(done.filter((m: { provider: string }) => m.provider === 'twilio:a').length).toBe(40);
    expect(primary.messages.length).toBeGreaterThanOrEqual(before + 40);
    const view = await providers();
    expect(view.data.find((p: { id: string }) => p.id === 'twilio:a').state).toBe('closed');
    expect(view.data.find((p: { id: string }) => p.id === 'twilio:a').config).not.toContain(A.token);
  });
});
