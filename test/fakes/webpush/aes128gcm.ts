/**
 * @module test/fakes/webpush/aes128gcm
 * The encrypted body of a push message (RFC 8188 framing, RFC 8291 keys). A push service checks
 * only the framing: the 86-byte header (16-byte salt, record size, the sender's 65-byte public key)
 * and the size. The fake also plays the browser that made the subscription, so it holds the
 * subscription's private key and can decrypt, which lets tests read what a service worker would.
 */
import { createDecipheriv, createECDH, createHmac, randomBytes, type ECDH } from 'node:crypto';

export interface Aes128gcmHeader {
  salt: Buffer;
  recordSize: number;
  senderKey: Buffer;
  ciphertext: Buffer;
}

export function readHeader(body: Buffer): Aes128gcmHeader | string {
  if (body.length < 86 + 17) return 'body shorter than the aes128gcm header and one record';
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20];
  if (recordSize < 18) return 'record size under 18';
  if (idLength !== 65) return 'keyid is not a 65-byte P-256 public key';
  const senderKey = body.subarray(21, 86);
  if (senderKey[0] !== 0x04) return 'keyid is not an uncompressed point';
  const ciphertext = body.subarray(86);
  if (ciphertext.length > recordSize) return 'more than one record';
  return { salt: body.subarray(0, 16), recordSize, senderKey, ciphertext };
}

/** The subscriber's side: its ECDH key pair and the 16-byte auth secret. */
export interface Subscriber {
  ecdh: ECDH;
  auth: Buffer;
}

export function newSubscriber(): Subscriber {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { ecdh, auth: randomBytes(16) };
}

/** Decrypts one aes128gcm record as the browser would, or says why it cannot. */
export function decrypt(header: Aes128gcmHeader, subscriber: Subscriber): Buffer | string {
  const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();
  let shared: Buffer;
  try {
    shared = subscriber.ecdh.computeSecret(header.senderKey);
  } catch {
    return 'the sender key is not on the curve';
  }
  const keyInfo = Buffer.concat([
    Buffer.from('WebPush: info\0'),
    subscriber.ecdh.getPublicKey(),
    header.senderKey,
    Buffer.from([1]),
  ]);
  const ikm = hmac(hmac(subscriber.auth, shared), keyInfo);
  const prk = hmac(header.salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01')).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01')).subarray(0, 12);
  const tag = header.ciphertext.subarray(-16);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(tag);
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(header.ciphertext.subarray(0, -16)), decipher.final()]);
  } catch {
    return 'authentication tag mismatch';
  }
  // Padding: the last record ends with the delimiter 0x02, then zeros.
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end--;
  if (plain[end] !== 2) return 'no last-record delimiter';
  return plain.subarray(0, end);
}
