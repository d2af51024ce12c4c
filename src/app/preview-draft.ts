/**
 * @module app/preview-draft
 * Live preview while an operator writes: the plain text of a one-off message, or a template that
 * is not saved yet, rendered and measured the way a send would be (encoding, segments, banned
 * term, cost) with nothing stored. A half-written template usually lacks data for the variable
 * just typed, so the caller may ask for "[name]" stand-ins instead of an error.
 */
import { TidingsError } from '../core/errors.js';
import type { Purpose } from '../core/message.js';
import type { TemplateDefinition } from '../core/template.js';
import type { AppDeps } from './deps.js';
import { checkLocaleAndZone } from './accept-message.js';
import { toTemplateContent, toTemplateView, type TemplateInput } from './manage-templates.js';
import { describeText, type TextPreview } from './preview-template.js';
import { renderTemplate } from './render-template.js';
import { prepareTemplate } from './template-catalog.js';

export interface DraftPreviewRequest {
  /** A message body, used as is (no Liquid), as `POST /v1/messages` with `body` would. */
  text?: string;
  /** A template as `PUT /v1/templates/{name}` takes it. */
  template?: TemplateInput;
  data?: Record<string, unknown>;
  /** Render variables missing from `data` as "[name]" and list them in `sampled`. */
  sampleMissing?: boolean;
  locale?: string;
  to?: string;
  variant?: string;
  purpose?: Purpose;
  recipient?: { timezone?: string };
}

export interface DraftPreviewView extends TextPreview {
  variant: string | null;
  locale: string | null;
  /** The template's variables (none for plain text). */
  variables: string[];
  /** Variables rendered with a stand-in because `data` had no value. */
  sampled: string[];
}

export function previewDraft(deps: AppDeps, req: DraftPreviewRequest): DraftPreviewView {
  if ((req.text === undefined) === (req.template === undefined)) {
    throw new TidingsError('validation_failed', 'Give either `text` or `template`.', 'text');
  }
  checkLocaleAndZone(req);
  if (req.text !== undefined) {
    const purpose = req.purpose ?? 'transactional';
    return {
      variant: null,
      locale: null,
      variables: [],
      sampled: [],
      ...describeText(deps, req.text, { to: req.to, purpose }),
    };
  }
  const def: TemplateDefinition = {
    ...toTemplateContent(deps, req.template ?? {}),
    name: 'draft',
    version: 0,
    createdAt: deps.clock.now(),
  };
  const variables = toTemplateView(deps, def).variables;
  const data: Record<string, unknown> = { ...req.data };
  const sampled: string[] = [];
  if (req.sampleMissing) {
    for (const name of variables) {
      if (Object.hasOwn(data, name)) continue;
      data[name] = `[${name}]`;
      sampled.push(name);
    }
  }
  const rendered = renderTemplate(deps.renderer, prepareTemplate(def, deps.renderer), {
    messageId: `preview_${deps.ids.message()}`,
    data,
    locale: req.locale ?? null,
    timezone: req.recipient?.timezone ?? deps.settings.defaultTimezone,
    ...(req.variant !== undefined ? { variant: req.variant } : {}),
  });
  return {
    variant: rendered.template.variant,
    locale: rendered.template.locale,
    variables,
    sampled,
    ...describeText(deps, rendered.body, { to: req.to, purpose: req.purpose ?? def.purpose ?? 'transactional' }),
  };
}
