/**
 * The Prometheus alert rules: loaded by the Prometheus config the compose file mounts, well formed,
 * and querying only metrics Tidings exports, by labels they have.
 */
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { exportedMetrics, readRepoFile } from './support/tidings-facts.js';

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const rules = (
  YAML.parse(readRepoFile('deploy/prometheus/alerts.yml')) as { groups: { rules: Rule[] }[] }
).groups.flatMap((g) => g.rules);

describe('Prometheus alert rules (deploy/prometheus/alerts.yml)', () => {
  it('are loaded by prometheus.yml from the path the compose file mounts them at', () => {
    const config = YAML.parse(readRepoFile('deploy/prometheus/prometheus.yml')) as { rule_files: string[] };
    expect(config.rule_files).toContain('/etc/prometheus/alerts.yml');
    expect(readRepoFile('deploy/compose.yaml')).toContain('./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro');
  });

  it('cover failure rate, delivery, queue age, circuits and spend, each with a severity and a summary', () => {
    const exprs = rules.map((r) => r.expr).join('\n');
    for (const metric of [
      'tidings_messages_failed_total',
      'tidings_message_status_total',
      'tidings_queue_oldest_age_seconds',
      'tidings_queue_depth',
      'tidings_provider_circuit_state',
      'tidings_spend_today',
    ]) {
      expect(exprs).toContain(metric);
    }
    for (const r of rules) {
      expect(r.alert).toMatch(/^Tidings[A-Z]\w+$/);
      expect(['page', 'ticket']).toContain(r.labels?.['severity']);
      expect(r.annotations?.['summary'], r.alert).toBeTruthy();
      if (r.for !== undefined) expect(r.for).toMatch(/^\d+[smh]$/);
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  it('query only metrics Tidings exports, by labels they have', () => {
    const metrics = exportedMetrics();
    const problems: string[] = [];
    for (const r of rules) {
      const names = [...r.expr.matchAll(/\b(tidings_[a-z_]+)\b/g)].map((m) => m[1] ?? '');
      const labels = new Set(['job', 'instance']);
      for (const name of names) {
        const own = metrics.get(name);
        if (!own) problems.push(`${r.alert}: ${name} is not exported`);
        own?.forEach((l) => labels.add(l));
      }
      const used = [
        ...[...r.expr.matchAll(/by \(([^)]*)\)/g)].flatMap((m) => (m[1] ?? '').split(',').map((s) => s.trim())),
        ...[...r.expr.matchAll(/([a-z_]+)\s*!?=~?\s*"/g)].map((m) => m[1] ?? ''),
        ...[
          ...Object.values(r.annotations ?? {})
            .join(' ')
            .matchAll(/\$labels\.(\w+)/g),
        ].map((m) => m[1] ?? ''),
      ];
      for (const label of used) if (!labels.has(label)) problems.push(`${r.alert}: no label ${label} on ${names}`);
    }
    expect(problems).toEqual([]);
  });
});
