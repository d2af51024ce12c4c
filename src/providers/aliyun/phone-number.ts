/**
 * @module providers/aliyun/phone-number
 * The form Aliyun's `PhoneNumbers` expects (providers.md §3.1): a mainland number as its bare
 * 11 digits (Aliyun would take +86/0086/86 too, but the bare form is its documented domestic
 * format), any other number as country code + number, digits only, without "+" or "00".
 */
const MAINLAND = /^\+86(1\d{10})$/;

/** `+8613800138000` → `13800138000`; `+85291234567` → `85291234567`. */
export function aliyunPhoneNumber(e164: string): string {
  const mainland = MAINLAND.exec(e164.trim());
  if (mainland?.[1]) return mainland[1];
  return e164.replace(/\D/g, '');
}
