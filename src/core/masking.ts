/**
 * @module core/masking
 * How personal data looks when it must be shown to operators: enough to tell numbers apart,
 * never enough to text someone. Used by logs and by anything printed.
 */

/** `+8613812348000` → `+86138****8000`; short numbers keep only their last two digits. */
export function maskPhone(value: string): string {
  const digits = value.replace(/[^\d]/g, '');
  if (digits.length < 7) return value.length <= 2 ? '**' : `${'*'.repeat(value.length - 2)}${value.slice(-2)}`;
  const plus = value.trim().startsWith('+') ? '+' : '';
  const head = digits.slice(0, Math.min(5, digits.length - 6));
  const tail = digits.slice(-4);
  return `${plus}${head}****${tail}`;
}

/** A secret shown back to a person: the first few characters and nothing else. */
export function maskSecret(value: string): string {
  if (value.length <= 4) return '****';
  return `${value.slice(0, 4)}****`;
}

const PHONE_IN_TEXT = /\+?\d[\d\s-]{6,}\d/g;
const CODE_IN_TEXT = /\b\d{4,8}\b/g;

/** Masks phone numbers and anything that looks like a one-time code inside free text. */
export function maskText(text: string): string {
  return text.replace(PHONE_IN_TEXT, (m) => maskPhone(m)).replace(CODE_IN_TEXT, (m) => '*'.repeat(m.length));
}
