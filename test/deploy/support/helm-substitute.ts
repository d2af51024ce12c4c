/**
 * The offline stand-in for `helm template`, since neither helm nor a maintained npm renderer of Helm
 * charts is available here. It substitutes values into the value expressions of the chart's
 * templates and leaves control flow alone: every `if` block is kept, so the output is the chart with
 * every option switched on. Deployment files can then be parsed and validated like the plain
 * manifests. The chart is written to make that faithful: helpers take the root context only, and it
 * uses no else, range or with (refused here). Value expressions may use a small set of Sprig
 * functions, implemented below as Helm documents them; anything else is refused rather than guessed,
 * and so is any reference to a value that values.yaml does not define.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';

interface Text {
  type: 'text';
  value: string;
}
interface Action {
  type: 'action';
  body: string;
  trimLeft: boolean;
  trimRight: boolean;
}
type Token = Text | Action;

export interface Chart {
  dir: string;
  meta: Record<string, unknown>;
  /** Template files by name relative to templates/ (NOTES.txt and _helpers.tpl included). */
  files: Map<string, Token[]>;
}

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

const ACTION = /\{\{(-\s)?([\s\S]*?)(\s-)?\}\}/g;

/** Splits a template into text and actions, applying `{{-` and `-}}` whitespace trimming as Go does. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const m of source.matchAll(ACTION)) {
    tokens.push({ type: 'text', value: source.slice(last, m.index) });
    tokens.push({ type: 'action', body: (m[2] ?? '').trim(), trimLeft: Boolean(m[1]), trimRight: Boolean(m[3]) });
    last = (m.index ?? 0) + m[0].length;
  }
  tokens.push({ type: 'text', value: source.slice(last) });
  tokens.forEach((t, i) => {
    if (t.type !== 'action') return;
    const before = tokens[i - 1];
    const after = tokens[i + 1];
    if (t.trimLeft && before?.type === 'text') before.value = before.value.replace(/\s+$/, '');
    if (t.trimRight && after?.type === 'text') after.value = after.value.replace(/^\s+/, '');
  });
  return tokens;
}

export function loadChart(dir: string): Chart {
  const files = new Map<string, Token[]>();
  for (const name of readdirSync(join(dir, 'templates'))) {
    files.set(name, tokenize(readFileSync(join(dir, 'templates', name), 'utf8')));
  }
  return { dir, meta: YAML.parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as Record<string, unknown>, files };
}

const keyword = (body: string): string => /^([a-z]+)\b/.exec(body)?.[1] ?? '';
const OPENERS = new Set(['if', 'define', 'block', 'with', 'range']);
const UNSUPPORTED = new Set(['else', 'with', 'range', 'block', 'template', 'break', 'continue']);

/** Named templates (`define`) of every file, as token lists. */
function collectDefines(chart: Chart): Map<string, Token[]> {
  const defines = new Map<string, Token[]>();
  for (const [file, tokens] of chart.files) {
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t?.type !== 'action' || keyword(t.body) !== 'define') continue;
      const name = /^define\s+"([^"]+)"$/.exec(t.body)?.[1];
      if (!name) throw new TemplateError(`${file}: malformed define: ${t.body}`);
      const end = matchingEnd(tokens, i, file);
      defines.set(name, tokens.slice(i + 1, end));
      i = end;
    }
  }
  return defines;
}

function matchingEnd(tokens: Token[], open: number, file: string): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t?.type !== 'action' || t.body.startsWith('/*')) continue;
    const k = keyword(t.body);
    if (OPENERS.has(k)) depth++;
    if (k === 'end') depth--;
    if (depth === 0) return i;
  }
  throw new TemplateError(`${file}: block opened by {{ ${(tokens[open] as Action).body} }} has no end`);
}

/** Checks that every block of a file is closed and that it uses only what this check understands. */
function checkBlocks(file: string, tokens: Token[]): void {
  let depth = 0;
  for (const t of tokens) {
    if (t.type !== 'action' || t.body.startsWith('/*')) continue;
    const k = keyword(t.body);
    if (UNSUPPORTED.has(k))
      throw new TemplateError(`${file}: {{ ${k} }} is not used in this chart (see the module comment)`);
    if (OPENERS.has(k)) depth++;
    if (k === 'end' && --depth < 0) throw new TemplateError(`${file}: {{ end }} without a block`);
  }
  if (depth !== 0) throw new TemplateError(`${file}: ${depth} block(s) left open`);
}

