/**
 * @module app/preview-template
 * What a message from this template would look like, before anyone is texted: the text, its
 * encoding and segments, the characters that force UCS-2 (the usual surprise on a bill), what
 * smart encoding would save, any banned term, and the estimated cost.
 */
import { TidingsError } from '../core/errors.js';
import type { Purpose } from '../core/message.js';
import { estimateCost, type Money } from '../core/pricing.js';
import { chooseProvider } from '../core/routing.js';
import { countryOf, normalizeRecipient } from '../content/phone.js';
import { measure } from '../content/segments.js';
import { toGsmLookalikes, ucs2Characters } from '../content/smart-encoding.js';
import type { AppDeps } from './deps.js';
import { checkLocaleAndZone } from './accept-message.js';
import { renderTemplate } from './render-template.js';

export interface PreviewRequest {
  data?: Record<string, unknown>;
  locale?: string;
  /** A number to price the message for; without one, the price outside any listed country. */
  to?: string;
  variant?: string;
  version?: number;
  purpose?: Purpose;
  recipient?: { timezone?: string };
}

/** What a text would cost and look like on the wire, whatever produced it (a template or a draft). */
export interface TextPreview {
  text: string;
  characters: number;
  encoding: string;
  segments: number;
  ucs2Characters: string[];
  smartEncoding: { text: string; encoding: string; segments: number; segmentsSaved: number } | null;
  bannedTerm: string | null;
  cost: (Money & { provider: string }) | null;
}

export interface PreviewView extends TextPreview {
  template: string;
  version: number;
  variant: string | null;
  locale: string;
}

export async function previewTemplate(deps: AppDeps, name: string, req: PreviewRequest): Promise<PreviewView> {
  checkLocaleAndZone(req);
  const ready =
    req.version === undefined ? await deps.templates.current(name) : await deps.templates.version(name, req.version);
  if (!ready) throw new TidingsError('not_found', `No template "${name}".`);
  const rendered = renderTemplate(deps.renderer, ready, {
    messageId: `preview_${deps.ids.message()}`,
    data: req.data ?? {},
    locale: req.locale ?? null,
    timezone: req.recipient?.timezone ?? deps.settings.defaultTimezone,
    ...(req.variant !== undefined ? { variant: req.variant } : {}),
  });
  return {
    template: ready.def.name,
    version: ready.def.version,
    variant: rendered.template.variant,
    locale: rendered.template.locale,
    ...describeText(deps, rendered.body, { to: req.to, purpose: req.purpose ?? ready.def.purpose ?? 'transactional' }),
  };
}

/** Encoding, segments, smart-encoding savings, banned term and the price on the first SMS provider. */
export function describeText(
  deps: AppDeps,
  text: string,
  opts: { to: string | undefined; purpose: Purpose },
): TextPreview {
  const size = measure(text);
  const smart = toGsmLookalikes(text);
  const to =
    opts.to === undefined
      ? null
      : normalizeRecipient(opts.to, {
          defaultRegion: deps.settings.defaultRegion as Parameters<typeof normalizeRecipient>[1]['defaultRegion'],
          channel: 'sms',
        }).e164;
  const provider = chooseProvider(deps.providers, 'sms');
  const segmentsToPay = smart.text !== text && deps.settings.smartEncoding ? smart.segmentsAfter : size.segments;
  const cost = provider
    ? estimateCost(deps.settings.prices, provider.kind, to === null ? null : countryOf(to), segmentsToPay)
    : null;
  return {
    text,
    characters: [...text].length,
    encoding: size.encoding,
    segments: size.segments,
    ucs2Characters: ucs2Characters(text),
    smartEncoding:
      smart.text === text
        ? null
        : {
            text: smart.text,
            encoding: smart.encodingAfter,
            segments: smart.segmentsAfter,
            segmentsSaved: smart.segmentsBefore - smart.segmentsAfter,
          },
    bannedTerm: deps.contentFilter.find(text, opts.purpose),
    cost: cost && provider ? { ...cost, provider: provider.kind } : null,
  };
}
