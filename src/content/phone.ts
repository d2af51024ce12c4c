/**
 * @module content/phone
 * Turns whatever a caller typed as a recipient into one E.164 number, or refuses it with a code the
 * caller can act on. A number refused here costs nothing; the same number refused by a carrier costs
 * a send attempt, a retry budget and sometimes money. libphonenumber-js with its full ("max")
 * metadata is the authority for validity and line type, except for mainland China, where carriers
 * open new mobile prefixes faster than the metadata follows, so the seed's 1[3-9]xxxxxxxxx rule wins.
 *
 * Cost: libphonenumber-js builds a RegExp from the metadata's pattern text on every match (for +1,
 * patterns of about 1,000 characters), so one normalization of a US number took about 8 µs, a fifth
 * of what a message costs in a batch accept. Hence one type lookup (which is the validity check too)
 * instead of two, and a memo of recent answers: businesses text the same customers again and again.
 */
import {
  getCountries,
  getCountryCallingCode,
  parsePhoneNumberFromString,
  parsePhoneNumberWithError,
  ParseError,
  validatePhoneNumberLength,
  type CountryCode,
  type PhoneNumberType,
  type PhoneNumber,
} from 'libphonenumber-js/max';
import { TidingsError } from '../core/errors.js';

export type { CountryCode } from 'libphonenumber-js/max';

export interface Recipient {
  /** `+` and digits only, e.g. `+14155552671`. */
  readonly e164: string;
  /** ISO 3166-1 alpha-2 region, or null for non-geographic numbers (+800, +870, ...). */
  readonly country: string | null;
  /** libphonenumber's line type (MOBILE, FIXED_LINE_OR_MOBILE, ...), or null when unknown. */
  readonly type: string | null;
}

export interface NormalizeOptions {
  /** Region for numbers written without a country code (TIDINGS_DEFAULT_REGION). */
  defaultRegion?: CountryCode | undefined;
  channel: 'sms' | 'voice';
}

/** Longer than any real number with formatting; anything beyond is not worth parsing. */
const MAX_INPUT_LENGTH = 32;
/** Digits, one leading `+`, and the separators people write: spaces, dashes, dots, parentheses. */
const ALLOWED_INPUT = /^\+?[\d\s().-]+$/;
const SEPARATORS = /[\s().-]/g;

/** Line types that are known not to take SMS; anything else (including "unknown") is given a chance. */
const NOT_SMS_CAPABLE: ReadonlySet<PhoneNumberType> = new Set([
  'FIXED_LINE',
  'PAGER',
  'VOICEMAIL',
  'PREMIUM_RATE',
  'SHARED_COST',
  'UAN',
]);

const TYPE_NAMES: Partial<Record<PhoneNumberType, string>> = {
  FIXED_LINE: 'a landline',
  PAGER: 'a pager number',
  VOICEMAIL: 'a voicemail access number',
  PREMIUM_RATE: 'a premium-rate number',
  SHARED_COST: 'a shared-cost number',
  UAN: 'a universal access number',
};

/** The seed's rule for mainland China: every mobile number is 11 digits starting 13–19. */
const CN_MOBILE = /^1[3-9]\d{9}$/;

function invalid(message: string): TidingsError {
  return new TidingsError('invalid_number', message, 'to');
}

/**
 * Answers given before, by channel, region and input. Only numbers that passed are kept (a refusal
 * is cheap next to its error's stack trace, and rare). Two generations of at most MEMO_GENERATION
 * entries each (about 200 bytes an entry): when the newer fills up, the older is dropped whole and
 * a hit in the older moves to the newer. Evicting one entry at a time from a Map's front is not an
 * option: V8 skips the deleted slots on every look at the front, which made a miss cost 1.6 µs.
 */
const MEMO_GENERATION = 4_096;
let newer = new Map<string, Recipient>();
let older = new Map<string, Recipient>();

/**
 * Normalizes a recipient to E.164 and checks it can receive the channel.
 * @throws TidingsError `invalid_number` or `not_mobile`, field `to`.
 */
export function normalizeRecipient(input: string, opts: NormalizeOptions): Recipient {
  const key = `${opts.channel}:${opts.defaultRegion ?? ''}:${input}`;
  const known = newer.get(key);
  if (known) return known;
  const recipient = older.get(key) ?? Object.freeze(normalizeAnew(input, opts));
  if (newer.size >= MEMO_GENERATION) {
    older = newer;
    newer = new Map();
  }
  newer.set(key, recipient);
  return recipient;
}