interface Scope {
  chart: Chart;
  values: unknown;
  defines: Map<string, Token[]>;
  releaseName: string;
  namespace: string;
  /** Guards against a template that includes itself. */
  depth: number;
}

const ROOT_CONTEXT = Symbol('root context');

/** `.Values.a.b`, `$.Values.a.b`, `.Release.Name`, `.Chart.AppVersion`, `.Template.BasePath`, `.`, `$`. */
function resolvePath(path: string, scope: Scope): unknown {
  if (path === '.' || path === '$') return ROOT_CONTEXT;
  const parts = path.replace(/^\$/, '').split('.').slice(1);
  const [head, ...rest] = parts;
  const chartField = (field: string) => scope.chart.meta[field.charAt(0).toLowerCase() + field.slice(1)];
  if (head === 'Release' && rest.length === 1) {
    const release: Record<string, string> = { Name: scope.releaseName, Namespace: scope.namespace, Service: 'Helm' };
    if (rest[0] && rest[0] in release) return release[rest[0]];
  }
  if (head === 'Chart' && rest.length === 1 && rest[0] && chartField(rest[0]) !== undefined) return chartField(rest[0]);
  if (head === 'Template' && rest[0] === 'BasePath') return `${scope.chart.meta['name']}/templates`;
  if (head === 'Values') {
    let node: unknown = scope.values;
    for (const [i, key] of rest.entries()) {
      if (node === null || typeof node !== 'object' || !(key in node)) {
        throw new TemplateError(`.Values.${rest.slice(0, i + 1).join('.')} is not defined in values.yaml`);
      }
      node = (node as Record<string, unknown>)[key];
    }
    return node;
  }
  throw new TemplateError(`unknown reference ${path}`);
}

/** Splits on a separator outside quotes and parentheses. */
function splitTopLevel(text: string, separator: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '"' && text.charAt(i - 1) !== '\\') quoted = !quoted;
    if (!quoted && c === '(') depth++;
    if (!quoted && c === ')') depth--;
    if (!quoted && depth === 0 && separator.test(c)) {
      if (current.trim()) parts.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

const isEmpty = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  v === false ||
  v === 0 ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && Object.keys(v).length === 0);

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const indentBy = (n: number, s: string): string =>
  s
    .split('\n')
    .map((line) => ' '.repeat(n) + line)
    .join('\n');

/** Helm's toYaml: block style, no trailing newline. */
const toYaml = (v: unknown): string => YAML.stringify(v, { lineWidth: 0 }).replace(/\n$/, '');

type Fn = (scope: Scope, args: unknown[]) => unknown;

/** The Sprig and Helm functions the chart uses, with their argument order (piped value last). */
const FUNCTIONS: Record<string, Fn> = {
  default: (_s, [fallback, given]) => (isEmpty(given) ? fallback : given),
  ternary: (_s, [whenTrue, whenFalse, condition]) => (condition === true ? whenTrue : whenFalse),
  quote: (_s, [v]) => JSON.stringify(str(v)),
  trunc: (_s, [n, v]) => str(v).slice(0, Number(n)),
  trimSuffix: (_s, [suffix, v]) => (str(v).endsWith(str(suffix)) ? str(v).slice(0, -str(suffix).length) : str(v)),
  replace: (_s, [from, to, v]) => str(v).split(str(from)).join(str(to)),
  printf: (_s, [format, ...args]) => {
    let i = 0;
    return str(format).replace(/%[sdv]/g, () => str(args[i++]));
  },
  print: (_s, args) => args.map(str).join(''),
  required: (_s, [message, v]) => {
    if (isEmpty(v)) throw new TemplateError(`required: ${str(message)}`);
    return v;
  },
  toYaml: (_s, [v]) => toYaml(v),
  nindent: (_s, [n, v]) => '\n' + indentBy(Number(n), str(v)),
  indent: (_s, [n, v]) => indentBy(Number(n), str(v)),
  sha256sum: (_s, [v]) => createHash('sha256').update(str(v)).digest('hex'),
  include: (scope, [name, context]) => {
    if (context !== ROOT_CONTEXT) throw new TemplateError(`include "${str(name)}" must be given the root context (.)`);
    const file = str(name).replace(`${scope.chart.meta['name']}/templates/`, '');
    const tokens = scope.defines.get(str(name)) ?? scope.chart.files.get(file);
    if (!tokens) throw new TemplateError(`include "${str(name)}": no such template`);
    if (scope.depth > 20) throw new TemplateError(`include "${str(name)}": includes itself`);
    return renderTokens(tokens, { ...scope, depth: scope.depth + 1 }, str(name));
  },
};

