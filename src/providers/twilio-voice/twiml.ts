/**
 * @module providers/twilio-voice/twiml
 * The TwiML a call runs: the message read aloud twice, with a pause between, because a listener
 * often misses the start of a call while lifting the phone. The text is XML-escaped: a message is
 * user content, and one stray `&` or `<` would make Twilio refuse the whole document.
 */
import type { SayVoice } from './voices.js';

/** Twilio's limit on the inline `Twiml` parameter (providers.md §1.7, the spec). */
export const MAX_TWIML_LENGTH = 4000;

/**
 * `<Response><Say …>text</Say><Pause length="1"/><Say …>text</Say></Response>`; a single reading when
 * two would not fit, and null when even one does not.
 */
export function sayTwiml(body: string, voice: SayVoice): string | null {
  const say = `<Say language="${escapeXml(voice.language)}" voice="${escapeXml(voice.voice)}">${escapeXml(body)}</Say>`;
  const twice = `<Response>${say}<Pause length="1"/>${say}</Response>`;
  if (twice.length <= MAX_TWIML_LENGTH) return twice;
  const once = `<Response>${say}</Response>`;
  return once.length <= MAX_TWIML_LENGTH ? once : null;
}

// XML 1.0 allows tab, newline and carriage return among the control characters, nothing else.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
