/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against a real
 * Tidings with the simulated carrier: sign in, send a test and watch it delivered on its timeline,
 * edit a template and see the preview follow, add and remove a suppression, switch to Chinese,
 * use it on a phone and from the keyboard; every page checked with axe for serious accessibility
 * faults and for CSP violations. TIDINGS_SCREENSHOTS=<dir> also saves a PNG of every page.
 */
import { createServer, type Server } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildDashboard, expectNoSeriousA11yFaults, shot } from '../support/browser-checks.js';
import { chromiumAvailable, launchChromium, type LaunchedBrowser } from '../support/chromium.js';
import { TEST_KEY, startTidings, waitFor, type Tidings } from '../support/harness.js';

// The callbacks given to page.evaluate run in the page; this file compiles without the DOM library
// (the rest of the tests are Node code), so the few browser globals they touch are declared here.
interface FocusedElement {
  id: string;
  tagName: string;
  textContent: string | null;
}
declare const window: { innerWidth: number };
declare const document: {
  activeElement: FocusedElement | null;
  cookie: string;
  documentElement: { lang: string; scrollWidth: number };
};
declare const sessionStorage: { getItem(key: string): string | null };
declare const localStorage: { getItem(key: string): string | null };
declare function getComputedStyle(el: FocusedElement): { outlineStyle: string; outlineWidth: string };

// Without Chromium the suite is skipped on a developer's machine, and fails under CI.
const run = chromiumAvailable() || process.env['CI'] === 'true';

