import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../core/message.js';
import type { Reminder } from '../ports/reminder-store.js';
import { storageBackends } from '../../test/support/backends.js';
import { makeMessage, memoryStorage } from '../../test/support/messages.js';
import type { Storage } from './connect.js';
import { JobRepository } from './job-repository.js';
import { MessageRepository } from './message-repository.js';
import { ReminderRepository } from './reminder-repository.js';

const T0 = Date.UTC(2030, 0, 1);
const APPOINTMENT = Date.UTC(2030, 0, 10, 9);

function reminder(reference: string, overrides: Partial<Reminder> = {}): Reminder {
  return {
    reference,
    apiKeyId: 'key_test',
    appointmentAt: APPOINTMENT,
    timezone: 'Europe/London',
    content: { to: '+447700900123', template: 'visit', data: { name: 'Ada' } },
    offsets: ['-1d', '-2h'],
    status: 'active',
    reply: null,
    repliedAt: null,
    requestHash: 'h1',
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

function scheduled(reference: string, sendAt: number): Message {
  return makeMessage({ status: 'scheduled', sendAt, reference, createdAt: T0 });
}

describe.each(await storageBackends())('ReminderRepository on $name', (backend) => {
  let storage: Storage;
  let reminders: ReminderRepository;
  let messages: MessageRepository;
  let jobs: JobRepository;

  beforeEach(async () => {
    storage = await memoryStorage(backend);
    reminders = new ReminderRepository(storage);
    messages = new MessageRepository(storage);
    jobs = new JobRepository(storage);
  });
  afterEach(async () => storage.close());

  async function created(reference: string) {
    const a = scheduled(reference, APPOINTMENT - 86_400_000);
    const b = scheduled(reference, APPOINTMENT - 7_200_000);
    const slots = [
      { offset: '-1d', messageId: a.id, sendAt: a.sendAt! },
      { offset: '-2h', messageId: b.id, sendAt: b.sendAt! },
    ];
    expect(await reminders.create(reminder(reference), slots, [a, b])).toBe('created');
    return { a, b };
  }

  it('stores a reminder with its slots, messages and jobs in one go, and reads slot statuses back', async () => {
    const { a, b } = await created('booking-1');
    const got = await reminders.get('booking-1');
    expect(got?.reminder).toEqual(reminder('booking-1'));
    expect(got?.slots).toEqual([
      { offset: '-1d', messageId: a.id, sendAt: a.sendAt, status: 'scheduled' },
      { offset: '-2h', messageId: b.id, sendAt: b.sendAt, status: 'scheduled' },
    ]);
    expect(await jobs.depth()).toBe(2);
    expect(await reminders.get('booking-2')).toBeNull();
  });

  it('stores nothing for a reference that exists', async () => {
    await created('booking-1');
    const extra = scheduled('booking-1', APPOINTMENT - 60_000);
    const again = await reminders.create(
      reminder('booking-1', { requestHash: 'h2' }),
      [{ offset: '-1m', messageId: extra.id, sendAt: extra.sendAt! }],
      [extra],
    );
    expect(again).toBe('exists');
    expect(await messages.get(extra.id)).toBeNull();
    expect((await reminders.get('booking-1'))?.reminder.requestHash).toBe('h1');
  });

  it('a change takes back the old messages and stores the new ones; a stale version changes nothing', async () => {
    const { a, b } = await created('booking-1');
    const moved = scheduled('booking-1', APPOINTMENT + 3_600_000 - 7_200_000);
    const outcome = await reminders.change({
      reference: 'booking-1',
      expectedVersion: 1,
      appointmentAt: APPOINTMENT + 3_600_000,
      timezone: 'Europe/London',
      offsets: ['-2h'],
      at: T0 + 1,
      slots: [{ offset: '-2h', messageId: moved.id, sendAt: moved.sendAt!, message: moved, replaces: b.id }],
      dropped: [{ offset: '-1d', messageId: a.id, sendAt: a.sendAt! }],
    });
    expect(outcome.kind === 'changed' && outcome.canceled.sort()).toEqual([a.id, b.id].sort());
    expect(outcome).toMatchObject({ stored: [moved.id] });
    const got = await reminders.get('booking-1');
    expect(got?.reminder.version).toBe(2);
    expect(got?.reminder.appointmentAt).toBe(APPOINTMENT + 3_600_000);
    expect(got?.slots).toEqual([{ offset: '-2h', messageId: moved.id, sendAt: moved.sendAt, status: 'scheduled' }]);
    expect((await messages.get(a.id))?.status).toBe('canceled');
    expect((await messages.get(b.id))?.status).toBe('canceled');
    expect(await jobs.depth()).toBe(1);

    const late = scheduled('booking-1', APPOINTMENT);
    const stale = await reminders.change({
      reference: 'booking-1',
      expectedVersion: 1,
      appointmentAt: APPOINTMENT + 60_000,
      timezone: 'Europe/London',
      offsets: ['-2h'],
      at: T0 + 2,
      slots: [{ offset: '-2h', messageId: late.id, sendAt: late.sendAt!, message: late, replaces: moved.id }],
      dropped: [],
    });
    expect(stale).toEqual({ kind: 'conflict' });
    expect(await messages.get(late.id)).toBeNull();
    expect((await messages.get(moved.id))?.status).toBe('scheduled');
  });

  it('a slot whose message a worker already holds keeps it; a sent one stays as history when dropped', async () => {
    const { a, b } = await created('booking-1');
    // Both due now: a worker claims them; a is then sent.
    const claimed = await jobs.claim({ limit: 10, now: APPOINTMENT, leaseMs: 60_000, leaseToken: 'w1' });
    expect(claimed.map((j) => j.id).sort()).toEqual([a.id, b.id].sort());
    await messages.recordSent({
      id: a.id,
      provider: 'sim',
      providerMessageId: 'p1',
      status: 'sent',
      at: APPOINTMENT,
      attempt: 1,
      latencyMs: 5,
    });
    const fresh = scheduled('booking-1', APPOINTMENT + 86_400_000);
    const outcome = await reminders.change({
      reference: 'booking-1',
      expectedVersion: 1,
      appointmentAt: APPOINTMENT + 2 * 86_400_000,
      timezone: 'Europe/London',
      offsets: ['-1d'],
      at: APPOINTMENT,
      slots: [{ offset: '-1d', messageId: fresh.id, sendAt: fresh.sendAt!, message: fresh, replaces: b.id }],
      dropped: [{ offset: '-2h', messageId: a.id, sendAt: a.sendAt! }],
    });
    expect(outcome).toEqual({ kind: 'changed', canceled: [], stored: [] });
    const slots = (await reminders.get('booking-1'))?.slots.map((s) => [s.offset, s.messageId]);
    expect(slots).toEqual([
      ['-1d', a.id],
      ['-2h', b.id],
    ]);
    expect(await messages.get(fresh.id)).toBeNull();
  });

  it('cancel marks it and takes back every pending message; a second cancel finds nothing left', async () => {
    const { a, b } = await created('booking-1');
    const first = await reminders.cancel('booking-1', T0 + 5);
    expect(first?.canceled.sort()).toEqual([a.id, b.id].sort());
    const got = await reminders.get('booking-1');
    expect(got?.reminder.status).toBe('canceled');
    expect(got?.slots.map((s) => s.status)).toEqual(['canceled', 'canceled']);
    expect(await jobs.depth()).toBe(0);
    expect(await reminders.cancel('booking-1', T0 + 6)).toEqual({ canceled: [] });
    expect(await reminders.cancel('nope', T0)).toBeNull();
    const change = await reminders.change({
      reference: 'booking-1',
      expectedVersion: got!.reminder.version,
      appointmentAt: APPOINTMENT,
      timezone: 'Europe/London',
      offsets: [],
      at: T0 + 7,
      slots: [],
      dropped: [],
    });
    expect(change).toEqual({ kind: 'conflict' });
  });

  it('a reply is recorded on the reminder that sent the message', async () => {
    const { b } = await created('booking-1');
    const found = await reminders.recordReply(b.id, 'confirmed', T0 + 9);
    expect(found?.offset).toBe('-2h');
    expect(found?.reminder).toMatchObject({ reference: 'booking-1', reply: 'confirmed', repliedAt: T0 + 9 });
    expect(await reminders.recordReply('msg_other', 'confirmed', T0)).toBeNull();
  });
});
