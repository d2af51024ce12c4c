/**
 * @module config/limits
 * The protection variables (TIDINGS_API_*_LIMIT, TIDINGS_RECIPIENT_LIMITS, TIDINGS_QUIET_HOURS,
 * TIDINGS_PUMPING_*, TIDINGS_SPEND_*, TIDINGS_PACING, …) → a LimitsPolicy over the defaults in
 * core/limits-policy. Each variable is small text an operator can write in a compose file; every
 * mistake names the variable and what was expected. docs/limits.md is the reference.
 */
import { DEFAULT_LIMITS, type LimitsPolicy, type Rate, type SpendCap } from '../core/limits-policy.js';
import { isTimeZone } from '../core/local-time.js';
import { PURPOSES, type Purpose } from '../core/message.js';
import { parseQuietHours, type QuietHours } from '../core/quiet-hours.js';

export class LimitsConfigError extends Error {
  override readonly name = 'LimitsConfigError';
}

const fail = (name: string, expected: string): never => {
  throw new LimitsConfigError(`${name}: expected ${expected}`);
};

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const OFF = new Set(['off', 'none', '0']);

function windowMs(text: string, name: string): number {
  const m = /^(\d+)(s|m|h|d)$/.exec(text.trim());
  if (!m) return fail(name, `a window like 30s, 10m, 1h or 1d (got "${text}")`);
  const ms = Number(m[1]) * (UNIT_MS[m[2]!] ?? 0);
  return ms > 0 ? ms : fail(name, 'a window longer than 0');
}

/** `5/1h` */
export function parseRate(text: string, name: string): Rate {
  const m = /^\s*(\d+)\s*\/\s*(\S+)\s*$/.exec(text);
  if (!m || Number(m[1]) < 1) return fail(name, `a limit like 5/1h (got "${text}")`);
  return { points: Number(m[1]), windowMs: windowMs(m[2]!, name) };
}

function rateOrOff(text: string | undefined, name: string, fallback: Rate | null): Rate | null {
  if (text === undefined || text.trim() === '') return fallback;
  return OFF.has(text.trim()) ? null : parseRate(text, name);
}

function purpose(text: string, name: string): Purpose {
  const p = text.trim();
  return (PURPOSES as readonly string[]).includes(p)
    ? (p as Purpose)
    : fail(name, `a purpose (${PURPOSES.join(', ')})`);
}

/** `purpose=value; purpose=value` */
function perPurpose(text: string, name: string): Array<[Purpose, string]> {
  return text
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq < 0) return fail(name, `purpose=value pairs separated by ; (got "${part}")`);
      return [purpose(part.slice(0, eq), name), part.slice(eq + 1).trim()];
    });
}

function recipientLimits(text: string | undefined): LimitsPolicy['recipient'] {
  const name = 'TIDINGS_RECIPIENT_LIMITS';
  if (text === undefined || text.trim() === '') return DEFAULT_LIMITS.recipient;
  if (OFF.has(text.trim())) return { otp: [], transactional: [], marketing: [] };
  const out = { ...DEFAULT_LIMITS.recipient };
  for (const [p, value] of perPurpose(text, name)) {
    out[p] = OFF.has(value) ? [] : value.split(',').map((r) => parseRate(r, name));
  }
  return out;
}

function quietHours(text: string | undefined): LimitsPolicy['quietHours'] {
  const name = 'TIDINGS_QUIET_HOURS';
  if (text === undefined || text.trim() === '') return DEFAULT_LIMITS.quietHours;
  if (OFF.has(text.trim())) return {};
  const out: Partial<Record<Purpose, QuietHours>> = { ...DEFAULT_LIMITS.quietHours };
  for (const [p, value] of perPurpose(text, name)) {
    if (p === 'otp') fail(name, 'no quiet hours for otp (one-time codes are never held)');
    if (OFF.has(value)) {
      delete out[p];
      continue;
    }
    out[p] = parseQuietHours(value) ?? fail(name, `a window like 21:00-08:00 (got "${value}")`);
  }
  return out;
}

function countries(text: string | undefined): ReadonlySet<string> | null {
  const name = 'TIDINGS_ALLOWED_COUNTRIES';
  if (text === undefined || text.trim() === '' || text.trim() === '*') return null;
  const list = text.split(',').map((c) => c.trim().toUpperCase());
  for (const c of list) if (!/^[A-Z]{2}$/.test(c)) fail(name, `ISO country codes such as US,CA,GB, or * (got "${c}")`);
  return new Set(list);
}

/** `100 USD, 700 CNY` */
function spendCaps(text: string | undefined, name: string): SpendCap[] {
  if (text === undefined || text.trim() === '' || OFF.has(text.trim())) return [];
  return text.split(',').map((part) => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Z]{3})\s*$/.exec(part);
    if (!m) return fail(name, `amounts with a currency, like "100 USD, 700 CNY" (got "${part.trim()}")`);
    return { amount: Number(m[1]), currency: m[2]! };
  });
}

