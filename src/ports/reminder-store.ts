/**
 * @module ports/reminder-store
 * Appointment reminders as stored: the reminder (one per reference) and its slots, one per offset,
 * each naming the message that carries it. Every change to a reminder and to its messages commits
 * in one transaction, so a reminder never points at a message that was not stored, and no message
 * is scheduled that its reminder does not name (a crash leaves the old state or the new, never half).
 */
import type { Channel, Message, MessageStatus, Purpose } from '../core/message.js';

/** What each of the reminder's messages is made from. */
export interface ReminderContent {
  to: string;
  template: string;
  data?: Record<string, unknown>;
  locale?: string;
  purpose?: Purpose;
  from?: string;
  channel?: Channel;
  metadata?: Record<string, unknown>;
}

export type ReminderStatus = 'active' | 'canceled';
/** What the recipient answered, from the reply intents of the template (`confirm`, `cancel`). */
export type ReminderReply = 'confirmed' | 'canceled';

export interface Reminder {
  reference: string;
  apiKeyId: string;
  appointmentAt: number;
  timezone: string;
  content: ReminderContent;
  /** Canonical offset labels (`-1d`, `-2h`), as asked for. */
  offsets: string[];
  status: ReminderStatus;
  reply: ReminderReply | null;
  repliedAt: number | null;
  /** Of the create request, so that sending the same request again is recognised. */
  requestHash: string;
  /** Bumped by every change: a change made from an older read loses. */
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface ReminderSlot {
  offset: string;
  /** Null: the offset was already past when planned, so nothing was scheduled. */
  messageId: string | null;
  sendAt: number;
}

/** A slot as read back, with its message's status (`missing` only if that message was deleted). */
export interface ReminderSlotView extends ReminderSlot {
  status: MessageStatus | 'skipped' | 'missing';
}

export interface StoredReminder {
  reminder: Reminder;
  slots: ReminderSlotView[];
}

/** A slot of a reschedule: unchanged, skipped, or a new message that replaces `replaces`. */
export interface PlannedSlot extends ReminderSlot {
  /** The new message to store for this slot (absent: the slot keeps `messageId` as it is). */
  message?: Message;
  /** The old message this slot's new message or skip replaces, taken back if still pending. */
  replaces?: string | null;
}

export interface ReminderChange {
  reference: string;
  expectedVersion: number;
  appointmentAt: number;
  timezone: string;
  offsets: string[];
  at: number;
  slots: PlannedSlot[];
  /** Slots of offsets no longer asked for: their pending messages are taken back. */
  dropped: ReminderSlot[];
}

export type ChangeOutcome =
  | { kind: 'conflict' }
  | {
      kind: 'changed';
      /** Old messages taken back. */
      canceled: string[];
      /** New messages stored (a slot whose old message started sending meanwhile keeps it instead). */
      stored: string[];
    };

export interface ReminderStore {
  get(reference: string): Promise<StoredReminder | null>;
  /** Stores the reminder, its slots and their messages (with their jobs); `exists` stores nothing. */
  create(reminder: Reminder, slots: ReminderSlot[], messages: Message[]): Promise<'created' | 'exists'>;
  change(change: ReminderChange): Promise<ChangeOutcome>;
  /** Marks it canceled and takes back every pending message; null when there is no such reminder. */
  cancel(reference: string, at: number): Promise<{ canceled: string[] } | null>;
  /** Records a reply on the reminder that sent `messageId`; null when no reminder sent it. */
  recordReply(
    messageId: string,
    reply: ReminderReply,
    at: number,
  ): Promise<{ reminder: Reminder; offset: string } | null>;
}
