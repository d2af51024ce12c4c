/**
 * @module core/message-id
 * A message id is `msg_` + a ULID made from the clock at acceptance (main/runtime), so ids sort by
 * creation time and a time range is an id range: the lookups by number read only the ids of the
 * last minutes from `messages_to_id` (storage/recent-duplicates).
 */
import { encodeTime } from 'ulid';

export const MESSAGE_ID_PREFIX = 'msg_';

/** The smallest id a message made at or after `at` (ms since the epoch) can have. */
export function firstMessageIdAt(at: number): string {
  return MESSAGE_ID_PREFIX + encodeTime(Math.max(0, Math.floor(at)), 10);
}
