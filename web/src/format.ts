/**
 * @module format
 * Numbers, money and times in the reader's language, through Intl, so 中文 readers see
 * 2026/11/24 14:30 and ¥0.05 and English readers see Nov 24, 2:30 PM and CN¥0.05.
 */
import type { Lang } from './i18n';
import type { Money } from './types';

const locale = (lang: Lang): string => (lang === 'zh' ? 'zh-CN' : 'en-US');

export function formatTime(iso: string | null, lang: Lang): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium', timeStyle: 'medium' }).format(d);
}

export function formatClock(ms: number, lang: Lang): string {
  return new Intl.DateTimeFormat(locale(lang), { hour: '2-digit', minute: '2-digit' }).format(new Date(ms));
}

export function formatMoney(money: Money | null, lang: Lang): string {
  if (!money) return '—';
  try {
    return new Intl.NumberFormat(locale(lang), {
      style: 'currency',
      currency: money.currency,
      maximumFractionDigits: 4,
    }).format(money.amount);
  } catch {
    return `${money.amount} ${money.currency}`;
  }
}

export function formatNumber(n: number, lang: Lang, digits = 0): string {
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits: digits }).format(n);
}

export function formatPercent(ratio: number | null, lang: Lang): string {
  if (ratio === null) return '—';
  return new Intl.NumberFormat(locale(lang), { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
}

export function formatMs(ms: number | null, lang: Lang): string {
  return ms === null ? '—' : `${formatNumber(ms, lang)} ms`;
}
