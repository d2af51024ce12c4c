/**
 * @module app/circuit-wait
 * Whether a message that found every provider out of rotation may wait without spending an
 * attempt. It may while it is younger than the limit; its age comes from its id, a ULID that holds
 * the time it was accepted, so no extra read is needed on the dispatch path. An id that is no ULID
 * (made elsewhere) is treated as young.
 */
import { decodeTime } from 'ulid';

export function waitsForCircuit(messageId: string, now: number, waitMaxMs: number): boolean {
  const ulid = messageId.slice(messageId.indexOf('_') + 1);
  let acceptedAt: number;
  try {
    acceptedAt = decodeTime(ulid);
  } catch {
    return true;
  }
  return now - acceptedAt < waitMaxMs;
}
