/**
 * @module core/twilio-signing
 * The string X-Twilio-Signature is computed over (providers.md §1.6): the full URL, then every form
 * parameter as name + value with no delimiters, names in byte order, a repeated name once per
 * distinct value in sorted order. Pure, so the check of Twilio's callbacks (providers/twilio) and the
 * signing of our own Twilio-compatible callbacks (webhooks/) build exactly the same string; each
 * side applies HMAC-SHA1 with the auth token itself.
 */

/** Form parameters as received; a repeated key holds all its values. */
export type TwilioParams = Readonly<Record<string, string | readonly string[]>>;

export function twilioSignedData(url: string, params: TwilioParams): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    if (typeof value === 'string') {
      data += name + value;
    } else if (value !== undefined) {
      // Repeated keys: every distinct value, sorted, each with its name (T7, T8).
      for (const v of [...new Set(value)].sort()) data += name + v;
    }
  }
  return data;
}
