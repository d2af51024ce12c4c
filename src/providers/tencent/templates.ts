/**
 * @module providers/tencent/templates
 * Tencent sends registered templates only: a template id and an ORDERED list of parameter values,
 * never free text. Our templates have named variables, so each needs a small spec saying which
 * Tencent template it is and which of its variables fill the numbered slots {1}, {2}, …:
 *
 *   spec     `1110123(name|time)`  id 1110123; {1} = data.name, {2} = data.time
 *            `1110456()`           a template without variables
 *            `1110123`             a bare id; the order then comes from the provider URL's mapping
 *   mapping  `templates=booking_reminder:1110123(name|time),otp:1110456(code|minutes)` in the URL
 *
 * The spec is looked up in `msg.template.providerTemplates.tencent` first, then in the provider
 * URL's mapping by template name. A variable may be a dotted path (`user.first_name`).
 */
import { ProviderError } from '../../core/provider-error.js';
import type { OutboundMessage } from '../../ports/provider.js';

export interface TemplateSpec {
  templateId: string;
  /** Our variable names in Tencent's slot order; null when the spec gave only an id. */
  params: string[] | null;
}

export interface TencentTemplate {
  templateId: string;
  paramSet: string[];
}

const SPEC = /^(\d{1,20})(?:\(([^()]*)\))?$/;
const VARIABLE = /^[A-Za-z_][\w-]*(?:\.[\w-]+)*$/;
const TEMPLATE_NAME = /^[a-z0-9][a-z0-9_.-]{0,99}$/i;

/** Parses `1110123(name|time)`; throws with a message that says what is wrong. */
export function parseTemplateSpec(text: string): TemplateSpec {
  const m = SPEC.exec(text.trim());
  if (!m?.[1]) throw new Error(`Tencent template "${text}" must look like 1110123(name|time) or 1110123`);
  if (m[2] === undefined) return { templateId: m[1], params: null };
  const params = m[2].trim() === '' ? [] : m[2].split('|').map((p) => p.trim());
  for (const p of params) {
    if (!VARIABLE.test(p)) throw new Error(`Tencent template "${text}": "${p}" is not a variable name`);
  }
  return { templateId: m[1], params };
}

/** Parses the URL's `templates=` value into template name → spec. */
export function parseTemplateMap(text: string | null): ReadonlyMap<string, TemplateSpec> {
  const map = new Map<string, TemplateSpec>();
  if (text === null || text.trim() === '') return map;
  for (const entry of text.split(',')) {
    const colon = entry.indexOf(':');
    const name = entry.slice(0, colon).trim();
    if (colon === -1 || !TEMPLATE_NAME.test(name)) {
      throw new Error(`Tencent templates: "${entry}" must be name:1110123(var|var)`);
    }
    if (map.has(name)) throw new Error(`Tencent templates: "${name}" is mapped twice`);
    map.set(name, parseTemplateSpec(entry.slice(colon + 1)));
  }
  return map;
}

/** Prints a mapping back in the syntax it was parsed from. */
export function formatTemplateMap(map: ReadonlyMap<string, TemplateSpec>): string {
  return [...map]
    .map(([name, s]) => `${name}:${s.templateId}${s.params === null ? '' : `(${s.params.join('|')})`}`)
    .join(',');
}

/**
 * The Tencent template and parameters for `msg`, or a `rejected_content` error: a message that
 * Tencent cannot carry as it is will not become sendable by retrying.
 */
export function tencentTemplateFor(msg: OutboundMessage, map: ReadonlyMap<string, TemplateSpec>): TencentTemplate {
  const ref = msg.template;
  if (!ref) throw notMapped('Tencent sends registered templates only, and this message has no template');
  const mapped = map.get(ref.name);
  let spec: TemplateSpec;
  const own = ref.providerTemplates.tencent;
  if (own !== undefined && own.trim() !== '') {
    try {
      spec = parseTemplateSpec(own);
    } catch (err) {
      throw notMapped(`template "${ref.name}": ${(err as Error).message}`, err);
    }
    if (spec.params === null && mapped?.templateId === spec.templateId) spec = mapped;
  } else if (mapped) {
    spec = mapped;
  } else {
    throw notMapped(`template "${ref.name}" has no Tencent template id (providerTemplates.tencent or templates=)`);
  }

  const order = spec.params ?? (Object.keys(ref.data).length === 0 ? [] : null);
  if (order === null) {
    throw notMapped(
      `template "${ref.name}" → Tencent ${spec.templateId}: the order of its variables is unknown; ` +
        `write it as ${spec.templateId}(var1|var2)`,
    );
  }
  const paramSet = order.map((name) => {
    const value = lookup(ref.data, name);
    if (value === undefined || value === null || typeof value === 'object') {
      throw new ProviderError(
        'rejected_content',
        `template "${ref.name}": Tencent ${spec.templateId} needs "${name}", which the message's data lacks`,
        { providerCode: 'template_param_missing' },
      );
    }
    return String(value);
  });
  return { templateId: spec.templateId, paramSet };
}

function lookup(data: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(data, path)) return data[path];
  let at: unknown = data;
  for (const key of path.split('.')) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

function notMapped(message: string, cause?: unknown): ProviderError {
  return new ProviderError('rejected_content', message, { providerCode: 'template_not_mapped', cause });
}
