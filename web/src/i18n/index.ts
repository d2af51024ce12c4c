/**
 * @module i18n
 * Interface text in English and Chinese, one table per language (en.ts, zh.ts). The Chinese table
 * is typed against the English keys, so a missing string is a type error, not a blank label.
 * The choice is remembered in local storage (it is not a secret); the first visit follows the
 * browser's language.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en, type MessageKey } from './en';
import { zh } from './zh';

export type Lang = 'en' | 'zh';
export type { MessageKey };
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export const TABLES: Record<Lang, Record<MessageKey, string>> = { en, zh };

const LANG_KEY = 'tidings.lang';

export function translator(lang: Lang): Translate {
  const table = TABLES[lang];
  return (key, params) => {
    const text = table[key] ?? en[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => String(params[name] ?? m)) : text;
  };
}

/** A key built at run time (an API error code, a status): looked up only if the table has it. */
export function hasKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

export function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved === 'en' || saved === 'zh') return saved;
  } catch {
    // storage may be off; fall back to the browser's language
  }
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // not remembered: the switch still works for this page
  }
}

export const I18n = createContext<{ lang: Lang; t: Translate; setLang: (lang: Lang) => void }>({
  lang: 'en',
  t: translator('en'),
  setLang: () => {},
});

export const useI18n = () => useContext(I18n);
