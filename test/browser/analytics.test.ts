/**
 * The dashboard's analytics in a real browser (Debian's Chromium through playwright-core) against
 * a real Tidings with the simulated carrier: the overview counts what was sent, read from the
 * analytics rollups; the experiments page shows an empty state, an unknown template's error, and a
 * two-variant template's sends, conversions, rates and verdict as the API computes them, in
 * English and Chinese, with no serious accessibility fault; and a provider's token never shows.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, expectNoSeriousA11yFaults, shot, signIn } from '../support/browser-checks.js';
import { chromiumAvailable, launchChromium, type LaunchedBrowser } from '../support/chromium.js';
import { TEST_KEY, startTidings, waitFor, type Tidings } from '../support/harness.js';

// Without Chromium the suite is skipped on a developer's machine, and fails under CI.
const run = chromiumAvailable() || process.env['CI'] === 'true';

const TWILIO_TOKEN = 'f00dfeedcafe0123456789abcdef0123';
const TWILIO = `twilio://AC0123456789abcdef0123456789abcdef:${TWILIO_TOKEN}@+15005550006?baseUrl=http%3A%2F%2F127.0.0.1%3A9`;

interface ApiMessage {
  id: string;
  status: string;
  template: { variant: string | null } | null;
}

describe.skipIf(!run)('analytics in the dashboard', () => {
  let t: Tidings;
  let browser: LaunchedBrowser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    buildDashboard();
    // A Twilio account second in routing order (it never sends here): its token must never show.
    t = await startTidings({ TIDINGS_PROVIDERS: `sim://?latency=2ms&deliverAfter=20ms,${TWILIO}` });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await signIn(page, t.url, TEST_KEY);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function sendAll(bodies: object[]): Promise<string[]> {
    const ids: string[] = [];
    for (const b of bodies) {
      const res = await t.api('POST', '/v1/messages', b);
      expect(res.status).toBe(202);
      ids.push((res.body as { id: string }).id);
    }
    // Until every one has its outcome: delivered, or failed (the simulator's invalid number).
    const wanted = new Set(ids);
    await waitFor(
      () => t.api('GET', '/v1/messages?limit=500'),
      (r) =>
        (r.body as { data: ApiMessage[] }).data.filter(
          (m) => wanted.has(m.id) && (m.status === 'delivered' || m.status === 'failed'),
        ).length === ids.length,
      20_000,
    );
    return ids;
  }

  it('counts on the overview what was sent: send N, see N more', async () => {
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    const tile = page.getByTestId('tile-messages');
    await expect.poll(() => tile.textContent()).toBe('0');
    await sendAll(Array.from({ length: 7 }, (_, i) => ({ to: `+1415555${2000 + i}`, body: `Overview test ${i}` })));
    await expect.poll(() => tile.textContent(), { timeout: 15_000 }).toBe('7');
    await expect.poll(() => page.getByTestId('tile-delivery').textContent(), { timeout: 15_000 }).toBe('100%');
    await sendAll([
      { to: '+14155550001', body: 'Invalid number test' },
      { to: '+14155552100', body: 'one more' },
    ]);
    await expect.poll(() => tile.textContent(), { timeout: 15_000 }).toBe('9');
    // The failure shows by its code, and the provider's day counts its sends.
    await page.getByRole('cell', { name: '21211' }).waitFor();
    const sim = page.locator('tr[data-provider="sim:default"]');
    await expect.poll(() => sim.locator('td').nth(4).textContent()).toBe('8');
  });

  it("lists a provider's URL on the providers page with its token masked", async () => {
    await page.getByRole('link', { name: 'Providers', exact: true }).click();
    const row = page.locator('tr[data-provider^="twilio"]');
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('twilio://');
    expect(text).not.toContain(TWILIO_TOKEN);
    expect(await page.content()).not.toContain(TWILIO_TOKEN);
    await expectNoSeriousA11yFaults(page, 'providers');
  });

  it('shows an empty state before any template has variants, and an error for an unknown one', async () => {
    await page.getByRole('link', { name: 'Experiments', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Experiments' }).waitFor();
    await page.getByTestId('experiments-empty').waitFor();
    await page.goto(`${t.url}/#/experiments/no-such-template`);
    await page.getByRole('alert').getByText('Not found.').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('no-such-template');
  });

  it('compares two variants sent through sim: sends, conversions, rates, intervals and the verdict', async () => {
    const put = await t.api('PUT', '/v1/templates/promo', {
      body: 'Hi {{ name }}, 10% off this week.',
      variants: [
        { name: 'plain', weight: 1 },
        { name: 'urgent', weight: 1, body: '{{ name }}, 10% off ends Sunday!' },
      ],
    });
    expect(put.status).toBeLessThan(300);
    const ids = await sendAll(
      Array.from({ length: 40 }, (_, i) => ({ to: `+1415555${3000 + i}`, template: 'promo', data: { name: 'Ann' } })),
    );
    const messages = await Promise.all(
      ids.map(async (id) => (await t.api('GET', `/v1/messages/${id}`)).body as ApiMessage),
    );
    const byVariant = (v: string) => messages.filter((m) => m.template?.variant === v);
    const plain = byVariant('plain');
    const urgent = byVariant('urgent');
    expect(plain.length + urgent.length).toBe(40);
    // Every "urgent" message converts, one "plain" message does.
    for (const m of [...urgent, ...plain.slice(0, 1)]) {
      const res = await t.api('POST', '/v1/conversions', { messageId: m.id, event: 'booked' });
      expect(res.status).toBe(201);
    }

    await page.goto(`${t.url}/#/experiments`);
    await page.getByRole('link', { name: 'promo' }).click();
    await page.getByRole('heading', { level: 1, name: 'Experiments: promo' }).waitFor();
    const verdict = page.getByTestId('experiment-verdict');
    await expect.poll(() => verdict.textContent()).toContain('Not enough data yet');
    const row = (v: string) => page.locator(`tr[data-variant="${v}"]`);
    const cell = (v: string, col: string) => row(v).locator(`td[data-col="${col}"]`).textContent();
    await expect.poll(() => cell('plain', 'sent')).toBe(String(plain.length));
    expect(await cell('urgent', 'sent')).toBe(String(urgent.length));
    expect(await cell('urgent', 'successes')).toBe(String(urgent.length));
    expect(await cell('plain', 'successes')).toBe('1');
    expect(await cell('urgent', 'rate')).toMatch(/^100%95 %: \d+(\.\d)?% to 100%$/);
    expect(await row('plain').textContent()).toContain('Control');

    // With a small enough minimum sample the API gives its verdict: urgent is significantly better.
    await page.getByLabel('Minimum sample per variant').fill('5');
    await expect.poll(() => verdict.textContent()).toBe('Variant urgent wins: significantly better than the control.');
    expect(await row('urgent').textContent()).toContain('Better');
    const api = await t.api('GET', '/v1/experiments/promo?minSample=5');
    const arm = (api.body as { variants: { variant: string; comparison: { pValue: number } }[] }).variants.find(
      (a) => a.variant === 'urgent',
    );
    // All urgent messages converted against one plain one: far below 0.001, shown as such.
    expect(arm!.comparison.pValue).toBeLessThan(0.001);
    expect(await row('urgent').locator('td').nth(6).textContent()).toBe('< 0.001');
    await expectNoSeriousA11yFaults(page, 'experiments');
    await shot(page, 'experiments');

    // Against "urgent" as the control, "plain" is significantly worse: the control wins.
    await page.getByLabel('Compare with').selectOption('urgent');
    await expect
      .poll(() => verdict.textContent())
      .toBe('The control urgent wins: every variant is significantly worse.');
    expect(await row('plain').textContent()).toContain('Worse');
    await page.getByLabel('Compare with').selectOption('');
    await expect.poll(() => verdict.textContent()).toBe('Variant urgent wins: significantly better than the control.');

    // The delivery metric: every message was delivered, so no variant differs.
    await page.getByLabel('Judge by').selectOption('delivery');
    await expect.poll(() => verdict.textContent()).toBe('No clear winner: the differences could be chance.');

    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 1, name: '实验: promo' }).waitFor();
    await expect.poll(() => verdict.textContent()).toBe('没有明确的胜者：差异可能只是偶然。');
    await expectNoSeriousA11yFaults(page, 'experiments-zh');
    await page.getByRole('button', { name: 'English' }).click();
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
