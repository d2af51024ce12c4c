import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTidings, waitFor, type Tidings } from '../support/harness.js';
import { deployments, freshRedisUrl } from '../support/queue-backends.js';

describe.each(await deployments())('messages end to end through the simulated carrier, on $name', (deployment) => {
  let t: Tidings;
  const redis = deployment.redis ? freshRedisUrl() : null;
  beforeAll(async () => {
    t = await startTidings(redis ? { TIDINGS_REDIS_URL: redis.url } : {}, { backend: deployment.storage });
  });
  afterAll(async () => {
    await t.stop();
    await redis?.drop();
  });

  const status = async (id: string) => (await t.api('GET', `/v1/messages/${id}`)).body;

  it('accepts, sends and delivers a message, with every step in its events', async () => {
    const res = await t.api('POST', '/v1/messages', {
      to: '+1 (415) 555-2671',
      body: 'Your table for 4 is booked',
      reference: 'booking-42',
      metadata: { table: 4 },
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      status: 'queued',
      to: '+14155552671',
      segments: 1,
      encoding: 'GSM-7',
      reference: 'booking-42',
    });
    expect(res.body.id).toMatch(/^msg_[0-9A-Z]{26}$/);
    const done = await waitFor(
      () => status(res.body.id),
      (m) => m.status === 'delivered',
    );
    expect(done.provider).toBe('sim:default');
    expect(done.providerMessageId).toMatch(/^SIM/);
    expect(done.metadata).toEqual({ table: 4 });
    expect(done.events.map((e: { status: string }) => e.status)).toEqual(['queued', 'sending', 'sent', 'delivered']);
  });

  it('counts UCS-2 segments for Chinese text', async () => {
    const res = await t.api('POST', '/v1/messages', {
      to: '+8613812348000',
      body: '您的验证码是123456，5分钟内有效。'.repeat(4),
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ encoding: 'UCS-2', segments: 2 });
  });

  it('holds a scheduled message until its time, then sends it', async () => {
    const sendAt = new Date(Date.now() + 1_500).toISOString();
    const res = await t.api('POST', '/v1/messages', { to: '+14155552671', body: 'Reminder', sendAt });
    expect(res.body.status).toBe('scheduled');
    expect(res.body.sendAt).toBe(sendAt);
    await new Promise((r) => setTimeout(r, 500));
    expect((await status(res.body.id)).status).toBe('scheduled');
    const done = await waitFor(
      () => status(res.body.id),
      (m) => m.status === 'delivered',
      5_000,
    );
    const sentAt = Date.parse(done.events.find((e: { status: string }) => e.status === 'sending').at);
    expect(sentAt).toBeGreaterThanOrEqual(Date.parse(sendAt));
  });

  it('cancels a scheduled message, which is then never sent', async () => {
    const res = await t.api('POST', '/v1/messages', {
      to: '+14155552671',
      body: 'Cancel me',
      sendAt: new Date(Date.now() + 500).toISOString(),
    });
    const canceled = await t.api('DELETE', `/v1/messages/${res.body.id}`);
    expect(canceled.status).toBe(200);
    expect(canceled.body.status).toBe('canceled');
    await new Promise((r) => setTimeout(r, 900));
    expect((await status(res.body.id)).status).toBe('canceled');
    const again = await t.api('DELETE', `/v1/messages/${res.body.id}`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('message_not_cancelable');
    expect((await t.api('DELETE', '/v1/messages/msg_01ARZ3NDEKTSV4RRFFQ69G5FAV')).body.error.code).toBe('not_found');
  });

  it('cancels every pending message of a reference at once', async () => {
    const reference = `appointment-${Date.now()}`;
    const later = new Date(Date.now() + 60_000).toISOString();
    const a = await t.api('POST', '/v1/messages', { to: '+14155552671', body: 'day before', sendAt: later, reference });
    const b = await t.api('POST', '/v1/messages', {
      to: '+14155552671',
      body: 'two hours before',
      sendAt: later,
      reference,
    });
    await t.api('POST', '/v1/messages', {
      to: '+14155552671',
      body: 'other booking',
      sendAt: later,
      reference: `${reference}-x`,
    });
    const res = await t.api('POST', '/v1/messages/cancel', { reference });
    expect(res.status).toBe(200);
    expect(res.body.canceled).toBe(2);
    expect(res.body.ids.sort()).toEqual([a.body.id, b.body.id].sort());
    expect((await status(a.body.id)).status).toBe('canceled');
    expect((await t.api('GET', `/v1/messages?reference=${reference}-x`)).body.data[0].status).toBe('scheduled');
    expect((await t.api('POST', '/v1/messages/cancel', { reference })).body.canceled).toBe(0);
  });

  it('replays the original response for a repeated Idempotency-Key, and refuses a different request with it', async () => {
    const body = { to: '+14155552671', body: 'Once only' };
    const headers = { 'idempotency-key': `k-${Date.now()}` };
    const first = await t.api('POST', '/v1/messages', body, headers);
    const second = await t.api('POST', '/v1/messages', { body: 'Once only', to: '+14155552671' }, headers);
    expect(second.status).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const conflict = await t.api('POST', '/v1/messages', { ...body, body: 'Something else' }, headers);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('idempotency_conflict');
    const listed = await t.api('GET', `/v1/messages?to=${encodeURIComponent('+14155552671')}&limit=500`);
    expect(listed.body.data.filter((m: { body: string }) => m.body === 'Once only').length).toBe(1);
  });

  it('accepts a batch with a result per item, storing only the valid ones', async () => {
    const reference = `batch-${Date.now()}`;
    const res = await t.api('POST', '/v1/messages/batch', {
      messages: [
        { to: '+14155552671', body: 'one', reference },
        { to: '+442071838750', body: 'landline', reference },
        { to: '+4915123456789', body: 'three', reference },
        { to: '12', body: 'nonsense', reference },
      ],
    });
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(2);
    expect(res.body.rejected).toBe(2);
    expect(
      res.body.results.map((r: { error?: { code: string }; status?: string }) => r.error?.code ?? r.status),
    ).toEqual(['queued', 'not_mobile', 'queued', 'invalid_number']);
    const listed = await t.api('GET', `/v1/messages?reference=${reference}`);
    expect(listed.body.data.length).toBe(2);
  });

  it('refuses a batch over 1,000 messages', async () => {
    const messages = Array.from({ length: 1001 }, () => ({ to: '+14155552671', body: 'x' }));
    const res = await t.api('POST', '/v1/messages/batch', { messages });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', field: 'messages' });
  });

  it('lists with filters and cursor paging, newest first', async () => {
    const reference = `page-${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await t.api('POST', '/v1/messages', { to: '+14155552671', body: `p${i}`, reference })).body.id);
    const p1 = await t.api('GET', `/v1/messages?reference=${reference}&limit=2`);
    expect(p1.body.data.map((m: { id: string }) => m.id)).toEqual([ids[4], ids[3]]);
    const p2 = await t.api('GET', `/v1/messages?reference=${reference}&limit=2&cursor=${p1.body.nextCursor}`);
    expect(p2.body.data.map((m: { id: string }) => m.id)).toEqual([ids[2], ids[1]]);
    const p3 = await t.api('GET', `/v1/messages?reference=${reference}&limit=2&cursor=${p2.body.nextCursor}`);
    expect(p3.body.data.map((m: { id: string }) => m.id)).toEqual([ids[0]]);
    expect(p3.body.nextCursor).toBeNull();
    expect((await t.api('GET', '/v1/messages?cursor=bogus')).body.error.code).toBe('malformed_cursor');

    // By template, and by a time range's end.
    await t.api('PUT', '/v1/templates/list-filter', { body: 'Hi {{ name }}' });
    const rendered = (
      await t.api('POST', '/v1/messages', { to: '+14155552671', template: 'list-filter', data: { name: 'Ann' } })
    ).body;
    const byTemplate = await t.api('GET', '/v1/messages?template=list-filter');
    expect(byTemplate.body.data.map((m: { id: string }) => m.id)).toEqual([rendered.id]);
    const until = (at: string) => t.api('GET', `/v1/messages?reference=${reference}&until=${encodeURIComponent(at)}`);
    expect((await until(rendered.createdAt)).body.data).toHaveLength(5);
    expect((await until('2000-01-01T00:00:00Z')).body.data).toHaveLength(0);
    expect((await until('yesterday')).body.error).toMatchObject({ code: 'validation_failed', field: 'until' });
  });

  it('takes each simulated outcome to its final state', async () => {
    const send = async (to: string) => (await t.api('POST', '/v1/messages', { to, body: 'outcome' })).body.id as string;
    const invalid = await send('+14155550001');
    const optedOut = await send('+14155550004');
    const flaky = await send('+14155550005');
    const unreachable = await send('+14155550006');
    expect(
      (
        await waitFor(
          () => status(invalid),
          (m) => m.status === 'failed',
        )
      ).error.code,
    ).toBe('21211');
    expect(
      (
        await waitFor(
          () => status(optedOut),
          (m) => m.status === 'failed',
        )
      ).error.code,
    ).toBe('21610');
    expect(
      (
        await waitFor(
          () => status(unreachable),
          (m) => m.status === 'undelivered',
        )
      ).error.code,
    ).toBe('30003');
    // 0005 fails once (transient) and is retried after the default backoff (up to 1 s).
    const recovered = await waitFor(
      () => status(flaky),
      (m) => m.status === 'delivered',
      5_000,
    );
    expect(recovered.attempts).toBe(2);
    expect(recovered.events.map((e: { type: string }) => e.type)).toContain('attempt_failed');
  });

  it('is ready while its database (and Redis, when it queues there) answer', async () => {
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: unknown }).checks).toEqual({
      database: 'ok',
      worker: 'ok',
      ...(redis ? { queue: 'ok' } : {}),
    });
  });
});
