/* eslint-disable @typescript-eslint/no-explicit-any -- responses are checked field by field */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { startTidings, waitFor, type Tidings } from '../support/harness.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { deployments, freshRedisUrl } from '../support/queue-backends.js';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(await deployments())('reminders on $name', (deployment) => {
  let t: Tidings;
  let clock: ManualClock;
  let receiver: WebhookReceiver;
  let dropRedis: () => Promise<void>;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    clock = new ManualClock(Date.UTC(2030, 0, 1, 12));
    const redis = deployment.redis ? freshRedisUrl() : null;
    dropRedis = redis?.drop ?? (async () => {});
    t = await startTidings(
      { TIDINGS_WEBHOOK_RETRY_SCHEDULE: '50ms,50ms', ...(redis ? { TIDINGS_REDIS_URL: redis.url } : {}) },
      { backend: deployment.storage, clock },
    );
    await t.api('PUT', '/v1/templates/visit', {
      body: 'Hi {{ name }}, see you soon. Reply 1 to confirm, 2 to cancel.',
      replies: { confirm: ['1', 'Y'], cancel: ['2', 'N'] },
    });
    const hook = await t.api('POST', '/v1/webhooks', {
      url: `${receiver.url}/reminders`,
      eventTypes: ['reminder.confirmed', 'reminder.canceled'],
    });
    expect(hook.status).toBe(201);
  });
  afterAll(async () => {
    await t.stop();
    await receiver.close();
    await dropRedis();
  });

  const create = (reference: string, over: Record<string, unknown> = {}) =>
    t.api('POST', '/v1/reminders', {
      reference,
      appointmentAt: '2030-01-04T09:00',
      timezone: 'Europe/London',
      to: '+447911123456',
      template: 'visit',
      data: { name: 'Ada' },
      offsets: ['-1d', '-2h', '-7d'],
      metadata: { clinic: 'north' },
      ...over,
    });
  const message = async (id: string) => (await t.api('GET', `/v1/messages/${id}`)).body;

  it('creates one scheduled message per offset, skips offsets already past, and is safe to send again', async () => {
    const res = await create('visit-1');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      reference: 'visit-1',
      status: 'active',
      appointmentAt: '2030-01-04T09:00:00.000Z',
      localTime: '2030-01-04T09:00:00',
      timezone: 'Europe/London',
      offsets: ['-7d', '-1d', '-2h'],
      reply: null,
    });
    const [skipped, dayBefore, twoHours] = res.body.messages;
    expect(skipped).toEqual({ offset: '-7d', id: null, sendAt: '2029-12-28T09:00:00.000Z', status: 'skipped' });
    expect(dayBefore).toMatchObject({ offset: '-1d', sendAt: '2030-01-03T09:00:00.000Z', status: 'scheduled' });
    expect(twoHours).toMatchObject({ offset: '-2h', sendAt: '2030-01-04T07:00:00.000Z', status: 'scheduled' });
    const m = await message(twoHours.id);
    expect(m).toMatchObject({
      status: 'scheduled',
      reference: 'visit-1',
      sendAt: '2030-01-04T07:00:00.000Z',
      metadata: { clinic: 'north', reminder: 'visit-1', reminderOffset: '-2h' },
    });

    const again = await create('visit-1');
    expect(again.status).toBe(200);
    expect(again.body.messages).toEqual(res.body.messages);
    const other = await create('visit-1', { offsets: ['-3h'] });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('reminder_exists');
    expect((await t.api('GET', '/v1/reminders/visit-1')).body).toEqual(res.body);
    const doc = await t.api('GET', '/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/reminders', '/v1/reminders/{reference}']));
  });

  it('refuses bad offsets, a skipped local time, a past appointment and an unknown template, storing nothing', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ offsets: ['2h'] }, 'reminder_offset_invalid', 'offsets'],
      [{ offsets: ['-2h', '-120m'] }, 'reminder_offset_invalid', 'offsets'],
      [{ appointmentAt: '2030-03-31T01:30' }, 'appointment_time_invalid', 'appointmentAt'],
      [{ appointmentAt: '2029-12-31T09:00:00Z' }, 'appointment_time_invalid', 'appointmentAt'],
      [{ timezone: 'Mars/Olympus' }, 'appointment_time_invalid', 'timezone'],
      [{ template: 'nope' }, 'template_not_found', 'template'],
    ];
    for (const [over, code, field] of cases) {
      const res = await create('visit-bad', over);
      expect(res.status, JSON.stringify(over)).toBe(422);
      expect(res.body.error).toMatchObject({ code, field });
    }
    expect((await t.api('GET', '/v1/reminders/visit-bad')).status).toBe(404);
    expect((await t.api('GET', '/v1/messages?reference=visit-bad')).body.data).toEqual([]);
  });

  it('follows the appointment timezone across a DST change: -1d keeps 09:00, -24h keeps the duration', async () => {
    const res = await create('visit-dst', {
      appointmentAt: '2030-03-10T09:00',
      timezone: 'America/New_York',
      offsets: ['-1d', '-24h'],
    });
    expect(res.status).toBe(201);
    expect(res.body.appointmentAt).toBe('2030-03-10T13:00:00.000Z'); // EDT, the day clocks spring forward
    expect(res.body.messages.map((m: any) => [m.offset, m.sendAt])).toEqual([
      ['-24h', '2030-03-09T13:00:00.000Z'], // 08:00 EST
      ['-1d', '2030-03-09T14:00:00.000Z'], // 09:00 EST
    ]);
  });

  it('moves pending messages when the appointment moves, and keeps the wall-clock time for a new timezone', async () => {
    const before = (await create('visit-2')).body;
    const moved = await t.api('PATCH', '/v1/reminders/visit-2', { appointmentAt: '2030-01-05T10:30:00Z' });
    expect(moved.status).toBe(200);
    expect(moved.body.appointmentAt).toBe('2030-01-05T10:30:00.000Z');
    const sendAts = moved.body.messages.map((m: any) => [m.offset, m.sendAt, m.status]);
    expect(sendAts).toEqual([
      ['-7d', '2029-12-29T10:30:00.000Z', 'skipped'],
      ['-1d', '2030-01-04T10:30:00.000Z', 'scheduled'],
      ['-2h', '2030-01-05T08:30:00.000Z', 'scheduled'],
    ]);
    for (const old of before.messages.filter((m: any) => m.id)) {
      expect((await message(old.id)).status).toBe('canceled');
      expect(moved.body.messages.map((m: any) => m.id)).not.toContain(old.id);
    }
    const zone = await t.api('PATCH', '/v1/reminders/visit-2', { timezone: 'America/New_York' });
    expect(zone.body).toMatchObject({ localTime: '2030-01-05T10:30:00', appointmentAt: '2030-01-05T15:30:00.000Z' });
    const fewer = await t.api('PATCH', '/v1/reminders/visit-2', { offsets: ['-30m'] });
    expect(fewer.body.messages.map((m: any) => [m.offset, m.status])).toEqual([['-30m', 'scheduled']]);
    const live = (await t.api('GET', '/v1/messages?reference=visit-2&status=scheduled')).body.data;
    expect(live.map((m: any) => m.id)).toEqual([fewer.body.messages[0].id]);
  });

  it('cancels every pending message; canceling again is harmless; a canceled reminder cannot be moved', async () => {
    await create('visit-3');
    const res = await t.api('DELETE', '/v1/reminders/visit-3');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('canceled');
    expect(res.body.messages.map((m: any) => m.status)).toEqual(['skipped', 'canceled', 'canceled']);
    expect((await t.api('DELETE', '/v1/reminders/visit-3')).status).toBe(200);
    const patch = await t.api('PATCH', '/v1/reminders/visit-3', { appointmentAt: '2030-01-06T09:00' });
    expect(patch.body.error.code).toBe('reminder_not_modifiable');
    expect((await t.api('DELETE', '/v1/reminders/nope')).status).toBe(404);
  });

  it('a moved reminder fires once, at the new time; the reply is recorded and reported with the reference', async () => {
    const now = clock.now();
    const created = await create('visit-4', { appointmentAt: iso(now + 3 * HOUR), offsets: ['-2h'] });
    const first = created.body.messages[0];
    const moved = await t.api('PATCH', '/v1/reminders/visit-4', { appointmentAt: iso(now + 5 * HOUR) });
    const second = moved.body.messages[0];
    clock.advance(HOUR + 1_000); // the old time: nothing may go
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await message(first.id)).status).toBe('canceled');
    expect((await message(second.id)).status).toBe('scheduled');
    clock.advance(2 * HOUR);
    await waitFor(
      () => message(second.id),
      (m) => m.status === 'sent' || m.status === 'delivered',
    );
    const all = (await t.api('GET', '/v1/messages?reference=visit-4')).body.data;
    expect(all.filter((m: any) => m.status !== 'canceled').map((m: any) => m.id)).toEqual([second.id]);

    const reply = await t.api('POST', '/v1/sim/inbound', { from: '+447911123456', text: 'Y' });
    expect(reply.body.inbound).toMatchObject({ inReplyTo: second.id, reference: 'visit-4', intent: 'confirm' });
    const got = await t.api('GET', '/v1/reminders/visit-4');
    expect(got.body).toMatchObject({ reply: 'confirmed', repliedAt: iso(clock.now()) });
    const hooks = await waitFor(
      async () => receiver.accepted(),
      (rs) => rs.length >= 1,
    );
    // Signed with the manual clock's 2030 timestamp, which verify() refuses as "too new";
    // signatures are checked in webhooks.test.ts.
    expect(hooks[0]!.headers['webhook-signature']).toMatch(/^v1,/);
    const event = JSON.parse(hooks[0]!.body) as any;
    expect(event.type).toBe('reminder.confirmed');
    expect(event.data).toMatchObject({
      reference: 'visit-4',
      reply: 'confirmed',
      offset: '-2h',
      messageId: second.id,
      appointmentAt: iso(now + 5 * HOUR),
    });

    // Changed their mind: the cancel intent is recorded and reported; the reminder stays active,
    // the application decides.
    await t.api('POST', '/v1/sim/inbound', { from: '+447911123456', text: 'N' });
    const after = await t.api('GET', '/v1/reminders/visit-4');
    expect(after.body).toMatchObject({ reply: 'canceled', status: 'active' });
    const both = await waitFor(
      async () => receiver.accepted(),
      (rs) => rs.length >= 2,
    );
    const types = both.map((r) => (JSON.parse(r.body) as any).type);
    expect(types).toEqual(['reminder.confirmed', 'reminder.canceled']);
    expect((JSON.parse(both[1]!.body) as any).data.reference).toBe('visit-4');
  });
});