function normalizeAnew(input: string, opts: NormalizeOptions): Recipient {
  const compact = compactInput(input);
  if (!compact.startsWith('+') && opts.defaultRegion === undefined) {
    throw invalid(
      'The phone number has no country code: write it in international format (+ and country code) ' +
        'or set TIDINGS_DEFAULT_REGION.',
    );
  }
  const parsed = parse(compact, opts.defaultRegion);

  if (parsed.countryCallingCode === '86') return chinaRecipient(parsed, opts.channel);

  // With the full metadata a number is valid exactly when it has a type (libphonenumber-js's isValid
  // is getType() !== undefined), so one lookup answers both.
  const type = parsed.getType();
  if (type === undefined) throw invalid(invalidReason(parsed));
  if (opts.channel === 'sms' && NOT_SMS_CAPABLE.has(type)) {
    throw new TidingsError(
      'not_mobile',
      `The phone number is ${TYPE_NAMES[type] ?? 'not a mobile number'} and cannot receive SMS.`,
      'to',
    );
  }
  return { e164: parsed.number, country: parsed.country ?? null, type };
}

/** Trims, checks the characters and strips separators; `00` in front means an international number. */
function compactInput(input: string): string {
  // Full-width digits and plus signs (common from CJK keyboards) become ASCII.
  // eslint-disable-next-line no-control-regex
  const text = (/[^\x00-\x7f]/.test(input) ? input.normalize('NFKC') : input).trim();
  if (text === '') throw invalid('The phone number is empty.');
  if (text.length > MAX_INPUT_LENGTH) throw invalid(`The phone number is longer than ${MAX_INPUT_LENGTH} characters.`);
  if (!ALLOWED_INPUT.test(text)) {
    throw invalid('The phone number may contain only digits, a leading +, spaces, dashes, dots and parentheses.');
  }
  const compact = text.replace(SEPARATORS, '');
  return compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
}

function parse(compact: string, region: CountryCode | undefined): PhoneNumber {
  try {
    return parsePhoneNumberWithError(compact, region);
  } catch (err) {
    if (err instanceof ParseError) throw invalid(PARSE_ERRORS[err.message] ?? 'The phone number is not valid.');
    throw err;
  }
}

const PARSE_ERRORS: Record<string, string> = {
  INVALID_COUNTRY: 'The phone number does not start with a country code that exists.',
  NOT_A_NUMBER: 'The phone number has no digits.',
  TOO_SHORT: 'The phone number is too short.',
  TOO_LONG: 'The phone number is too long.',
};

function invalidReason(parsed: PhoneNumber): string {
  const where = parsed.country ? ` for ${parsed.country}` : '';
  switch (validatePhoneNumberLength(parsed.number)) {
    case 'TOO_SHORT':
      return `The phone number is too short${where}.`;
    case 'TOO_LONG':
      return `The phone number is too long${where}.`;
    default:
      return `The phone number is not a valid number${where}.`;
  }
}

function chinaRecipient(parsed: PhoneNumber, channel: 'sms' | 'voice'): Recipient {
  const mobile = CN_MOBILE.test(parsed.nationalNumber);
  const type = parsed.getType();
  if (mobile) return { e164: parsed.number, country: 'CN', type: type ?? 'MOBILE' };
  if (type === undefined) throw invalid(invalidReason(parsed));
  if (channel === 'sms') {
    throw new TidingsError(
      'not_mobile',
      'Mainland China numbers receive SMS only if they are mobile numbers (11 digits starting 13 to 19).',
      'to',
    );
  }
  return { e164: parsed.number, country: 'CN', type };
}

/** Calling code → the regions that share it, built once on first use. */
let regionsByCallingCode: Map<string, CountryCode[]> | undefined;

function regionsFor(callingCode: string): CountryCode[] | undefined {
  if (!regionsByCallingCode) {
    regionsByCallingCode = new Map();
    for (const region of getCountries()) {
      const code = getCountryCallingCode(region);
      const list = regionsByCallingCode.get(code);
      if (list) list.push(region);
      else regionsByCallingCode.set(code, [region]);
    }
  }
  return regionsByCallingCode.get(callingCode);
}

/**
 * The region of an already-normalized E.164 number, or null. Calling codes used by one region
 * (most of them, +86 included) are answered from a table; shared ones (+1, +7, +44, ...) need the
 * full parse. Never throws.
 */
export function countryOf(e164: string): string | null {
  if (!/^\+\d{4,15}$/.test(e164)) return null;
  // Calling codes are prefix-free, so the first of 1, 2 or 3 digits that names one is the one.
  for (let length = 1; length <= 3; length++) {
    const regions = regionsFor(e164.slice(1, 1 + length));
    if (!regions) continue;
    if (regions.length === 1) return regions[0] ?? null;
    return parsePhoneNumberFromString(e164)?.country ?? null;
  }
  return null;
}
