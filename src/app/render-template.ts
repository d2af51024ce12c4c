/**
 * @module app/render-template
 * Turns a template plus a caller's data into the text of one message: pick the variant from the
 * message id (so the choice is stable and needs no storage), pick the best locale, render with
 * strict variables. Renderer failures become caller errors with stable codes naming the variable.
 */
import { TidingsError } from '../core/errors.js';
import type { MessageTemplate } from '../core/message.js';
import { DEFAULT_LOCALE, bodiesFor, type TemplateVariant } from '../core/template.js';
import { pickLocale } from '../content/template-locale.js';
import { TemplateError, type TemplateRenderer } from '../content/template-renderer.js';
import { chooseVariant } from '../content/template-variants.js';
import type { ReadyTemplate } from './template-catalog.js';

export interface RenderRequest {
  messageId: string;
  data: Record<string, unknown>;
  locale: string | null;
  timezone: string | null;
  /** Preview only: render this variant instead of the one the id would pick. */
  variant?: string;
}

export interface RenderedMessage {
  body: string;
  template: MessageTemplate;
  /** Send-time experiments: how much later than requested this message goes out. */
  delayMs: number;
}

function pickVariant(ready: ReadyTemplate, req: RenderRequest): TemplateVariant | null {
  const variants = ready.def.variants;
  if (req.variant !== undefined) {
    const named = variants.find((v) => v.name === req.variant);
    if (!named) throw new TidingsError('validation_failed', `Template has no variant "${req.variant}".`, 'variant');
    return named;
  }
  return variants.length === 0 ? null : chooseVariant(variants, req.messageId);
}

export function renderTemplate(renderer: TemplateRenderer, ready: ReadyTemplate, req: RenderRequest): RenderedMessage {
  const variant = pickVariant(ready, req);
  const bodies = bodiesFor(ready.def, variant);
  const locale = pickLocale(Object.keys(bodies), req.locale) ?? DEFAULT_LOCALE;
  const compiled = ready.body(variant?.bodies ? variant.name : '', locale);
  let body: string;
  try {
    body = renderer.render(compiled, req.data, {
      locale: req.locale ?? (locale === DEFAULT_LOCALE ? null : locale),
      timezone: req.timezone,
    });
  } catch (err) {
    throw templateFailure(err);
  }
  return {
    body,
    template: {
      name: ready.def.name,
      version: ready.def.version,
      variant: variant?.name ?? null,
      locale,
      data: req.data,
    },
    delayMs: variant?.delayMs ?? 0,
  };
}

export function templateFailure(err: unknown): TidingsError {
  if (!(err instanceof TemplateError)) throw err;
  switch (err.code) {
    case 'template_variable_missing':
      return new TidingsError(
        'template_variable_missing',
        `The template needs "${err.variable ?? '?'}" in data.`,
        err.variable ? `data.${err.variable}` : 'data',
      );
    case 'template_too_long':
      return new TidingsError('body_too_long', err.message, 'data');
    case 'template_invalid':
      return new TidingsError('template_invalid', err.message, 'template');
    default:
      return new TidingsError('template_render_failed', err.message, 'data');
  }
}