describe.skipIf(!run)('the dashboard in Chromium', () => {
  let t: Tidings;
  let browser: LaunchedBrowser;
  let page: Page;
  let hook: Server;
  const requestUrls: string[] = [];
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    buildDashboard();
    hook = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    t = await startTidings({ TIDINGS_PROVIDERS: 'sim://?latency=5ms&deliverAfter=150ms' });
    await seed(t, hook);
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('request', (r) => requestUrls.push(r.url()));
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    await new Promise((resolve) => hook?.close(resolve));
  });

  it('serves the dashboard at / with its security headers, and refuses a wrong key', async () => {
    const res = await page.goto(t.url);
    expect(res?.status()).toBe(200);
    const headers = res?.headers() ?? {};
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-content-type-options']).toBe('nosniff');
    await expectNoSeriousA11yFaults(page, 'sign-in');
    await shot(page, 'sign-in');

    await page.getByLabel('API key').fill('tk_wrong_key_0123456789');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('That key was not accepted.').waitFor();
  });

  it('signs in with a key kept in session storage, never in a URL', async () => {
    await page.getByLabel('API key').fill(TEST_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('tidings.apiKey'))).toBe(TEST_KEY);
    expect(await page.evaluate(() => localStorage.getItem('tidings.apiKey'))).toBeNull();
    expect(await page.evaluate(() => document.cookie)).toBe('');
    // The overview's figures come from the seeded traffic.
    await page.getByText('Failures today by code').waitFor();
    await page.getByRole('cell', { name: '21211' }).waitFor();
    await expectNoSeriousA11yFaults(page, 'overview');
    await shot(page, 'overview');
  });

  it('sends a test through sim, previewing encoding, segments and cost, and shows it delivered on its timeline', async () => {
    await page.getByRole('link', { name: 'Send', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Send' }).waitFor();
    await page.getByLabel('To', { exact: true }).fill('+14155552671');
    await page.getByLabel('Message', { exact: true }).fill('Your table for 4 is booked — see you at 19:30.');
    await expect.poll(() => page.getByTestId('preview-encoding').textContent()).toBe('UCS-2');
    await page.getByText('These characters force UCS-2').waitFor();
    await page.getByLabel('Message', { exact: true }).fill('Your table for 4 is booked - see you at 19:30.');
    await expect.poll(() => page.getByTestId('preview-encoding').textContent()).toBe('GSM-7');
    expect(await page.getByTestId('preview-segments').textContent()).toBe('1');
    expect(await page.getByTestId('preview-cost').textContent()).toContain('(sim)');
    await expectNoSeriousA11yFaults(page, 'send');
    await shot(page, 'send');

    await page.getByRole('button', { name: 'Send test' }).click();
    await page.getByTestId('sent-link').click();
    await page.getByRole('heading', { level: 1, name: /Message/ }).waitFor();
    const timeline = page.getByTestId('timeline');
    await timeline.locator('li[data-status="delivered"]').waitFor({ timeout: 10_000 });
    expect(await timeline.locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-status')))).toEqual([
      'queued',
      'sending',
      'sent',
      'delivered',
    ]);
    await page.getByText('Watching for updates…').waitFor({ state: 'detached' });
    // The simulated phone answers; the reply shows under the message.
    await page.getByLabel('Reply as the recipient (simulator)').fill('Thanks, see you!');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.locator('.replies').getByText('Thanks, see you!').waitFor();
    await expectNoSeriousA11yFaults(page, 'message');
    await shot(page, 'message');

    const id = decodeURIComponent(page.url().split('/').pop() ?? '');
    const stored = await t.api('GET', `/v1/messages/${id}`);
    expect(stored.body).toMatchObject({ status: 'delivered', body: 'Your table for 4 is booked - see you at 19:30.' });
  });

  it('sends from a template: variables filled in, preview in the chosen language', async () => {
    await page.getByRole('link', { name: 'Send', exact: true }).click();
    await page.getByLabel('Use a template').check();
    await page.getByLabel('Template', { exact: true }).selectOption('booking');
    await page.getByLabel('To', { exact: true }).fill('+8613812348000');
    await page.getByLabel('name', { exact: true }).fill('Ann');
    await page.getByLabel('size', { exact: true }).fill('4');
    const preview = page.getByTestId('preview-text');
    await expect.poll(() => preview.textContent()).toBe('Hi Ann, your table for 4 is booked. Reply 1 to confirm.');
    await page.getByLabel('Language').selectOption('zh');
    await expect.poll(() => preview.textContent()).toBe('Ann您好，您预订的4人餐位已确认。回复1确认。');
    expect(await page.getByTestId('preview-encoding').textContent()).toBe('UCS-2');
    await page.getByLabel('Reference (optional)').fill('booking-77');
    await page.getByRole('button', { name: 'Send test' }).click();
    await page.getByTestId('sent-link').waitFor();
    const sent = await t.api('GET', '/v1/messages?reference=booking-77');
    expect(sent.body.data).toHaveLength(1);
    expect(sent.body.data[0]).toMatchObject({
      to: '+8613812348000',
      body: 'Ann您好，您预订的4人餐位已确认。回复1确认。',
      template: { name: 'booking', locale: 'zh' },
    });
  });

  it('finds messages by number and status', async () => {
    await page.getByRole('link', { name: 'Messages', exact: true }).click();
    await page.getByLabel('Number').fill('+14155550001');
    await page.getByRole('button', { name: 'Search' }).click();
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Failed');
    await page.getByLabel('Number').fill('');
    await page.getByLabel('Status').selectOption('delivered');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(async () => (await rows.allTextContents()).every((r) => r.includes('Delivered'))).toBe(true);
    // The template filter is the API's: it finds every message rendered from the template.
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Template').selectOption('booking');
    await page.getByRole('button', { name: 'Search' }).click();
    const booking = (await t.api('GET', '/v1/messages?template=booking')).body.data as { id: string }[];
    expect(booking.length).toBe(3);
    await expect
      .poll(async () => (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-message-id')))).sort())
      .toEqual(booking.map((m) => m.id).sort());
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => rows.count()).toBeGreaterThan(3);
    await expectNoSeriousA11yFaults(page, 'messages');
    await shot(page, 'messages');
  });

  it('edits a template and the live preview follows; saving makes versions', async () => {
    await page.getByRole('link', { name: 'Templates', exact: true }).click();
    await page.getByLabel('New template name').fill('welcome');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'New template welcome' }).waitFor();
    const preview = page.getByTestId('preview-text');
    await page.getByLabel('Body', { exact: true }).fill('Hi {{ name }}, welcome aboard.');
    await expect.poll(() => preview.textContent()).toBe('Hi [name], welcome aboard.');
    await page.getByLabel('name', { exact: true }).fill('Ann');
    await expect.poll(() => preview.textContent()).toBe('Hi Ann, welcome aboard.');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.getByText('Saved as version 1.').waitFor();

    await page.getByLabel('Body', { exact: true }).fill('Hello {{ name }}, your first order ships free.');
    await expect.poll(() => preview.textContent()).toBe('Hello Ann, your first order ships free.');
    await page.getByRole('button', { name: 'Add a variant' }).click();
    await page.getByRole('button', { name: 'Add a variant' }).click();
    await page.getByLabel('Weight').nth(0).fill('3');
    await page.getByText('75% of messages').waitFor();
    await page.getByLabel('Variant body (optional)').nth(1).fill('{{ name }}, welcome! 您好');
    await page.getByLabel('Variant', { exact: true }).selectOption('v2');
    await expect.poll(() => preview.textContent()).toBe('Ann, welcome! 您好');
    await expect.poll(() => page.getByTestId('preview-encoding').textContent()).toBe('UCS-2');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.getByText('Saved as version 2.').waitFor();
    const history = page.locator('.history li');
    await expect.poll(() => history.count()).toBe(2);
    await expectNoSeriousA11yFaults(page, 'templates');
    await shot(page, 'templates');

    const saved = await t.api('GET', '/v1/templates/welcome');
    expect(saved.body).toMatchObject({
      version: 2,
      body: 'Hello {{ name }}, your first order ships free.',
      variants: [
        { name: 'v1', weight: 3 },
        { name: 'v2', weight: 1, body: '{{ name }}, welcome! 您好' },
      ],
    });
    // Loading version 1 back puts its body in the editor, unsaved.
    await page.getByRole('button', { name: 'Load v1 into the editor' }).click();
    expect(await page.getByLabel('Body', { exact: true }).inputValue()).toBe('Hi {{ name }}, welcome aboard.');
  });

  it('adds a suppression with reason and note, then removes it', async () => {
    await page.getByRole('link', { name: 'Suppressions', exact: true }).click();
    const add = page.locator('form', { has: page.getByRole('heading', { name: 'Suppress a number' }) });
    await add.getByLabel('Number').fill('+14155550123');
    await add.getByLabel('Reason').selectOption('complaint');
    await add.getByLabel('Note').fill('asked by phone');
    await add.getByRole('button', { name: 'Add to the list' }).click();
    const row = page.locator('tr[data-number="+14155550123"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('Complaint');
    expect(await row.textContent()).toContain('asked by phone');
    const listed = await t.api('GET', '/v1/suppressions/+14155550123');
    expect(listed.body).toMatchObject({ reason: 'complaint', note: 'asked by phone' });
    expect(await row.textContent()).toContain(listed.body.source);
    await expectNoSeriousA11yFaults(page, 'suppressions');
    await shot(page, 'suppressions');

    await row.getByRole('button', { name: 'Remove' }).click();
    await row.getByRole('button', { name: 'Remove +14155550123' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await t.api('GET', '/v1/suppressions/+14155550123')).status).toBe(404);
  });

  it('shows providers with masked configuration, circuit state and latency', async () => {
    await page.getByRole('link', { name: 'Providers', exact: true }).click();
    const row = page.locator('tr[data-provider="sim:default"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('Healthy');
    expect(await row.textContent()).toContain('sim://');
    await expectNoSeriousA11yFaults(page, 'providers');
    await shot(page, 'providers');
  });

  it('lists webhook endpoints and their delivery log; a new endpoint shows its secret once', async () => {
    await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
    await page.locator('.link-list a').first().click();
    await page.getByRole('heading', { name: 'Delivery log' }).waitFor();
    await page.locator('tbody tr').first().waitFor();
    expect(await page.locator('tbody').textContent()).toContain('message.delivered');
    await expectNoSeriousA11yFaults(page, 'webhooks');
    await shot(page, 'webhooks');

    await page.getByLabel('URL').fill(`http://127.0.0.1:${(hook.address() as { port: number }).port}/second`);
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = await page.locator('.secret').textContent();
    expect(secret).toMatch(/^whsec_/);
    const listed = await t.api('GET', '/v1/webhooks');
    expect(JSON.stringify(listed.body)).not.toContain(secret);
  });

  it('switches to Chinese and back; the choice outlives a reload', async () => {
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 1, name: '总览' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await page.getByRole('navigation').textContent()).toContain('屏蔽名单');
    await page.getByText('今日失败（按错误码）').waitFor();
    await shot(page, 'overview-zh');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: '总览' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  });

  it('works from the keyboard: skip link first, then the navigation, with a visible focus ring', async () => {
    // A fresh load, so focus starts at the top of the document.
    await page.goto(`${t.url}/#/messages`);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Messages' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // Backwards from the content: the header's last control, with its focus ring showing.
    await page.keyboard.press('Shift+Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as FocusedElement;
      return {
        text: el.textContent,
        outline: getComputedStyle(el).outlineStyle,
        width: getComputedStyle(el).outlineWidth,
      };
    });
    expect(focused).toEqual({ text: 'Sign out', outline: 'solid', width: '3px' });
    // Following a link with Enter lands focus on the new page's heading.
    await page.getByRole('link', { name: 'Providers', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.tagName + ':' + document.activeElement?.textContent))
      .toBe('H1:Providers');
  });

  it('fits a phone: one column, a menu button, nothing wider than the screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    onTestFinished(() => page.setViewportSize({ width: 1280, height: 900 }));
    await page.goto(`${t.url}/#/overview`);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    const menu = page.getByRole('button', { name: 'Menu' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByRole('link', { name: 'Suppressions', exact: true }).isVisible()).toBe(false);
    await page.getByText('Failures today by code').waitFor();
    for (const route of [
      'overview',
      'messages',
      'send',
      'templates/welcome',
      'experiments/welcome',
      'suppressions',
      'providers',
      'webhooks',
    ]) {
      await page.goto(`${t.url}/#/${route}`);
      await page.locator('h1').waitFor();
      if (route.startsWith('experiments/')) await page.getByTestId('experiment-table').waitFor();
      await page.waitForTimeout(150);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, route).toBeLessThanOrEqual(0);
    }
    await page.goto(`${t.url}/#/overview`);
    await page.getByText('Failures today by code').waitFor();
    await shot(page, 'overview-phone', false);
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await page.getByRole('link', { name: 'Suppressions', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Suppressions' }).waitFor();
    await expect.poll(() => menu.getAttribute('aria-expanded')).toBe('false');
  });

  it('signs out, forgetting the key; no request ever carried it in a URL; no CSP violation, no page error', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('tidings.apiKey'))).toBeNull();
    expect(requestUrls.length).toBeGreaterThan(20);
    expect(requestUrls.filter((u) => u.includes(TEST_KEY))).toEqual([]);
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

