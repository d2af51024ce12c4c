/**
 * @module app/manage-templates
 * Saving, reading and retiring templates. Every body is parsed before anything is stored, so a
 * template that cannot render never becomes current; errors name the locale or variant at fault.
 */
import { TidingsError } from '../core/errors.js';
import { foldReply } from '../core/keywords.js';
import type { Purpose } from '../core/message.js';
import {
  DEFAULT_LOCALE,
  TEMPLATE_NAME,
  type TemplateContent,
  type TemplateDefinition,
  type TemplateVariant,
} from '../core/template.js';
import { TemplateError } from '../content/template-renderer.js';
import { validateVariants } from '../content/template-variants.js';
import type { AppDeps } from './deps.js';
import { parseDelay } from './duration.js';

/** A template as callers write it (see http/schemas TemplateInputSchema). */
export interface TemplateInput {
  body?: string;
  locales?: Record<string, string>;
  variants?: { name: string; weight: number; body?: string; locales?: Record<string, string>; delay?: string }[];
  providerTemplates?: Record<string, string>;
  replies?: Record<string, string[]>;
  purpose?: Purpose;
  description?: string;
  trackLinks?: boolean;
}

export interface TemplateView {
  name: string;
  version: number;
  body: string;
  locales: Record<string, string>;
  variants: { name: string; weight: number; body?: string; locales?: Record<string, string>; delay?: string }[];
  providerTemplates: Record<string, string>;
  replies: Record<string, string[]>;
  purpose: Purpose | null;
  description: string | null;
  trackLinks: boolean;
  variables: string[];
  createdAt: string;
}

export function checkTemplateName(name: string): void {
  if (!TEMPLATE_NAME.test(name)) {
    throw new TidingsError(
      'validation_failed',
      'A template name is 1–100 letters, digits, "_", "-" or ".", starting with a letter or digit.',
      'name',
    );
  }
}

/** `zh-cn` → `zh-CN`; refuses what is not a BCP 47 tag. */
function canonicalLocale(tag: string, field: string): string {
  if (tag === DEFAULT_LOCALE) return tag;
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    if (canonical) return canonical;
  } catch {
    // fall through to the error below
  }
  throw new TidingsError('validation_failed', `"${tag}" is not a BCP 47 language tag (e.g. en, zh-CN).`, field);
}

function bodiesOf(
  deps: AppDeps,
  body: string | undefined,
  locales: Record<string, string> | undefined,
  field: string,
): Record<string, string> | null {
  if (body === undefined && locales === undefined) return null;
  const out: Record<string, string> = {};
  if (body !== undefined) out[DEFAULT_LOCALE] = body;
  for (const [tag, text] of Object.entries(locales ?? {})) out[canonicalLocale(tag, `${field}locales`)] = text;
  if (out[DEFAULT_LOCALE] === undefined) {
    throw new TidingsError('validation_failed', 'Give `body`: the text sent when no locale matches.', `${field}body`);
  }
  for (const [locale, source] of Object.entries(out)) {
    const where = locale === DEFAULT_LOCALE ? `${field}body` : `${field}locales.${locale}`;
    try {
      deps.renderer.compile(source);
    } catch (err) {
      if (err instanceof TemplateError) throw new TidingsError('template_invalid', err.message, where);
      throw err;
    }
  }
  return out;
}

export function toTemplateContent(deps: AppDeps, input: TemplateInput): TemplateContent {
  const bodies = bodiesOf(deps, input.body, input.locales, '');
  if (!bodies) throw new TidingsError('validation_failed', 'A template needs a body.', 'body');
  const variants: TemplateVariant[] = (input.variants ?? []).map((v, i) => ({
    name: v.name,
    weight: v.weight,
    bodies: bodiesOf(deps, v.body, v.locales, `variants.${i}.`),
    delayMs: v.delay === undefined ? 0 : parseDelay(v.delay, `variants.${i}.delay`),
  }));
  if (variants.length > 0) {
    try {
      validateVariants(variants);
    } catch (err) {
      throw new TidingsError('validation_failed', err instanceof Error ? err.message : String(err), 'variants');
    }
  }
  return {
    bodies,
    variants,
    providerTemplates: input.providerTemplates ?? {},
    replies: checkReplies(input.replies ?? {}),
    purpose: input.purpose ?? null,
    description: input.description ?? null,
    ...(input.trackLinks !== undefined ? { trackLinks: input.trackLinks } : {}),
  };
}

/** One reply may mean one intent only: "1" cannot both confirm and cancel. */
function checkReplies(replies: Record<string, string[]>): Record<string, string[]> {
  const owner = new Map<string, string>();
  for (const [intent, words] of Object.entries(replies)) {
    for (const word of words) {
      const folded = foldReply(word);
      if (folded === '')
        throw new TidingsError('validation_failed', `Intent "${intent}" has an empty reply.`, `replies.${intent}`);
      const other = owner.get(folded);
      if (other !== undefined && other !== intent) {
        throw new TidingsError(
          'validation_failed',
          `"${word}" is listed for both "${other}" and "${intent}".`,
          `replies.${intent}`,
        );
      }
      owner.set(folded, intent);
    }
  }
  return replies;
}

export async function saveTemplate(deps: AppDeps, name: string, input: TemplateInput): Promise<TemplateView> {
  checkTemplateName(name);
  const content = toTemplateContent(deps, input);
  const def = await deps.templateStore.save(name, content, deps.clock.now());
  deps.templates.forget(name);
  return toTemplateView(deps, def);
}

export async function getTemplate(deps: AppDeps, name: string, version?: number): Promise<TemplateView> {
  const def =
    version === undefined ? await deps.templateStore.current(name) : await deps.templateStore.version(name, version);
  if (!def) throw new TidingsError('not_found', `No template "${name}"${version ? ` version ${version}` : ''}.`);
  return toTemplateView(deps, def);
}

export async function deleteTemplate(deps: AppDeps, name: string): Promise<void> {
  const removed = await deps.templateStore.remove(name, deps.clock.now());
  deps.templates.forget(name);
  if (!removed) throw new TidingsError('not_found', `No template "${name}".`);
}

const formatDelay = (ms: number): string | undefined =>
  ms === 0
    ? undefined
    : ms % 3_600_000 === 0
      ? `${ms / 3_600_000}h`
      : ms % 60_000 === 0
        ? `${ms / 60_000}m`
        : `${ms / 1000}s`;

function splitBodies(bodies: Record<string, string>): { body: string; locales: Record<string, string> } {
  const { [DEFAULT_LOCALE]: body = '', ...locales } = bodies;
  return { body, locales };
}

export function toTemplateView(deps: AppDeps, def: TemplateDefinition): TemplateView {
  const variables = new Set<string>();
  for (const source of [def.bodies, ...def.variants.map((v) => v.bodies ?? {})].flatMap((b) => Object.values(b))) {
    for (const v of deps.renderer.variables(deps.renderer.compile(source))) variables.add(v);
  }
  return {
    name: def.name,
    version: def.version,
    ...splitBodies(def.bodies),
    variants: def.variants.map((v) => {
      const delay = formatDelay(v.delayMs);
      return {
        name: v.name,
        weight: v.weight,
        ...(v.bodies ? splitBodies(v.bodies) : {}),
        ...(delay ? { delay } : {}),
      };
    }),
    providerTemplates: def.providerTemplates,
    // Versions saved before reply intents existed have none.
    replies: def.replies ?? {},
    purpose: def.purpose,
    description: def.description,
    trackLinks: def.trackLinks ?? false,
    variables: [...variables].sort(),
    createdAt: new Date(def.createdAt).toISOString(),
  };
}
