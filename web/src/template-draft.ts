/**
 * @module template-draft
 * A template as the editor holds it (rows the reader can add and remove) and the conversion to
 * and from the API's shape. What the editor does not show (provider template ids, reply intents,
 * a variant's per-locale bodies) is carried through untouched, because saving replaces the whole
 * template: an edit of the body must not drop them.
 */
import type { Template, Variant } from './types';

export interface DraftVariant {
  name: string;
  weight: string;
  body: string;
  delay: string;
  locales: Record<string, string>;
}

export interface TemplateDraft {
  body: string;
  locales: { tag: string; body: string }[];
  variants: DraftVariant[];
  description: string;
  purpose: string;
  providerTemplates: Record<string, string>;
  replies: Record<string, string[]>;
}

export const EMPTY_DRAFT: TemplateDraft = {
  body: '',
  locales: [],
  variants: [],
  description: '',
  purpose: '',
  providerTemplates: {},
  replies: {},
};

export function draftOf(t: Template): TemplateDraft {
  return {
    body: t.body,
    locales: Object.entries(t.locales).map(([tag, body]) => ({ tag, body })),
    variants: t.variants.map((v) => ({
      name: v.name,
      weight: String(v.weight),
      body: v.body ?? '',
      delay: v.delay ?? '',
      locales: v.locales ?? {},
    })),
    description: t.description ?? '',
    purpose: t.purpose ?? '',
    providerTemplates: t.providerTemplates,
    replies: t.replies,
  };
}

/** The body of PUT /v1/templates/{name} (and of a draft preview). */
export function templateInput(d: TemplateDraft): Record<string, unknown> {
  const locales = Object.fromEntries(
    d.locales.filter((l) => l.tag.trim() && l.body).map((l) => [l.tag.trim(), l.body]),
  );
  const variants: Variant[] = d.variants.map((v) => ({
    name: v.name.trim(),
    weight: Number(v.weight),
    ...(v.body ? { body: v.body } : {}),
    ...(v.body && Object.keys(v.locales).length > 0 ? { locales: v.locales } : {}),
    ...(v.delay.trim() ? { delay: v.delay.trim() } : {}),
  }));
  return {
    body: d.body,
    ...(Object.keys(locales).length > 0 ? { locales } : {}),
    ...(variants.length > 0 ? { variants } : {}),
    ...(Object.keys(d.providerTemplates).length > 0 ? { providerTemplates: d.providerTemplates } : {}),
    ...(Object.keys(d.replies).length > 0 ? { replies: d.replies } : {}),
    ...(d.purpose ? { purpose: d.purpose } : {}),
    ...(d.description.trim() ? { description: d.description.trim() } : {}),
  };
}

/** Each variant's share of traffic, as the API weighs them (weight over the sum of weights). */
export function variantShares(variants: readonly { weight: string }[]): number[] {
  const weights = variants.map((v) => {
    const w = Number(v.weight);
    return Number.isFinite(w) && w > 0 ? w : 0;
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (sum === 0 ? 0 : w / sum));
}
