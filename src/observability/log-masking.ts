/**
 * @module observability/log-masking
 * What a log line may not contain: phone numbers, message texts, one-time codes, secrets. Callers
 * log freely under the usual keys and this makes the result safe, so no call site has to remember.
 * Two passes: by key over the structured fields (before pino serializes them), then a scan of the
 * finished line for anything that still looks like an international number (a message string, an
 * error text quoting a number, a URL).
 *
 * The one import from our own code is core/masking, which is pure (no I/O, no dependencies): the
 * layering rule for observability/ (DESIGN.md §2) is about not reaching into the application.
 */
import { stdSerializers } from 'pino';
import { maskPhone, maskText } from '../core/masking.js';

/** Keys whose values are phone numbers (compared lower-case: Twilio's webhooks say `To`, `From`). */
const PHONE_KEYS = new Set([
  'to',
  'from',
  'phone',
  'number',
  'recipient',
  'phonenumber',
  'phonenumbers',
  'mobile',
  'msisdn',
  'called',
  'caller',
]);
/** Keys whose values are message texts. */
const TEXT_KEYS = new Set(['body', 'text']);
const SECRET_KEY = /token|secret|password|authorization|api[_-]?key|cookie|credential|private[_-]?key|^auth$/i;
const DIGITS = /^\s*\d+\s*$/;
const EMAIL = /^([^@\s])[^@\s]*(@[^@\s]+)$/;

const MAX_DEPTH = 12;
export const REDACTED = '[redacted]';

/**
 * A masked copy of a log object (the caller's object is never changed). Errors anywhere are turned
 * into pino's serialized shape first, so their own fields go through the same rules.
 */
export function maskLogFields(fields: Record<string, unknown>): Record<string, unknown> {
  return maskObject(fields, 0, new WeakSet());
}

/** Masks every `+` followed by 7–15 digits (spaces, dashes, dots, parentheses allowed between). */
export function maskNumbersInLine(line: string): string {
  if (!line.includes('+')) return line;
  return line.replace(NUMBER_IN_TEXT, (match) => maskPhone(match));
}
const NUMBER_IN_TEXT = /\+\d(?:[ ().-]{0,2}\d){6,14}/g;

function maskObject(source: object, depth: number, ancestors: WeakSet<object>): Record<string, unknown> {
  ancestors.add(source);
  // A plain object, because pino calls methods such as hasOwnProperty on bindings; an own
  // `__proto__` key (from JSON.parse) is defined as a field rather than assigned as a prototype.
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const value = maskField(key, (source as Record<string, unknown>)[key], depth, ancestors);
    if (key === '__proto__')
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  ancestors.delete(source);
  return out;
}

function maskField(key: string, value: unknown, depth: number, ancestors: WeakSet<object>): unknown {
  if (value === undefined || value === null) return value;
  if (SECRET_KEY.test(key)) return REDACTED;
  const lower = key.toLowerCase();
  if (PHONE_KEYS.has(lower)) return mapStrings(value, maskRecipient, depth, ancestors);
  if (TEXT_KEYS.has(lower)) return mapStrings(value, maskText, depth, ancestors);
  if (lower === 'otp') return mapStrings(value, maskWhole, depth, ancestors);
  // `code` is also our error code ("invalid_number"); only digits look like a one-time code.
  if (lower === 'code' && (typeof value === 'number' || (typeof value === 'string' && DIGITS.test(value)))) {
    return maskWhole(String(value));
  }
  return maskValue(value, depth + 1, ancestors);
}

function maskValue(value: unknown, depth: number, ancestors: WeakSet<object>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (ancestors.has(value)) return '[Circular]';
  if (depth > MAX_DEPTH) return '[Object]';
  if (value instanceof Error) return maskObject(stdSerializers.err(value), depth, ancestors);
  if (Array.isArray(value)) {
    ancestors.add(value);
    const out = value.map((item) => maskValue(item, depth + 1, ancestors));
    ancestors.delete(value);
    return out;
  }
  // Dates, Buffers, URLs: what JSON would write, so a secret in a URL's text is still seen by the line scan.
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return toJSON.call(value);
  return maskObject(value, depth, ancestors);
}

/** Applies `mask` to strings (and numbers) under a sensitive key, through arrays and objects. */
function mapStrings(
  value: unknown,
  mask: (text: string) => string,
  depth: number,
  ancestors: WeakSet<object>,
): unknown {
  if (typeof value === 'string') return mask(value);
  if (typeof value === 'number' || typeof value === 'bigint') return mask(String(value));
  if (Array.isArray(value)) {
    if (depth > MAX_DEPTH) return '[Object]';
    return value.map((item) => mapStrings(item, mask, depth + 1, ancestors));
  }
  // An object under `recipient` ({ email, timezone }) gets the key rules of its own fields.
  return maskValue(value, depth + 1, ancestors);
}

/**
 * A recipient: a phone number, an e-mail address (the e-mail channel reuses `to`), or a word that
 * merely shares the key (`{ from: 'queued', to: 'sending' }` is a status change) and stays readable.
 */
function maskRecipient(value: string): string {
  if (/\d/.test(value)) return maskPhone(value);
  const email = EMAIL.exec(value);
  if (email) return `${email[1]}****${email[2]}`;
  return value;
}

function maskWhole(value: string): string {
  return '*'.repeat(Math.max(value.trim().length, 1));
}
