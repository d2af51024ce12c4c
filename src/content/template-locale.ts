/**
 * @module content/template-locale
 * Which of a template's bodies a recipient gets, from the locale the caller asked for. A template
 * holds one body per locale plus `default`; callers send whatever tag their user database has
 * (`zh-CN`, `zh_TW`, `EN-us`), so the match must be forgiving and the fallback predictable.
 *
 * Order, most specific first (BCP 47 lookup, RFC 4647 §3.4, case-insensitive, `_` read as `-`):
 * the tag as given; then its likely-script form (Intl.Locale#maximize: zh-TW → zh-Hant-TW,
 * zh-CN → zh-Hans-CN) cut one subtag at a time; then the tag as given cut the same way; then
 * `default`. So zh-Hant-TW → zh-Hant → zh → default, zh-CN → zh-Hans → zh → default, and zh-TW
 * finds a zh-Hant body before a zh one, which would be in the wrong script.
 */

export const DEFAULT_LOCALE_KEY = 'default';

/** The key of `available` to use, in its own spelling, or null when nothing fits and there is no default. */
export function pickLocale(available: readonly string[], requested: string | null): string | null {
  const byLower = new Map<string, string>();
  for (const key of available) {
    const lower = key.replace(/_/g, '-').toLowerCase();
    if (!byLower.has(lower)) byLower.set(lower, key);
  }
  if (requested !== null && requested.trim() !== '') {
    for (const candidate of lookupChain(requested)) {
      const key = byLower.get(candidate);
      if (key !== undefined) return key;
    }
  }
  return byLower.get(DEFAULT_LOCALE_KEY) ?? null;
}

const chains = new Map<string, readonly string[]>();
const MAX_CACHED = 512;

/** The lower-case tags to try for a requested locale, most specific first; cached, as it runs per message. */
export function lookupChain(requested: string): readonly string[] {
  let chain = chains.get(requested);
  if (chain === undefined) {
    chain = buildChain(requested);
    if (chains.size >= MAX_CACHED) chains.clear();
    chains.set(requested, chain);
  }
  return chain;
}

function buildChain(requested: string): readonly string[] {
  const given = requested.trim().replace(/_/g, '-').toLowerCase();
  let maximized: string | null = null;
  try {
    maximized = new Intl.Locale(given).maximize().baseName.toLowerCase();
  } catch {
    // Not a well-formed tag: still try it, and its prefixes, as written.
  }
  const chain = new Set<string>([given]);
  if (maximized !== null) for (const tag of truncations(maximized)) chain.add(tag);
  for (const tag of truncations(given)) chain.add(tag);
  return [...chain];
}

/** `zh-hant-tw` → zh-hant-tw, zh-hant, zh; a singleton left at the end (`x` in `en-x`) goes with its subtag. */
function truncations(tag: string): string[] {
  const parts = tag.split('-').filter((part) => part !== '');
  const out: string[] = [];
  while (parts.length > 0) {
    out.push(parts.join('-'));
    parts.pop();
    if (parts.length > 0 && parts[parts.length - 1]!.length === 1) parts.pop();
  }
  return out;
}
