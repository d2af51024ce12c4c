/**
 * @module storage/reminder-repository
 * Reminders and their slots. Each change is one transaction together with the messages it stores
 * or takes back (the same writes as MessageStore.accept and cancel), so the reminder and its
 * messages never disagree, even after a crash. A change names the version it was planned from;
 * the version check comes first, so a change planned from an older read stores nothing.
 */
import type { Selectable, Transaction } from 'kysely';
import type { Message, MessageStatus } from '../core/message.js';
import { isPending } from '../core/status.js';
import type {
  ChangeOutcome,
  Reminder,
  ReminderChange,
  ReminderContent,
  ReminderReply,
  ReminderSlot,
  ReminderStatus,
  ReminderStore,
  StoredReminder,
} from '../ports/reminder-store.js';
import type { StorageHandle } from './handle.js';
import { takeBackJobs } from './message-repository.js';
import { insertAccepted, insertEvents, type Tx } from './message-writes.js';
import type { Database, RemindersTable } from './schema.js';

function fromRow(r: Selectable<RemindersTable>): Reminder {
  return {
    reference: r.reference,
    apiKeyId: r.api_key_id,
    appointmentAt: Number(r.appointment_at),
    timezone: r.timezone,
    content: JSON.parse(r.request) as ReminderContent,
    offsets: JSON.parse(r.offsets) as string[],
    status: r.status as ReminderStatus,
    reply: r.reply as ReminderReply | null,
    repliedAt: r.replied_at === null ? null : Number(r.replied_at),
    requestHash: r.request_hash,
    version: Number(r.version),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function slotValues(reference: string, s: ReminderSlot) {
  return { reference, offset_label: s.offset, message_id: s.messageId, send_at: s.sendAt };
}

async function statuses(tx: Transaction<Database>, ids: string[]): Promise<Map<string, MessageStatus>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.selectFrom('messages').select(['id', 'status']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.status as MessageStatus]));
}

/**
 * Takes back what is still pending among `ids`; returns the ids now out of the way (taken back,
 * already canceled, or never stored) and those taken back by this call.
 */
async function takeBack(t: Tx, ids: string[], at: number, reference: string) {
  const known = await statuses(t.tx, ids);
  const pending = ids.filter((id) => isPending(known.get(id) as MessageStatus));
  const taken = pending.length > 0 ? await takeBackJobs(t, pending, at) : [];
  await insertEvents(
    t,
    taken.map((id) => ({
      messageId: id,
      type: 'canceled',
      status: 'canceled',
      at,
      provider: null,
      detail: { reference, reason: 'reminder' },
    })),
  );
  const takenSet = new Set(taken);
  const gone = new Set(ids.filter((id) => takenSet.has(id) || !known.has(id) || known.get(id) === 'canceled'));
  return { gone, taken };
}

export class ReminderRepository implements ReminderStore {
  constructor(private readonly storage: StorageHandle) {}

  private write<T>(op: (t: Tx) => Promise<T>): Promise<T> {
    return this.storage.writes.run((tx) => op({ tx, dialect: this.storage.dialect }));
  }

  async get(reference: string): Promise<StoredReminder | null> {
    const row = await this.storage.db
      .selectFrom('reminders')
      .selectAll()
      .where('reference', '=', reference)
      .executeTakeFirst();
    if (!row) return null;
    const slots = await this.storage.db
      .selectFrom('reminder_messages')
      .leftJoin('messages', 'messages.id', 'reminder_messages.message_id')
      .select([
        'reminder_messages.offset_label as offset',
        'reminder_messages.message_id as messageId',
        'reminder_messages.send_at as sendAt',
        'messages.status as status',
      ])
      .where('reminder_messages.reference', '=', reference)
      .orderBy('reminder_messages.send_at')
      .orderBy('reminder_messages.offset_label')
      .execute();
    return {
      reminder: fromRow(row),
      slots: slots.map((s) => ({
        offset: s.offset,
        messageId: s.messageId,
        sendAt: Number(s.sendAt),
        status: s.messageId === null ? 'skipped' : ((s.status as MessageStatus | null) ?? 'missing'),
      })),
    };
  }

