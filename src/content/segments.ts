/**
 * @module content/segments
 * How a body will travel: GSM-7 or UCS-2, and how many billed segments. The answer is Twilio's own
 * calculator (`sms-segments-calculator`, TwilioDevEd), so what we quote matches what Twilio bills;
 * a fast path (segments-fast.ts) answers the common cases without it, because the calculator is
 * far too slow for the acceptance hot path.
 */
import { SegmentedMessage } from 'sms-segments-calculator';
import { TidingsError } from '../core/errors.js';
import { measureFast, type BodyMeasure } from './segments-fast.js';

export type { BodyMeasure } from './segments-fast.js';

/** Twilio refuses longer bodies (error 21617); other providers' limits are lower, not higher. */
export const MAX_BODY_LENGTH = 1600;

/** Encoding, segment count and the characters that forced UCS-2. */
export function measure(body: string): BodyMeasure {
  return measureFast(body) ?? measureWithCalculator(body);
}

/** Always the calculator; exported so tests can hold the fast path to it. */
export function measureWithCalculator(body: string): BodyMeasure {
  const message = new SegmentedMessage(body);
  return {
    encoding: message.encodingName,
    segments: message.segmentsCount,
    characters: message.numberOfCharacters,
    unicodeCharacters: [...new Set(message.getNonGsmCharacters())],
  };
}

/**
 * Refuses a body that is empty (or only whitespace) or longer than MAX_BODY_LENGTH characters,
 * counted as Unicode code points like JSON Schema's maxLength, so an emoji counts once.
 * @throws TidingsError `body_empty` or `body_too_long`, field `body`.
 */
export function checkBody(body: string): void {
  if (body.trim() === '') throw new TidingsError('body_empty', 'The message body is empty.', 'body');
  // UTF-16 length is an upper bound on code points, so the exact count is only needed past it.
  if (body.length > MAX_BODY_LENGTH) {
    const characters = codePoints(body);
    if (characters > MAX_BODY_LENGTH) {
      throw new TidingsError(
        'body_too_long',
        `The message body is ${characters} characters long; the limit is ${MAX_BODY_LENGTH}.`,
        'body',
      );
    }
  }
}

function codePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is a single code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}