/** `key=number, key=number`; keys are senders (+1555…, 12345, Tidings) or provider ids (twilio:primary). */
function numberMap(text: string | undefined, name: string, allowZero: boolean): Map<string, number> {
  const out = new Map<string, number>();
  if (text === undefined) return out;
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.lastIndexOf('=');
    const value = Number(part.slice(eq + 1));
    if (eq <= 0 || !Number.isFinite(value) || value < (allowZero ? 0 : 1)) {
      fail(name, `sender-or-provider=number pairs, comma-separated (got "${part}")`);
    }
    out.set(part.slice(0, eq).trim(), value);
  }
  return out;
}

/** `+15551234567=2000@2031-03-01, sim:default=400` */
function warmUp(text: string | undefined): LimitsPolicy['warmUp'] {
  const name = 'TIDINGS_WARMUP';
  const out = new Map<string, { target: number; since: string | null }>();
  if (text === undefined) return out;
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(.+)=(\d+)(?:@(\d{4}-\d{2}-\d{2}))?$/.exec(part);
    if (!m || Number(m[2]) < 1) return fail(name, `sender=target[@YYYY-MM-DD] (got "${part}")`);
    out.set(m[1]!.trim(), { target: Number(m[2]), since: m[3] ?? null });
  }
  return out;
}

function positive(text: string | undefined, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (text === undefined || text.trim() === '') return fallback;
  const n = Number(text);
  return Number.isFinite(n) && n > 0 && n <= max ? n : fail(name, `a number from 0 to ${max} (got "${text}")`);
}

function pumping(env: Record<string, string | undefined>): LimitsPolicy['pumping'] {
  const d = DEFAULT_LIMITS.pumping!;
  const raw = env['TIDINGS_PUMPING_PURPOSES'];
  if (raw !== undefined && OFF.has(raw.trim())) return null;
  const purposes =
    raw === undefined || raw.trim() === ''
      ? d.purposes
      : new Set(raw.split(',').map((p) => purpose(p, 'TIDINGS_PUMPING_PURPOSES')));
  const cool = env['TIDINGS_PUMPING_COOL_OFF'];
  return {
    purposes,
    perCountry: rateOrOff(env['TIDINGS_PUMPING_COUNTRY_LIMIT'], 'TIDINGS_PUMPING_COUNTRY_LIMIT', d.perCountry),
    perPrefix: rateOrOff(env['TIDINGS_PUMPING_PREFIX_LIMIT'], 'TIDINGS_PUMPING_PREFIX_LIMIT', d.perPrefix),
    coolOffMs: cool === undefined || cool.trim() === '' ? d.coolOffMs : windowMs(cool, 'TIDINGS_PUMPING_COOL_OFF'),
  };
}

export function parseLimits(env: Record<string, string | undefined>): LimitsPolicy {
  const d = DEFAULT_LIMITS;
  const dup = env['TIDINGS_DUPLICATE_WINDOW'];
  const zone = env['TIDINGS_LIMITS_TIMEZONE']?.trim() || d.timeZone;
  if (!isTimeZone(zone)) fail('TIDINGS_LIMITS_TIMEZONE', `an IANA timezone such as UTC (got "${zone}")`);
  const pacing = env['TIDINGS_PACING'];
  const pacingOff = pacing !== undefined && OFF.has(pacing.trim());
  return {
    apiRequests: rateOrOff(env['TIDINGS_API_REQUEST_LIMIT'], 'TIDINGS_API_REQUEST_LIMIT', d.apiRequests),
    apiMessages: rateOrOff(env['TIDINGS_API_MESSAGE_LIMIT'], 'TIDINGS_API_MESSAGE_LIMIT', d.apiMessages),
    recipient: recipientLimits(env['TIDINGS_RECIPIENT_LIMITS']),
    duplicateWindowMs:
      dup === undefined || dup.trim() === ''
        ? d.duplicateWindowMs
        : OFF.has(dup.trim())
          ? null
          : windowMs(dup, 'TIDINGS_DUPLICATE_WINDOW'),
    quietHours: quietHours(env['TIDINGS_QUIET_HOURS']),
    allowedCountries: countries(env['TIDINGS_ALLOWED_COUNTRIES']),
    pumping: pumping(env),
    spend: {
      day: spendCaps(env['TIDINGS_SPEND_DAY_LIMIT'], 'TIDINGS_SPEND_DAY_LIMIT'),
      month: spendCaps(env['TIDINGS_SPEND_MONTH_LIMIT'], 'TIDINGS_SPEND_MONTH_LIMIT'),
      softRatio: positive(env['TIDINGS_SPEND_SOFT_PERCENT'], 'TIDINGS_SPEND_SOFT_PERCENT', 80, 100) / 100,
    },
    timeZone: zone,
    pacing: !pacingOff,
    rates: pacingOff ? new Map() : numberMap(pacing, 'TIDINGS_PACING', true),
    dailyCaps: numberMap(env['TIDINGS_DAILY_CAPS'], 'TIDINGS_DAILY_CAPS', false),
    warmUp: warmUp(env['TIDINGS_WARMUP']),
    warmUpFirstDay: positive(env['TIDINGS_WARMUP_FIRST_DAY'], 'TIDINGS_WARMUP_FIRST_DAY', d.warmUpFirstDay),
  };
}
