/* eslint-disable @typescript-eslint/no-explicit-any -- responses are checked field by field */
/**
 * Reminders under quiet hours: a reminder due at night is held to the morning like any message,
 * but one that would then go at or after the appointment is skipped: a reminder after the fact
 * is noise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { startTidings, type Tidings } from '../support/harness.js';

describe('reminders and quiet hours', () => {
  let t: Tidings;
  beforeAll(async () => {
    t = await startTidings(
      { TIDINGS_QUIET_HOURS: 'transactional=21:00-08:00' },
      { clock: new ManualClock(Date.UTC(2030, 0, 1, 12)) },
    );
    await t.api('PUT', '/v1/templates/class', { body: 'Yoga class soon. Reply Y to confirm.' });
  });
  afterAll(() => t.stop());

  it('holds a night-time reminder to the morning, and skips one the morning would put after the appointment', async () => {
    const res = await t.api('POST', '/v1/reminders', {
      reference: 'class-1',
      appointmentAt: '2030-01-05T07:30',
      timezone: 'Europe/London',
      to: '+447911123456',
      template: 'class',
      offsets: ['-1d', '-1h'],
    });
    expect(res.status).toBe(201);
    expect(res.body.messages.map((m: any) => [m.offset, m.sendAt, m.status])).toEqual([
      ['-1d', '2030-01-04T08:00:00.000Z', 'scheduled'], // 07:30 the day before, held to 08:00
      ['-1h', '2030-01-05T06:30:00.000Z', 'skipped'], // 08:00 would be after the 07:30 class
    ]);
    expect(res.body.messages[1].id).toBeNull();
  });
});
