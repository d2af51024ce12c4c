/**
 * @module providers/aliyun/templates
 * Aliyun sends registered templates only: a TemplateCode (`SMS_123`) and a TemplateParam JSON
 * object whose named values fill the template's `${name}` slots, never free text. The code comes
 * from `msg.template.providerTemplates.aliyun` first, then from the provider URL's mapping
 * `templates=booking_reminder:SMS_123,otp:SMS_456` by our template's name.
 */
import { ProviderError } from '../../core/provider-error.js';
import type { OutboundMessage } from '../../ports/provider.js';

export interface AliyunTemplate {
  templateCode: string;
  /** The JSON text of TemplateParam, or null when the template has no data. */
  templateParam: string | null;
}

const TEMPLATE_CODE = /^SMS_\d{1,20}$/;
const TEMPLATE_NAME = /^[a-z0-9][a-z0-9_.-]{0,99}$/i;

/** Parses the URL's `templates=` value into template name → TemplateCode. */
export function parseTemplateMap(text: string | null): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  if (text === null || text.trim() === '') return map;
  for (const entry of text.split(',')) {
    const colon = entry.indexOf(':');
    const name = entry.slice(0, colon).trim();
    const code = entry.slice(colon + 1).trim();
    if (colon === -1 || !TEMPLATE_NAME.test(name) || !TEMPLATE_CODE.test(code)) {
      throw new Error(`Aliyun templates: "${entry}" must be name:SMS_123`);
    }
    if (map.has(name)) throw new Error(`Aliyun templates: "${name}" is mapped twice`);
    map.set(name, code);
  }
  return map;
}

export function formatTemplateMap(map: ReadonlyMap<string, string>): string {
  return [...map].map(([name, code]) => `${name}:${code}`).join(',');
}

/**
 * The Aliyun template and its parameters for `msg`, or a `rejected_content` error: a message Aliyun
 * cannot carry as it is will not become sendable by retrying.
 */
export function aliyunTemplateFor(msg: OutboundMessage, map: ReadonlyMap<string, string>): AliyunTemplate {
  const ref = msg.template;
  if (!ref) {
    throw notMapped(
      'Aliyun sends registered templates only, and this message has no template: send it from a template ' +
        'mapped to an Aliyun TemplateCode (providerTemplates.aliyun, or templates=name:SMS_123 in the provider URL)',
    );
  }
  const own = ref.providerTemplates.aliyun?.trim();
  const code = own || map.get(ref.name);
  if (code === undefined) {
    throw notMapped(
      `template "${ref.name}" has no Aliyun TemplateCode: set providerTemplates.aliyun on the template, ` +
        `or add ${ref.name}:SMS_123 to templates= in the aliyun:// provider URL`,
    );
  }
  if (!TEMPLATE_CODE.test(code)) {
    throw notMapped(`template "${ref.name}": "${code}" is not an Aliyun TemplateCode (SMS_ followed by digits)`);
  }
  return { templateCode: code, templateParam: templateParamOf(ref.data) };
}

/**
 * TemplateParam takes string values only (`isv.INVALID_JSON_PARAM` otherwise, providers.md §3.1).
 * Aliyun's `${name}` slots are flat, so objects and arrays in our data cannot fill one and are
 * left out; if the template needed one, Aliyun answers `isv.TEMPLATE_MISSING_PARAMETERS`.
 */
function templateParamOf(data: Record<string, unknown>): string | null {
  const params: Record<string, string> = {};
  let any = false;
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      params[key] = String(value);
      any = true;
    } else if (typeof value === 'bigint') {
      params[key] = value.toString();
      any = true;
    }
  }
  return any ? JSON.stringify(params) : null;
}

function notMapped(message: string): ProviderError {
  return new ProviderError('rejected_content', message, { providerCode: 'template_not_mapped' });
}
