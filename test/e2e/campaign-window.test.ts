/**
 * A campaign's time window with the runtime's clock moved by hand: a window in a named zone holds
 * the whole campaign; a window without one holds each recipient until it opens where they live.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTidings, waitFor, type Tidings } from '../support/harness.js';
import { ManualClock } from '../support/clock.js';

const clock = new ManualClock(Date.parse('2030-01-10T22:00:00Z'));
let t: Tidings;

beforeAll(async () => {
  t = await startTidings({}, { clock });
  await t.api('PUT', '/v1/templates/hello', { body: 'Hello {{ name }}', purpose: 'marketing' });
});
afterAll(async () => t.stop());

const settle = () => new Promise((r) => setTimeout(r, 700)); // several runner ticks
const accepted = async (id: string) => (await t.api('GET', `/v1/campaigns/${id}`)).body.recipients.accepted as number;

describe('campaign window', () => {
  it('sends nothing while a zoned window is closed, and everything once it opens', async () => {
    const c = await t.api('POST', '/v1/campaigns', {
      template: 'hello',
      rate: 1000,
      window: { start: '09:00', end: '20:00', timezone: 'UTC' },
      recipients: [
        { to: '+14155551000', data: { name: 'A' } },
        { to: '+14155551011', data: { name: 'B' } },
      ],
    });
    expect(c.status).toBe(201);
    await settle();
    expect(await accepted(c.body.id)).toBe(0);
    clock.advance(11 * 3_600_000); // 09:00 UTC the next day
    await waitFor(
      () => accepted(c.body.id),
      (n) => n === 2,
    );
  });

  it("without a zone, holds each recipient until the window opens in their own country's zone", async () => {
    // 14:30 UTC: 14:30 in London, 09:30 in New York.
    clock.advance(Date.parse('2030-01-11T14:30:00Z') - clock.now());
    const c = await t.api('POST', '/v1/campaigns', {
      template: 'hello',
      rate: 1000,
      window: { start: '10:00', end: '20:00' },
      recipients: [
        { to: '+447911123456', data: { name: 'London' } },
        { to: '+14155551022', data: { name: 'New York' } },
      ],
    });
    await waitFor(
      () => accepted(c.body.id),
      (n) => n === 1,
    );
    await settle();
    const view = (await t.api('GET', `/v1/campaigns/${c.body.id}`)).body;
    expect(view.recipients).toMatchObject({ accepted: 1, pending: 1 });
    const london = await t.api('GET', `/v1/messages?to=${encodeURIComponent('+447911123456')}`);
    expect(london.body.data).toHaveLength(1);
    clock.advance(60 * 60_000); // 10:30 in New York
    await waitFor(
      () => accepted(c.body.id),
      (n) => n === 2,
    );
  });
});
