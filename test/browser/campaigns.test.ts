/**
 * The dashboard's campaigns page in a real browser (Debian's Chromium through playwright-core)
 * against a real Tidings with the simulated carrier: an empty list, then a slow campaign created
 * through the API with one invalid number, seen live in the list with its progress, paused and
 * resumed from its page and watched to the end, its rejected row listed; a draft cancelled through
 * the confirmation from the keyboard; the page in Chinese and on a phone; axe on every state.
 * TIDINGS_SCREENSHOTS=<dir> also saves PNGs of the list and of a campaign.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { chromiumAvailable, launchChromium, type LaunchedBrowser } from '../support/chromium.js';
import { nthNumber } from '../support/campaigns.js';
import { TEST_KEY, startTidings, type Tidings } from '../support/harness.js';

// page.evaluate callbacks run in the page; this file compiles without the DOM library.
declare const window: { innerWidth: number; axe?: { run(ctx: unknown, opts: object): Promise<AxeResult> } };
declare const document: {
  activeElement: { textContent: string | null } | null;
  documentElement: { lang: string; scrollWidth: number };
};

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = process.env['TIDINGS_SCREENSHOTS'];
// 20 rows at 1 a second: about 20 seconds, time enough to see it run and pause it on a busy machine.
const VALID = 20;
const RATE = 1;

// Without Chromium the suite is skipped on a developer's machine, and fails under CI.
const run = chromiumAvailable() || process.env['CI'] === 'true';

describe.skipIf(!run)('the campaigns page in Chromium', () => {
  let t: Tidings;
  let browser: LaunchedBrowser;
  let page: Page;
  let campaignId = '';
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', 'web', '--logLevel', 'warn'], {
      stdio: 'inherit',
    });
    t = await startTidings({ TIDINGS_PROVIDERS: 'sim://?latency=5ms&deliverAfter=100ms' });
    const put = await t.api('PUT', '/v1/templates/spring', {
      body: 'Hi {{ name }}, spring sale: {{ offer }}',
      purpose: 'marketing',
    });
    expect(put.status).toBeLessThan(300);
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('signs in and shows an empty list that says how to start a campaign', async () => {
    await page.goto(t.url);
    await page.getByLabel('API key').fill(TEST_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Campaigns', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Campaigns' }).waitFor();
    await page.getByText('No campaigns yet.').waitFor();
    await expectNoSeriousA11yFaults(page, 'campaigns-empty');
  });

  it('lists a running campaign with its progress, live', async () => {
    const recipients = [
      ...Array.from({ length: VALID }, (_, i) => ({ to: nthNumber(i), data: { name: `Guest ${i}` } })),
      { to: '12345', data: { name: 'Nobody' } },
    ];
    const create = await t.api('POST', '/v1/campaigns', {
      name: 'Spring sale',
      template: 'spring',
      data: { offer: '20% off' },
      rate: RATE,
      recipients,
    });
    expect(create.status).toBe(201);
    expect(create.body.import).toMatchObject({ accepted: VALID, invalid: 1 });
    campaignId = create.body.id as string;

    const row = page.locator(`tr[data-campaign-id="${campaignId}"]`);
    await row.waitFor();
    expect(await row.getByRole('link').textContent()).toBe('Spring sale');
    const bar = row.getByRole('progressbar', { name: 'Progress of Spring sale' });
    // The list refreshes by itself: the bar moves without a reload.
    await expect
      .poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(await row.getByTestId('campaign-done').textContent()).toMatch(new RegExp(`of ${VALID} rows`));
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('running');
    await expectNoSeriousA11yFaults(page, 'campaigns');
    await shot(page, 'campaigns');
  });

  it('pauses the campaign from its page, resumes it, and sees it complete', async () => {
    await page.locator(`tr[data-campaign-id="${campaignId}"]`).getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Spring sale' }).waitFor();
    const status = page.getByTestId('campaign-status').locator('[data-status]');
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => status.getAttribute('data-status')).toBe('paused');
    // Only what the state allows: a paused campaign offers Resume, not Pause.
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    expect(await page.getByRole('button', { name: 'Pause' }).count()).toBe(0);
    const paused = await t.api('GET', `/v1/campaigns/${campaignId}`);
    expect(paused.body.status).toBe('paused');
    expect(paused.body.recipients.pending).toBeGreaterThan(0);

    // The rejected row is listed with its stable code.
    const rejections = page.getByTestId('rejections');
    await rejections.getByRole('cell', { name: 'invalid_number' }).waitFor();
    expect(await rejections.locator('tbody tr').count()).toBe(1);
    expect(await rejections.locator('tbody tr td').first().textContent()).toBe(String(VALID + 1));
    await expectNoSeriousA11yFaults(page, 'campaign-paused');

    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 60_000 }).toBe('completed');
    // A finished campaign offers no actions.
    expect(await page.getByRole('button', { name: /Pause|Resume|Cancel campaign/ }).count()).toBe(0);
    const done = await t.api('GET', `/v1/campaigns/${campaignId}`);
    expect(done.body.recipients).toMatchObject({ total: VALID, accepted: VALID, pending: 0 });
    const bar = page.getByRole('progressbar');
    expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    await page.getByTestId('recipient-counts').getByText('Sent as messages').waitFor();
    await page.getByTestId('message-counts').waitFor();
    await expectNoSeriousA11yFaults(page, 'campaign');
    await shot(page, 'campaign');
  }, 90_000);

  it('cancels a draft only after confirming, from the keyboard', async () => {
    const create = await t.api('POST', '/v1/campaigns', {
      name: 'Autumn draft',
      template: 'spring',
      recipients: [{ to: nthNumber(50) }],
      start: false,
    });
    expect(create.body.status).toBe('draft');
    const id = create.body.id as string;
    await page.goto(`${t.url}/#/campaigns/${id}`);
    await page.getByRole('heading', { level: 1, name: 'Autumn draft' }).waitFor();
    await page.getByRole('button', { name: 'Start' }).waitFor();
    expect(await page.getByRole('button', { name: 'Pause' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Cancel campaign' }).focus();
    await page.keyboard.press('Enter');
    // Focus moves to the confirmation; nothing is cancelled yet.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Yes, cancel the campaign');
    expect((await t.api('GET', `/v1/campaigns/${id}`)).body.status).toBe('draft');
    await page.keyboard.press('Enter');
    const status = page.getByTestId('campaign-status').locator('[data-status]');
    await expect.poll(() => status.getAttribute('data-status')).toBe('cancelled');
    expect((await t.api('GET', `/v1/campaigns/${id}`)).body.status).toBe('cancelled');
  });

  it('says so when a campaign does not exist, and offers the way back', async () => {
    await page.goto(`${t.url}/#/campaigns/cmp_missing`);
    await page.getByRole('alert').getByText('Not found.').waitFor();
    expect(await page.getByRole('progressbar').count()).toBe(0);
    await expectNoSeriousA11yFaults(page, 'campaign-missing');
    await page.getByRole('link', { name: '← Campaigns' }).click();
    await page.getByRole('heading', { level: 1, name: 'Campaigns' }).waitFor();
  });

  it('reads in Chinese and fits a phone', async () => {
    await page.goto(`${t.url}/#/campaigns`);
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 1, name: '群发活动' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.getByText('已完成').first().waitFor();
    await expectNoSeriousA11yFaults(page, 'campaigns-zh');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Campaigns' }).waitFor();

    await page.setViewportSize({ width: 390, height: 844 });
    onTestFinished(() => page.setViewportSize({ width: 1280, height: 900 }));
    for (const route of ['campaigns', `campaigns/${campaignId}`]) {
      await page.goto(`${t.url}/#/${route}`);
      await page.locator('h1').waitFor();
      await page.getByRole('progressbar').first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, route).toBeLessThanOrEqual(0);
    }
    await expectNoSeriousA11yFaults(page, 'campaign-phone');
  });

  it('met no CSP violation and no page error', () => {
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

async function expectNoSeriousA11yFaults(page: Page, name: string): Promise<void> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(`${AXE}\n;window.axe = axe;`);
  const violations = await page.evaluate(async () => {
    const result = await window.axe!.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  expect(violations, name).toEqual([]);
}

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}
