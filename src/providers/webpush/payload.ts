/**
 * @module providers/webpush/payload
 * What the service worker receives: `{"title"?, "body", "messageId"}` as JSON, which it shows with
 * `showNotification(title, {body})`. Push services need only carry 4,096 bytes of encrypted record
 * (RFC 8030 §7.2); aes128gcm spends 86 bytes on its header, 16 on the tag and 1 on the padding
 * delimiter, which leaves 3,993 bytes of JSON.
 */
import type { OutboundMessage } from '../../ports/provider.js';

export const MAX_PAYLOAD_BYTES = 4096 - 86 - 16 - 1;

export interface PushNotification {
  title?: string;
  body: string;
  messageId: string;
}

/** The JSON to encrypt, or null when it would not fit in one push message. */
export function notificationPayload(msg: Pick<OutboundMessage, 'id' | 'body' | 'subject'>): string | null {
  const notification: PushNotification = { body: msg.body, messageId: msg.id };
  const title = msg.subject?.trim();
  const json = JSON.stringify(title ? { title, ...notification } : notification);
  return Buffer.byteLength(json, 'utf8') <= MAX_PAYLOAD_BYTES ? json : null;
}
