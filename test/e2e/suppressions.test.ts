import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTidings, waitFor, type Tidings } from '../support/harness.js';

describe('the suppression list', () => {
  let t: Tidings;
  beforeAll(async () => {
    t = await startTidings({ TIDINGS_SUPPRESSION_EXEMPT: 'otp' });
  });
  afterAll(() => t.stop());

  const get = async (id: string) => (await t.api('GET', `/v1/messages/${id}`)).body;

  it('adds a number the carrier calls invalid, and refuses later sends to it at acceptance', async () => {
    const first = await t.api('POST', '/v1/messages', { to: '+14155550001', body: 'hello' });
    expect(first.status).toBe(202);
    await waitFor(
      () => get(first.body.id),
      (m) => m.status === 'failed',
    );
    const entry = await waitFor(
      () => t.api('GET', '/v1/suppressions/+14155550001'),
      (r) => r.status === 200,
    );
    expect(entry.body).toMatchObject({ reason: 'invalid', source: 'sim:default', sourceMessageId: first.body.id });
    const again = await t.api('POST', '/v1/messages', { to: '+1 415 555 0001', body: 'hello again' });
    expect(again.status).toBe(422);
    expect(again.body.error).toMatchObject({ code: 'recipient_suppressed', field: 'to' });
    // An invalid number stays refused even for one-time codes.
    const otp = await t.api('POST', '/v1/messages', { to: '+14155550001', body: 'code 1', purpose: 'otp' });
    expect(otp.body.error.code).toBe('recipient_suppressed');
  });

  it('manages entries through the API, with normalized numbers and reasons', async () => {
    const put = await t.api('PUT', '/v1/suppressions/+1%20(415)%20555-0142', {
      reason: 'opted_out',
      note: 'asked by phone',
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      number: '+14155550142',
      reason: 'opted_out',
      source: 'api',
      note: 'asked by phone',
    });
    const marketing = await t.api('POST', '/v1/messages', { to: '+14155550142', body: 'Sale!', purpose: 'marketing' });
    expect(marketing.status).toBe(422);
    // The operator exempts one-time codes from opt-outs (TIDINGS_SUPPRESSION_EXEMPT=otp).
    const otp = await t.api('POST', '/v1/messages', {
      to: '+14155550142',
      body: 'Your code is 123456',
      purpose: 'otp',
    });
    expect(otp.status).toBe(202);
    const bad = await t.api('PUT', '/v1/suppressions/not-a-number', {});
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('invalid_number');
    const badReason = await t.api('PUT', '/v1/suppressions/+14155550143', { reason: 'bored' });
    expect(badReason.status).toBe(400);
    const del = await t.api('DELETE', '/v1/suppressions/+14155550142');
    expect(del.status).toBe(204);
    expect((await t.api('DELETE', '/v1/suppressions/+14155550142')).status).toBe(404);
    expect(
      (await t.api('POST', '/v1/messages', { to: '+14155550142', body: 'Sale!', purpose: 'marketing' })).status,
    ).toBe(202);
  });

  it('pages through the list in number order', async () => {
    for (let i = 0; i < 5; i++) await t.api('PUT', `/v1/suppressions/+1415555070${i}`, { reason: 'manual' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { number: string }[]; nextCursor: string | null } } = await t.api(
        'GET',
        `/v1/suppressions?reason=manual&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.data.map((d) => d.number));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['+14155550700', '+14155550701', '+14155550702', '+14155550703', '+14155550704']);
    expect((await t.api('GET', '/v1/suppressions?cursor=garbage')).body.error.code).toBe('malformed_cursor');
  });

  it('re-checks at dispatch: an opt-out that arrives while a message waits wins', async () => {
    const sendAt = new Date(Date.now() + 1_200).toISOString();
    const res = await t.api('POST', '/v1/messages', {
      to: '+14155550177',
      body: 'Reminder',
      sendAt,
      purpose: 'marketing',
    });
    expect(res.body.status).toBe('scheduled');
    await t.api('PUT', '/v1/suppressions/+14155550177', { reason: 'opted_out' });
    const done = await waitFor(
      () => get(res.body.id),
      (m) => m.status === 'failed',
    );
    expect(done.error).toMatchObject({ code: 'recipient_suppressed' });
    expect(done.providerMessageId).toBeNull();
  });
});
