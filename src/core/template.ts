/**
 * @module core/template
 * A template as the domain sees it: named, versioned, one body per locale, optional weighted
 * variants for experiments, and the ids under which template-only carriers (Aliyun, Tencent) have
 * it registered. A new definition never overwrites an old one: each save is the next version, and
 * a message records the version it was rendered from, so old sends stay explainable.
 */
import type { Purpose } from './message.js';

/** The locale key every template must have: what is sent when no better locale matches. */
export const DEFAULT_LOCALE = 'default';

export interface TemplateVariant {
  name: string;
  /** Relative share of traffic; 0 switches a variant off without deleting it. */
  weight: number;
  /** This variant's copy, per locale. Absent: the template's own bodies (a send-time-only variant). */
  bodies: Record<string, string> | null;
  /** Send-time experiment: how long after the requested time this variant goes out. */
  delayMs: number;
}

export interface TemplateContent {
  /** Locale (BCP 47, or `default`) → Liquid source. */
  bodies: Record<string, string>;
  variants: TemplateVariant[];
  /** Provider kind (`aliyun`, `tencent`) → that provider's registered template id. */
  providerTemplates: Record<string, string>;
  /**
   * Replies this template asks for, by intent: `{ "confirm": ["1", "Y", "确认"], "cancel": ["2", "N"] }`.
   * A reply that matches is recorded on the message as that intent.
   */
  replies: Record<string, string[]>;
  /** The purpose messages from this template get unless the request names one. */
  purpose: Purpose | null;
  description: string | null;
  /** Rewrite URLs to tracked short links unless a request says otherwise (absent in older versions). */
  trackLinks?: boolean;
}

export interface TemplateDefinition extends TemplateContent {
  name: string;
  version: number;
  createdAt: number;
}

/** Template names appear in URLs and logs: keep them plain. */
export const TEMPLATE_NAME = /^[a-z0-9][a-z0-9_.-]{0,99}$/i;

/** The bodies a message uses: the variant's copy if it has its own, else the template's. */
export function bodiesFor(t: TemplateContent, variant: TemplateVariant | null): Record<string, string> {
  return variant?.bodies ?? t.bodies;
}
