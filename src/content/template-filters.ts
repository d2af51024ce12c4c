/**
 * @module content/template-filters
 * The filters Tidings adds to Liquid, for what every notification says: an amount, a time in the
 * recipient's own zone, a greeting by first name. Locale and time zone come from the render context
 * (the recipient's), never from the server, so the same message renders the same on every host.
 *
 * - `{{ amount | money: 'CNY' }}` — Intl.NumberFormat currency style in the recipient's locale:
 *   ¥1,234.50 (zh-CN), CN¥1,234.50 (en-US), $12.00 (en-US, USD). `amount` is a number or a plain
 *   decimal string ("1234.5", formatted exactly, without float rounding); the currency is a required
 *   ISO 4217 code.
 * - `{{ at | local_date }}`, `local_time`, `local_datetime`, each with an optional style
 *   `'short'` (default), `'medium'` or `'long'` — Intl.DateTimeFormat in the recipient's zone:
 *   2026-12-01T09:30:00Z in Asia/Shanghai, zh-CN, `local_datetime` → 2026/12/1 17:30. `at` is an
 *   ISO 8601 timestamp with `Z` or an offset (one without is ambiguous, so it is refused), or epoch
 *   milliseconds as a number or a string of digits.
 * - `{{ name | first_name }}` — see content/first-name.ts.
 *
 * Without a locale, en-US; without a time zone, UTC. Bad input (an amount that is not a number, an
 * unknown currency, zone or locale, an unparseable time) fails the render with
 * `template_render_failed` rather than sending a message with a blank or a wrong figure.
 *
 * ICU puts no-break spaces in some formats ("4:30 AM" has U+202F, fr-FR amounts U+202F/U+00A0).
 * They look like spaces but force UCS-2, halving what an SMS segment holds, so they become spaces.
 */
import type { Context, Liquid } from 'liquidjs';
import { firstName } from './first-name.js';
import { TemplateError } from './template-error.js';

export interface RenderContext {
  /** BCP 47 tag of the recipient's language, e.g. `zh-CN`; `_` is accepted for `-`. */
  locale: string | null;
  /** IANA time zone of the recipient, e.g. `Asia/Shanghai`. */
  timezone: string | null;
}

/** Where the renderer puts the RenderContext for the filters to read (a Liquid context register). */
export const RENDER_CONTEXT_REGISTER = 'tidings.renderContext';

/** What LiquidJS binds `this` to in a filter (its FilterImpl type is not exported). */
interface FilterImpl {
  context: Context;
}

const DEFAULT_LOCALE = 'en-US';
const DEFAULT_TIMEZONE = 'UTC';
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));
const STYLES = new Set(['short', 'medium', 'long']);
type Style = 'short' | 'medium' | 'long';
const DECIMAL = /^-?\d+(\.\d+)?$/;
const EPOCH_MS = /^-?\d+$/;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const NO_BREAK_SPACES = /[\u00a0\u2007\u2009\u202f]/g;

export function registerTemplateFilters(liquid: Liquid): void {
  liquid.registerFilter('money', money);
  liquid.registerFilter('local_date', localTimeFilter('date'));
  liquid.registerFilter('local_time', localTimeFilter('time'));
  liquid.registerFilter('local_datetime', localTimeFilter('datetime'));
  liquid.registerFilter('first_name', (name: unknown) => firstName(name));
}

function money(this: FilterImpl, amount: unknown, currency?: unknown): string {
  if (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency)) {
    throw failed(`money needs an ISO 4217 currency code, as in money: 'CNY' (got ${describe(currency)})`);
  }
  // Intl formats any three letters ("CYN 1.00"); a typo must fail, not reach the recipient.
  if (!CURRENCIES.has(currency.toUpperCase())) throw failed(`money: ${currency} is not a currency code`);
  const value = decimalOf(amount);
  const locale = localeOf(this);
  const format = cached(
    `n|${locale}|${currency}`,
    () => new Intl.NumberFormat(locale, { style: 'currency', currency }),
  );
  return format.format(value).replace(NO_BREAK_SPACES, ' ');
}

function decimalOf(amount: unknown): number | `${number}` {
  if (typeof amount === 'number' && Number.isFinite(amount)) return amount;
  if (typeof amount === 'string' && DECIMAL.test(amount.trim())) return amount.trim() as `${number}`;
  throw failed(`money needs a number or a decimal string (got ${describe(amount)})`);
}

function localTimeFilter(kind: 'date' | 'time' | 'datetime') {
  return function (this: FilterImpl, at: unknown, style: unknown = 'short'): string {
    if (typeof style !== 'string' || !STYLES.has(style)) {
      throw failed(`local_${kind} style is 'short', 'medium' or 'long' (got ${describe(style)})`);
    }
    const instant = instantOf(at, kind);
    const locale = localeOf(this);
    const timeZone = renderContext(this).timezone ?? DEFAULT_TIMEZONE;
    const format = cached(`d|${locale}|${timeZone}|${kind}|${style}`, () => {
      const s = style as Style;
      const styles =
        kind === 'date' ? { dateStyle: s } : kind === 'time' ? { timeStyle: s } : { dateStyle: s, timeStyle: s };
      try {
        return new Intl.DateTimeFormat(locale, { timeZone, ...styles });
      } catch (err) {
        throw failed(`${timeZone} is not an IANA time zone`, err);
      }
    });
    return format.format(instant).replace(NO_BREAK_SPACES, ' ');
  };
}

function instantOf(at: unknown, kind: string): Date {
  let ms = Number.NaN;
  if (at instanceof Date) ms = at.getTime();
  else if (typeof at === 'number') ms = at;
  else if (typeof at === 'string' && EPOCH_MS.test(at)) ms = Number(at);
  else if (typeof at === 'string' && ISO_WITH_ZONE.test(at)) ms = Date.parse(at);
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) {
    throw failed(
      `local_${kind} needs an ISO 8601 timestamp with Z or an offset, or epoch milliseconds (got ${describe(at)})`,
    );
  }
  return date;
}

function renderContext(filter: FilterImpl): RenderContext {
  return filter.context.getRegister<RenderContext>(RENDER_CONTEXT_REGISTER, { locale: null, timezone: null });
}

function localeOf(filter: FilterImpl): string {
  const requested = renderContext(filter).locale;
  if (requested === null || requested === '') return DEFAULT_LOCALE;
  return cachedLocales.get(requested) ?? canonicalLocale(requested);
}

const cachedLocales = new Map<string, string>();

function canonicalLocale(requested: string): string {
  let canonical: string | undefined;
  try {
    canonical = Intl.getCanonicalLocales(requested.replace(/_/g, '-'))[0];
  } catch (err) {
    throw failed(`${describe(requested)} is not a BCP 47 language tag`, err);
  }
  if (canonical === undefined) throw failed(`${describe(requested)} is not a BCP 47 language tag`);
  if (cachedLocales.size >= MAX_CACHED) cachedLocales.clear();
  cachedLocales.set(requested, canonical);
  return canonical;
}

// Building an Intl formatter costs tens of microseconds; a message renders in a few.
const MAX_CACHED = 512;
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, build: () => F): F {
  let format = formatters.get(key) as F | undefined;
  if (format === undefined) {
    format = build();
    if (formatters.size >= MAX_CACHED) formatters.clear();
    formatters.set(key, format);
  }
  return format;
}

function failed(message: string, cause?: unknown): TemplateError {
  return new TemplateError('template_render_failed', message, { cause });
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  return typeof value === 'object' ? (Array.isArray(value) ? 'a list' : 'an object') : String(value);
}
