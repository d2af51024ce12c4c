/**
 * @module core/duplicate-key
 * What makes two messages the same for the duplicate rule ("the same text to the same number
 * within the window"): the channel, the number, the text, and for a scheduled message the window
 * it is due in, since "take your medicine" scheduled for each day of the week is seven messages.
 */
import type { Message } from './message.js';

export type DuplicateProbe = Pick<Message, 'to' | 'channel' | 'body' | 'sendAt'>;

/** Equal keys are duplicates of each other. */
export function duplicateKey(m: DuplicateProbe, windowMs: number): string {
  const due = m.sendAt === null ? '' : Math.floor(m.sendAt / windowMs).toString(36);
  return `${m.channel}\u0000${m.to}\u0000${due}\u0000${m.body}`;
}
