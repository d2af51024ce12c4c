/**
 * Campaigns end to end on a real server with the sim carrier: inline and CSV recipients,
 * de-duplication, suppressed numbers, malformed rows, pause/resume, cancel and the rate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTidings, waitFor, type Tidings } from '../support/harness.js';
import { csvOf, nthNumber, uploadCsv } from '../support/campaigns.js';
import { postgresIfReachable } from '../support/backends.js';
import { acceptCampaignRows } from '../../src/app/accept-campaign-rows.js';

let t: Tidings;

beforeAll(async () => {
  t = await startTidings();
  const put = await t.api('PUT', '/v1/templates/promo', { body: 'Hi {{ name }}, {{ offer }}', purpose: 'marketing' });
  expect(put.status).toBe(200);
});
afterAll(async () => t.stop());

const campaign = (id: string) => t.api('GET', `/v1/campaigns/${id}`);
const done = (id: string, ms = 30_000) =>
  waitFor(
    () => campaign(id),
    (r) => r.body.status === 'completed',
    ms,
  );

describe('campaigns', () => {
  it('sends inline recipients once each, skipping duplicates, bad numbers and suppressed numbers', async () => {
    expect((await t.api('PUT', `/v1/suppressions/${encodeURIComponent(nthNumber(3))}`, {})).status).toBe(200);
    const create = await t.api('POST', '/v1/campaigns', {
      name: 'spring',
      template: 'promo',
      data: { offer: '20% off' },
      rate: 1000,
      recipients: [
        { to: nthNumber(1), data: { name: 'Ann' } },
        { to: nthNumber(2), data: { name: 'Bo' } },
        { to: nthNumber(1), data: { name: 'Ann again' } },
        { to: 'not a number' },
        { to: nthNumber(3), data: { name: 'Opted out' } },
      ],
    });
    expect(create.status).toBe(201);
    expect(create.body.import).toMatchObject({ rowsRead: 5, accepted: 3, duplicates: 1, invalid: 1 });
    expect(['running', 'completed']).toContain(create.body.status);
    const id = create.body.id as string;
    const final = await done(id);
    expect(final.body.recipients).toMatchObject({ total: 3, accepted: 2, refused: 1, pending: 0 });

    const rejections = await t.api('GET', `/v1/campaigns/${id}/rejections`);
    expect(rejections.body.data.map((r: { row: number; code: string }) => [r.row, r.code])).toEqual([
      [3, 'duplicate_recipient'],
      [4, 'invalid_number'],
      [5, 'recipient_suppressed'],
    ]);
    const messages = await waitFor(
      () => t.api('GET', `/v1/campaigns/${id}`),
      (r) => (r.body.messages.delivered ?? 0) === 2,
    );
    expect(messages.body.messages).toEqual({ delivered: 2 });
    const sent = await t.api('GET', `/v1/messages?to=${encodeURIComponent(nthNumber(1))}`);
    expect(sent.body.data.map((m: { body: string }) => m.body)).toEqual(['Hi Ann, 20% off']);
  });

  it('reports malformed CSV rows with their row and line numbers and sends the rest', async () => {
    const create = await t.api('POST', '/v1/campaigns', { template: 'promo', data: { offer: 'x' }, rate: 1000 });
    expect(create.body.status).toBe('draft');
    const id = create.body.id as string;
    const csv = [
      'to,name',
      `${nthNumber(10)},Cy`,
      `${nthNumber(11)},Di,extra`, // too many fields
      '"+1415 broken,Ed', // a quote never closed on its line… csv-parse reads on to the end
    ].join('\n');
    const bad = await uploadCsv(t.url, id, csv);
    expect(bad.status).toBe(200);
    expect(bad.body.accepted).toBe(1);
    expect(bad.body.rejections[0]).toMatchObject({ row: 2, line: 3, code: 'malformed_row' });
    expect(bad.body.rejections.every((r: { code: string }) => r.code === 'malformed_row')).toBe(true);
    const more = await uploadCsv(t.url, id, `phone,name\n${nthNumber(12)},Fa\nnope,Gu\n`);
    expect(more.body).toMatchObject({ rowsRead: 2, accepted: 1, invalid: 1 });
    expect(more.body.rejections[0].code).toBe('invalid_number');
    expect(more.body.rejections[0].row).toBeGreaterThan(bad.body.rowsRead);
    expect((await t.api('POST', `/v1/campaigns/${id}/start`)).status).toBe(200);
    const final = await done(id);
    expect(final.body.recipients).toMatchObject({ total: 2, accepted: 2 });
  });

  it('refuses a CSV without a number column and recipients for a running campaign', async () => {
    const create = await t.api('POST', '/v1/campaigns', { template: 'promo', rate: 1 });
    const id = create.body.id as string;
    const noHeader = await uploadCsv(t.url, id, 'name,city\nAnn,Paris\n');
    expect(noHeader.status).toBe(422);
    expect(noHeader.body.error.code).toBe('csv_header_invalid');
    await uploadCsv(t.url, id, csvOf(3, 100));
    await t.api('POST', `/v1/campaigns/${id}/start`);
    const late = await uploadCsv(t.url, id, csvOf(1, 200));
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('campaign_state_conflict');
    expect((await t.api('POST', `/v1/campaigns/${id}/resume`)).body.error.code).toBe('campaign_state_conflict');
    expect((await t.api('POST', `/v1/campaigns/${id}/cancel`)).body.status).toBe('cancelled');
  });

  it('holds to its rate, pauses, resumes, and finishes', async () => {
    const create = await t.api('POST', '/v1/campaigns', { template: 'promo', data: { offer: 'y' }, rate: 20 });
    const id = create.body.id as string;
    await uploadCsv(t.url, id, csvOf(60, 300));
    const started = Date.now();
    await t.api('POST', `/v1/campaigns/${id}/start`);
    const some = await waitFor(
      () => campaign(id),
      (r) => r.body.recipients.accepted >= 10,
    );
    // 20 a second: 10 cannot be done in much less than half a second (loosely: a batch may run ahead).
    expect(Date.now() - started).toBeGreaterThan(250);
    expect(some.body.recipients.accepted).toBeLessThan(60);
    const paused = await t.api('POST', `/v1/campaigns/${id}/pause`);
    expect(paused.body.status).toBe('paused');
    await new Promise((r) => setTimeout(r, 300)); // a batch taken before the pause may still settle
    const held = (await campaign(id)).body.recipients.accepted as number;
    await new Promise((r) => setTimeout(r, 600));
    expect((await campaign(id)).body.recipients.accepted).toBe(held);
    expect(held).toBeLessThan(60);
    // Paused campaigns take more recipients.
    expect((await uploadCsv(t.url, id, csvOf(5, 400))).body.accepted).toBe(5);
    expect((await t.api('POST', `/v1/campaigns/${id}/resume`)).body.status).toBe('running');
    const final = await done(id);
    expect(final.body.recipients).toMatchObject({ total: 65, accepted: 65, pending: 0 });
  });

  it('cancel stops the campaign and withdraws its pending rows', async () => {
    const create = await t.api('POST', '/v1/campaigns', { template: 'promo', data: { offer: 'z' }, rate: 5 });
    const id = create.body.id as string;
    await uploadCsv(t.url, id, csvOf(50, 500));
    await t.api('POST', `/v1/campaigns/${id}/start`);
    await waitFor(
      () => campaign(id),
      (r) => r.body.recipients.accepted >= 1,
    );
    const cancelled = await t.api('POST', `/v1/campaigns/${id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 500));
    const after = (await campaign(id)).body;
    expect(after.recipients.cancelled).toBeGreaterThan(30);
    expect(after.recipients.accepted + after.recipients.cancelled + after.recipients.refused).toBe(50);
    expect(after.messages.queued ?? 0).toBe(0);
    const list = await t.api('GET', '/v1/campaigns?limit=2');
    expect(list.body.data[0].id).toBe(id);
    expect(list.body.nextCursor).not.toBeNull();
  });
});

describe('campaigns in the API description', () => {
  it('documents every campaign route in /openapi.json', async () => {
    const doc = await t.api('GET', '/openapi.json');
    const paths = Object.keys(doc.body.paths as Record<string, unknown>);
    for (const p of [
      '/v1/campaigns',
      '/v1/campaigns/{id}',
      '/v1/campaigns/{id}/recipients',
      '/v1/campaigns/{id}/start',
      '/v1/campaigns/{id}/pause',
      '/v1/campaigns/{id}/resume',
      '/v1/campaigns/{id}/cancel',
      '/v1/campaigns/{id}/rejections',
    ]) {
      expect(paths).toContain(p);
    }
  });
});

const postgres = await postgresIfReachable();

describe.runIf(postgres !== null)('campaigns on PostgreSQL', () => {
  it('runs a campaign to the end: one message per recipient, counted by status', async () => {
    const pg = await startTidings({}, { backend: postgres! });
    try {
      await pg.api('PUT', '/v1/templates/promo', { body: 'Hi {{ name }}', purpose: 'marketing' });
      const c = await pg.api('POST', '/v1/campaigns', {
        template: 'promo',
        rate: 500,
        recipients: Array.from({ length: 30 }, (_, i) => ({ to: nthNumber(900 + i), data: { name: `P${i}` } })),
      });
      expect(c.status).toBe(201);
      const final = await waitFor(
        () => pg.api('GET', `/v1/campaigns/${c.body.id}`),
        // Sent or delivered: a sim report that overtakes the `sent` write is skipped (docs/architecture.md,
        // known limits), which a loaded PostgreSQL makes likely.
        (r) => r.body.status === 'completed' && (r.body.messages.delivered ?? 0) + (r.body.messages.sent ?? 0) === 30,
      );
      expect(final.body.recipients).toMatchObject({ total: 30, accepted: 30, pending: 0 });
      expect(Object.keys(final.body.messages).every((k) => k === 'sent' || k === 'delivered')).toBe(true);
    } finally {
      await pg.stop();
    }
  });
});

describe('a row taken again', () => {
  it('finds the message its first claim made, by the row key, and makes no second one', async () => {
    const c = await t.api('POST', '/v1/campaigns', {
      template: 'promo',
      data: { offer: 'again' },
      start: false,
      recipients: [0, 1, 2].map((i) => ({ to: nthNumber(700 + i), data: { name: `R${i}` } })),
    });
    const id = c.body.id as string;
    const campaign = (await t.rt.campaigns.campaigns.get(id))!;
    const rows = [1, 2, 3].map((row, i) => ({ row, to: nthNumber(700 + i), data: { name: `R${i}` }, claims: 0 }));
    const first = await acceptCampaignRows(t.rt.deps, campaign, rows);
    // As after a crash between storing the messages and settling the rows: the lease ran out.
    const again = await acceptCampaignRows(
      t.rt.deps,
      campaign,
      rows.map((r) => ({ ...r, claims: 1 })),
    );
    expect(again.outcomes).toEqual(first.outcomes);
    const counts = await t.rt.campaigns.campaigns.messageCounts(id);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(3);
  });
});