  create(reminder: Reminder, slots: ReminderSlot[], messages: Message[]): Promise<'created' | 'exists'> {
    return this.write(async (t) => {
      const inserted = await t.tx
        .insertInto('reminders')
        .values({
          reference: reminder.reference,
          api_key_id: reminder.apiKeyId,
          appointment_at: reminder.appointmentAt,
          timezone: reminder.timezone,
          request: JSON.stringify(reminder.content),
          offsets: JSON.stringify(reminder.offsets),
          status: reminder.status,
          reply: null,
          replied_at: null,
          request_hash: reminder.requestHash,
          version: reminder.version,
          created_at: reminder.createdAt,
          updated_at: reminder.updatedAt,
        })
        .onConflict((oc) => oc.column('reference').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return 'exists';
      if (slots.length > 0) {
        await t.tx
          .insertInto('reminder_messages')
          .values(slots.map((s) => slotValues(reminder.reference, s)))
          .execute();
      }
      if (messages.length > 0) await insertAccepted(t, messages);
      return 'created';
    });
  }

  change(c: ReminderChange): Promise<ChangeOutcome> {
    return this.write(async (t): Promise<ChangeOutcome> => {
      const { tx } = t;
      const claimed = await tx
        .updateTable('reminders')
        .set({
          appointment_at: c.appointmentAt,
          timezone: c.timezone,
          offsets: JSON.stringify(c.offsets),
          version: c.expectedVersion + 1,
          updated_at: c.at,
        })
        .where('reference', '=', c.reference)
        .where('version', '=', c.expectedVersion)
        .where('status', '=', 'active')
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) === 0) return { kind: 'conflict' };

      const old = [...c.slots.map((s) => s.replaces), ...c.dropped.map((s) => s.messageId)].filter(
        (id): id is string => typeof id === 'string',
      );
      const { gone, taken } = await takeBack(t, old, c.at, c.reference);

      const messages: Message[] = [];
      for (const s of c.slots) {
        // An old message that a worker took meanwhile keeps its slot: it is being sent, not moved.
        if (s.replaces && !gone.has(s.replaces)) continue;
        if (s.message) messages.push(s.message);
        await tx
          .insertInto('reminder_messages')
          .values(slotValues(c.reference, s))
          .onConflict((oc) =>
            oc.columns(['reference', 'offset_label']).doUpdateSet({ message_id: s.messageId, send_at: s.sendAt }),
          )
          .execute();
      }
      for (const s of c.dropped) {
        if (s.messageId !== null && !gone.has(s.messageId)) continue; // sent: kept as history
        await tx
          .deleteFrom('reminder_messages')
          .where('reference', '=', c.reference)
          .where('offset_label', '=', s.offset)
          .execute();
      }
      if (messages.length > 0) await insertAccepted(t, messages);
      return { kind: 'changed', canceled: taken, stored: messages.map((m) => m.id) };
    });
  }

  cancel(reference: string, at: number): Promise<{ canceled: string[] } | null> {
    return this.write(async (t) => {
      // Marked first: a reschedule planned before this cancel now fails its version check.
      const marked = await t.tx
        .updateTable('reminders')
        .set((eb) => ({ status: 'canceled', version: eb('version', '+', 1), updated_at: at }))
        .where('reference', '=', reference)
        .executeTakeFirst();
      if (Number(marked.numUpdatedRows) === 0) return null;
      const rows = await t.tx
        .selectFrom('reminder_messages')
        .select('message_id')
        .where('reference', '=', reference)
        .where('message_id', 'is not', null)
        .execute();
      const { taken } = await takeBack(
        t,
        rows.map((r) => r.message_id as string),
        at,
        reference,
      );
      return { canceled: taken };
    });
  }

  recordReply(
    messageId: string,
    reply: ReminderReply,
    at: number,
  ): Promise<{ reminder: Reminder; offset: string } | null> {
    return this.write(async (t) => {
      const slot = await t.tx
        .selectFrom('reminder_messages')
        .select(['reference', 'offset_label'])
        .where('message_id', '=', messageId)
        .executeTakeFirst();
      if (!slot) return null;
      const row = await t.tx
        .updateTable('reminders')
        .set({ reply, replied_at: at })
        .where('reference', '=', slot.reference)
        .returningAll()
        .executeTakeFirst();
      return row ? { reminder: fromRow(row), offset: slot.offset_label } : null;
    });
  }
}
