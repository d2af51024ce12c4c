/**
 * @module app/twilio-compat/message-sid
 * Our message id ↔ Twilio's Message SID, computed, never stored. A message id is `msg_` + a ULID:
 * 26 Crockford base-32 digits carrying 128 bits. A Message SID is `SM` + 32 hex digits: 128 bits
 * too. So the SID is the same number written in hex, a one-to-one mapping both ways, and a SID
 * handed out at creation finds its message again with no lookup table.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const MESSAGE_ID = /^msg_([0-7][0-9A-HJKMNP-TV-Z]{25})$/;
const MESSAGE_SID = /^SM([0-9a-fA-F]{32})$/;

/** `msg_01J9Z6X8W2K4N7Q3R5T8V0Y2A4` → `SM` + 32 hex. Throws for an id that is not `msg_` + ULID. */
export function toMessageSid(messageId: string): string {
  const ulid = MESSAGE_ID.exec(messageId)?.[1];
  if (ulid === undefined) throw new Error(`${messageId} is not a message id with a ULID`);
  let n = 0n;
  for (const ch of ulid) n = (n << 5n) | BigInt(CROCKFORD.indexOf(ch));
  return `SM${n.toString(16).padStart(32, '0')}`;
}

/** The message id a Message SID stands for, or null when it is not an `SM` SID. */
export function toMessageId(sid: string): string | null {
  const hex = MESSAGE_SID.exec(sid)?.[1];
  if (hex === undefined) return null;
  let n = BigInt(`0x${hex}`);
  let ulid = '';
  for (let i = 0; i < 26; i++) {
    ulid = CROCKFORD[Number(n & 31n)] + ulid;
    n >>= 5n;
  }
  return `msg_${ulid}`;
}
