/**
 * What the deployment files must agree with, read from the code itself rather than restated: the
 * environment variables Tidings reads, the metrics it exports (with their labels), and its own
 * configuration loader. A renamed variable or metric then fails the deployment checks.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../../src/config/index.js';
import { createMetrics } from '../../../src/observability/metrics.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function readRepoFile(path: string): string {
  return readFileSync(ROOT + path, 'utf8');
}

/** Variables of the config schema (src/config/index.ts), their X_FILE forms for secrets, and Node's own. */
export function knownVariables(): Set<string> {
  const source = readRepoFile('src/config/index.ts');
  const schema = source.slice(
    source.indexOf('const EnvSchema'),
    source.indexOf('});', source.indexOf('const EnvSchema')),
  );
  const names = [...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1] ?? '');
  const secretsBlock = /const SECRETS = \[([\s\S]*?)\]/.exec(source)?.[1] ?? '';
  const secrets = [...secretsBlock.matchAll(/'([A-Z0-9_]+)'/g)].map((m) => `${m[1]}_FILE`);
  return new Set([...names, ...secrets, 'NODE_OPTIONS']);
}

/** The variables that hold credentials (config's SECRETS list): never in a ConfigMap or a compose file. */
export function secretVariables(): Set<string> {
  const block = /const SECRETS = \[([\s\S]*?)\]/.exec(readRepoFile('src/config/index.ts'))?.[1] ?? '';
  return new Set([...block.matchAll(/'([A-Z0-9_]+)'/g)].map((m) => m[1] ?? ''));
}

/** Tidings' own verdict on an environment: the error message, or null when it would start with it. */
export function configProblem(env: Record<string, string>): string | null {
  try {
    loadConfig(env);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Every metric a Tidings process exports at /metrics, with its label names (process metrics included). */
export function exportedMetrics(): Map<string, readonly string[]> {
  const { registry } = createMetrics();
  const out = new Map<string, readonly string[]>();
  for (const metric of registry.getMetricsAsArray()) {
    out.set(metric.name, (metric as unknown as { labelNames?: string[] }).labelNames ?? []);
  }
  registry.clear();
  return out;
}

/** A Tidings duration (`500ms`, `10s`, `5m`) in seconds, as the config parses it. */
export function durationSeconds(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  const factor = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[m[2] ?? 'ms'] ?? 0.001;
  return Number(m[1]) * factor;
}