/** Conditions are not evaluated, but what they refer to must exist. */
const CONDITION_FUNCTIONS = new Set(['not', 'and', 'or', 'eq', 'ne']);

function evaluateTerm(term: string, scope: Scope): unknown {
  if (term.startsWith('"')) return JSON.parse(term) as string;
  if (/^-?\d+(\.\d+)?$/.test(term)) return Number(term);
  if (term === 'true' || term === 'false') return term === 'true';
  if (term.startsWith('(') && term.endsWith(')')) return evaluatePipeline(term.slice(1, -1), scope);
  if (term.startsWith('.') || term.startsWith('$')) return resolvePath(term, scope);
  throw new TemplateError(`cannot read "${term}"`);
}

function evaluatePipeline(expression: string, scope: Scope): unknown {
  let piped: unknown[] = [];
  for (const command of splitTopLevel(expression, /\|/)) {
    const [head = '', ...rest] = splitTopLevel(command, /\s/);
    if (/^[a-zA-Z]\w*$/.test(head) && !['true', 'false'].includes(head)) {
      const fn = FUNCTIONS[head];
      if (!fn) throw new TemplateError(`function ${head} is not one this check implements`);
      piped = [fn(scope, [...rest.map((a) => evaluateTerm(a, scope)), ...piped])];
    } else {
      if (rest.length > 0 || piped.length > 0) throw new TemplateError(`cannot evaluate "${command}"`);
      piped = [evaluateTerm(head, scope)];
    }
  }
  return piped[0];
}

/** Resolves every reference in a condition (`if not .Values.x`) without deciding it. */
function checkCondition(condition: string, scope: Scope): void {
  for (const term of splitTopLevel(condition.replace(/[()]/g, ' '), /\s/)) {
    if (CONDITION_FUNCTIONS.has(term)) continue;
    evaluateTerm(term, scope);
  }
}

function renderTokens(tokens: Token[], scope: Scope, where: string): string {
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) continue;
    if (t.type === 'text') {
      out += t.value;
      continue;
    }
    if (t.body.startsWith('/*')) continue;
    const k = keyword(t.body);
    try {
      if (k === 'define') i = matchingEnd(tokens, i, where);
      else if (k === 'if') checkCondition(t.body.slice(2), scope);
      else if (k !== 'end') {
        const value = evaluatePipeline(t.body, scope);
        if (value === ROOT_CONTEXT) throw new TemplateError('the root context cannot be printed');
        out += str(value);
      }
    } catch (err) {
      if (err instanceof TemplateError && !err.message.startsWith(where)) {
        throw new TemplateError(`${where}: {{ ${t.body} }}: ${err.message}`);
      }
      throw err;
    }
  }
  return out;
}

/** Every template file of the chart with the values substituted and every `if` block kept. */
export function substituteValues(
  chart: Chart,
  values: unknown,
  release = { name: 'tidings', namespace: 'tidings' },
): Map<string, string> {
  for (const [file, tokens] of chart.files) checkBlocks(file, tokens);
  const scope: Scope = {
    chart,
    values,
    defines: collectDefines(chart),
    releaseName: release.name,
    namespace: release.namespace,
    depth: 0,
  };
  const out = new Map<string, string>();
  for (const [file, tokens] of chart.files) {
    if (file.startsWith('_')) continue;
    out.set(file, renderTokens(tokens, scope, file));
  }
  return out;
}
