/**
 * Conversions, tracked links, analytics and experiments through the HTTP API of a running Tidings
 * with the simulated carrier.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTidings, waitFor, type Tidings } from '../support/harness.js';

const LINK_DOMAIN = 'https://t.example.com';
const LONG_URL = 'https://shop.example.com/orders/2030/01/0123456789?utm_source=sms&utm_campaign=spring-sale';

describe('conversions, tracked links and analytics', () => {
  let t: Tidings;
  beforeAll(async () => {
    t = await startTidings({ TIDINGS_LINK_DOMAIN: LINK_DOMAIN });
    const put = await t.api('PUT', '/v1/templates/promo', {
      body: 'Spring sale for {{ name }}: {{ url }}',
      variants: [
        { name: 'plain', weight: 1 },
        { name: 'friendly', weight: 1, body: 'Hi {{ name }}! Our spring sale is on: {{ url }}' },
      ],
      trackLinks: true,
    });
    expect(put.status).toBeLessThan(300);
    expect(put.body.trackLinks).toBe(true);
  });
  afterAll(() => t.stop());

  const click = (path: string) => fetch(`${t.url}${path}`, { redirect: 'manual' });

  it('counts segments on the rewritten body, redirects a click and counts it', async () => {
    const filler = 'Your order has shipped and will arrive on Friday between nine and noon. Details: ';
    expect(filler.length + LONG_URL.length).toBeGreaterThan(160);
    const sent = await t.api('POST', '/v1/messages', {
      to: '+14155550401',
      body: `${filler}${LONG_URL}`,
      trackLinks: true,
      reference: 'order-401',
    });
    expect(sent.status).toBe(202);
    const link = new RegExp(`^${filler}${LINK_DOMAIN}/l/([0-9A-Za-z]{10})$`).exec(sent.body.body);
    expect(link).not.toBeNull();
    expect(sent.body.segments).toBe(1);
    await waitFor(
      () => t.api('GET', `/v1/messages/${sent.body.id}`),
      (r) => r.body.status === 'delivered',
    );
    const res = await click(`/l/${link![1]}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(LONG_URL);
    await click(`/l/${link![1]}`);
    const summary = await t.api('GET', '/v1/analytics/summary');
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ clicks: 2, clicked: 1 });
  });

  it('leaves bodies alone unless tracking is asked for', async () => {
    const sent = await t.api('POST', '/v1/messages', { to: '+14155550402', body: `See ${LONG_URL}` });
    expect(sent.body.body).toBe(`See ${LONG_URL}`);
  });

  it('answers unknown and malformed codes with the same neutral page', async () => {
    for (const path of ['/l/ZZZZZZZZZZ', '/l/..%2F..%2Fetc', '/l/x']) {
      const res = await click(path);
      expect(res.status).toBe(404);
      const html = await res.text();
      expect(html).toContain('This link is not available.');
      expect(html).not.toMatch(/error|stack|tidings|sqlite|postgres/i);
    }
  });

  it('records a conversion by reference once per id', async () => {
    const first = await t.api('POST', '/v1/conversions', {
      id: 'order-401-paid',
      reference: 'order-401',
      event: 'paid',
      value: 49.5,
      currency: 'usd',
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: 'order-401-paid', event: 'paid', value: 49.5, currency: 'USD' });
    const again = await t.api('POST', '/v1/conversions', {
      id: 'order-401-paid',
      reference: 'order-401',
      event: 'paid',
    });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const conflict = await t.api('POST', '/v1/conversions', {
      id: 'order-401-paid',
      reference: 'order-401',
      event: 'x',
    });
    expect(conflict.status).toBe(409);
    const unknown = await t.api('POST', '/v1/conversions', { reference: 'nope', event: 'paid' });
    expect(unknown.status).toBe(404);
    const both = await t.api('POST', '/v1/conversions', { reference: 'a', messageId: 'b', event: 'paid' });
    expect(both.status).toBe(400);
    const summary = await t.api('GET', '/v1/analytics/summary');
    expect(summary.body).toMatchObject({ conversions: 1, converted: 1 });
  });

  it('compares template variants, withholding a verdict below the minimum sample', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const r = await t.api('POST', '/v1/messages', {
        to: `+1415555${String(1000 + i)}`,
        template: 'promo',
        data: { name: 'Ada', url: 'https://shop.example.com/sale' },
      });
      expect(r.status).toBe(202);
      expect(r.body.body).toContain(`${LINK_DOMAIN}/l/`);
      ids.push(r.body.id);
    }
    await waitFor(
      () => t.api('GET', '/v1/analytics/breakdown?by=template'),
      (r) => r.body.rows.find((x: { key: string }) => x.key === 'promo')?.delivered === 40,
    );
    // Every message of the "friendly" variant converts; none of "plain".
    for (const id of ids) {
      const m = await t.api('GET', `/v1/messages/${id}`);
      if (m.body.template.variant === 'friendly') {
        expect((await t.api('POST', '/v1/conversions', { messageId: id, event: 'booked' })).status).toBe(201);
      }
    }
    const early = await t.api('GET', '/v1/experiments/promo');
    expect(early.status).toBe(200);
    expect(early.body).toMatchObject({
      control: 'plain',
      metric: 'conversion',
      minSample: 100,
      status: 'not_enough_data',
    });
    expect(early.body.variants[1]).toMatchObject({ variant: 'friendly', status: 'not_enough_data', comparison: null });
    const ready = await t.api('GET', '/v1/experiments/promo?minSample=5');
    const [plain, friendly] = ready.body.variants;
    expect(plain).toMatchObject({ variant: 'plain', status: 'control', rate: 0 });
    expect(friendly.rate).toBe(1);
    expect(plain.sent + friendly.sent).toBe(40);
    expect(friendly.comparison.difference).toBe(1);
    expect(friendly.comparison.pValue).toBeLessThan(0.001);
    expect(friendly.status).toBe('significant');
    const delivery = await t.api('GET', '/v1/experiments/promo?metric=delivery&minSample=5&control=friendly');
    expect(delivery.body.control).toBe('friendly');
    expect(delivery.body.variants.find((v: { variant: string }) => v.variant === 'plain').status).toBe(
      'not_significant',
    );
    expect((await t.api('GET', '/v1/experiments/nothing-here')).status).toBe(404);
  });

  it('breaks down by variant, hour and weekday, and refuses bad ranges', async () => {
    const byVariant = await t.api('GET', '/v1/analytics/breakdown?by=variant&template=promo');
    expect(byVariant.status).toBe(200);
    expect(byVariant.body.rows.map((r: { key: string }) => r.key).sort()).toEqual(['friendly', 'plain']);
    const byHour = await t.api('GET', '/v1/analytics/breakdown?by=hour&tz=Asia/Shanghai');
    expect(byHour.body.rows.reduce((a: number, r: { accepted: number }) => a + r.accepted, 0)).toBe(42);
    const byDay = await t.api('GET', '/v1/analytics/breakdown?by=weekday');
    expect(byDay.body.rows[0].key).toMatch(/^(mon|tue|wed|thu|fri|sat|sun)$/);
    expect((await t.api('GET', '/v1/analytics/breakdown?by=colour')).status).toBe(400);
    expect((await t.api('GET', '/v1/analytics/summary?from=2030-02-01&to=2030-01-01')).status).toBe(400);
    expect((await t.api('GET', '/v1/analytics/breakdown?by=hour&tz=Mars/Olympus')).status).toBe(400);
    const old = await t.api('GET', '/v1/analytics/summary?from=2001-01-01&to=2001-01-02');
    expect(old.body).toMatchObject({ sent: 0, deliveryRate: null, medianDeliverySeconds: null, cost: {} });
  });
});

describe('tracked links with a fallback page', () => {
  let t: Tidings;
  beforeAll(async () => {
    t = await startTidings({ TIDINGS_LINK_DOMAIN: LINK_DOMAIN, TIDINGS_LINK_FALLBACK_URL: 'https://example.com/' });
  });
  afterAll(() => t.stop());

  it('redirects an unknown code to the configured page', async () => {
    const res = await fetch(`${t.url}/l/AAAAAAAAAA`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://example.com/');
  });
});