/** Traffic for the pages to show: delivered, failed and undelivered messages, a webhook endpoint. */
async function seed(t: Tidings, hook: Server): Promise<void> {
  const port = (hook.address() as { port: number }).port;
  const endpoint = await t.api('POST', '/v1/webhooks', {
    url: `http://127.0.0.1:${port}/events`,
    description: 'order service',
    eventTypes: ['message.delivered', 'message.failed'],
  });
  expect(endpoint.status).toBe(201);
  await t.api('PUT', '/v1/templates/booking', {
    body: 'Hi {{ name }}, your table for {{ size }} is booked. Reply 1 to confirm.',
    locales: { zh: '{{ name }}您好，您预订的{{ size }}人餐位已确认。回复1确认。' },
  });
  const sends = [
    { to: '+14155552671', template: 'booking', data: { name: 'Ann', size: 4 }, reference: 'booking-41' },
    { to: '+14155552672', body: 'Your code is 482913', purpose: 'otp' },
    { to: '+8613812348000', template: 'booking', data: { name: '李雷', size: 2 }, locale: 'zh' },
    { to: '+14155550001', body: 'Invalid number test' },
    { to: '+14155550006', body: 'Unreachable handset test' },
    { to: '+14155550007', body: 'Carrier filter test' },
    { to: '+447400123456', body: 'Your parcel arrives today between 10:00 and 12:00.', reference: 'parcel-9' },
  ];
  for (const s of sends) expect((await t.api('POST', '/v1/messages', s)).status).toBe(202);
  await waitFor(
    () => t.api('GET', '/v1/messages?status=undelivered'),
    (r) => r.body.data.length === 1,
  );
  await t.api('PUT', '/v1/suppressions/+14155559999', { reason: 'opted_out', note: 'replied STOP by e-mail' });
}
