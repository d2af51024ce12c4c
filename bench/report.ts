/**
 * @module bench/report
 * Turns the scenarios' results into the printed table (with the accept/ceiling ratio, the targets
 * and the checks) and into bench/results/latest.json, together with the machine they ran on:
 * figures only mean something as ratios within one run on one machine.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { BenchOptions, ScenarioName } from './options.js';
import { paths } from './lib/paths.js';
import type { ScaledReport } from './scenarios/scaled.js';
import type { ScenarioResult } from './scenarios/types.js';
import type { TargetVerdict } from './targets.js';

export interface RunReport {
  runId: string;
  startedAt: string;
  finishedAt: string;
  machine: { nproc: number; cpu: string; memoryMB: number; node: string; platform: string; loadAtStart: number };
  /** The code measured: commit, and whether src/ had uncommitted changes (dist/ is built from the work tree). */
  source: { commit: string; srcChanged: boolean } | null;
  options: BenchOptions;
  env: Record<string, string>;
  results: ScenarioResult[];
  failures: { scenario: ScenarioName; error: string }[];
  targets: TargetVerdict[];
  /** With --scaled: the same scenarios against one API and 1, then 2 worker processes. */
  scaled?: ScaledReport;
}

export function machine(): RunReport['machine'] {
  return {
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryMB: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAtStart: loadavg()[0] ?? 0,
  };
}

export function source(): RunReport['source'] {
  try {
    const git = (...args: string[]) => execFileSync('git', ['-C', paths.root, ...args], { encoding: 'utf8' }).trim();
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      srcChanged: git('status', '--porcelain', '--', 'src') !== '',
    };
  } catch {
    return null; // not a git checkout
  }
}

const int = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const ms = (n: number): string => (!Number.isFinite(n) ? '-' : n < 10 ? n.toFixed(1) : int(n));
const cores = (c: number | null | undefined): string => (c === null || c === undefined ? '-' : c.toFixed(2));
const mb = (bytes: number | null): string => (bytes === null ? 'n/a' : `${int(bytes / 1024 / 1024)} MB`);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function renderReport(report: RunReport): string {
  const byName = new Map(report.results.map((r) => [r.name, r]));
  const ceiling = byName.get('ceiling')?.throughput?.value;
  const rows = report.results.map((r) => {
    const notes = [...r.notes];
    if (r.name === 'accept' && r.throughput && ceiling) {
      notes.unshift(`${((r.throughput.value / ceiling) * 100).toFixed(1)}% of ceiling`);
    }
    return [
      r.title,
      r.throughput ? `${int(r.throughput.value)} ${r.throughput.unit}` : '-',
      r.latency ? ms(r.latency.p50) : '-',
      r.latency ? ms(r.latency.p99) : '-',
      r.latency ? ms(r.latency.max) : '-',
      r.errors,
      mb(r.peakRssBytes),
      `${cores(r.cores['server'])}/${cores(r.cores['load'])}`,
      notes.join('; '),
    ];
  });
  const m = report.machine;
  const out = [
    '',
    `Tidings benchmark ${report.runId} — ${m.nproc} CPU (${m.cpu}), ${int(m.memoryMB)} MB, node ${m.node}` +
      (report.source
        ? ` — commit ${report.source.commit}${report.source.srcChanged ? ' + uncommitted src/' : ''}`
        : '') +
      (report.options.quick ? ' — QUICK (smoke run, figures are rough)' : ''),
    ...(m.loadAtStart > 0.5
      ? [`note: load average ${m.loadAtStart.toFixed(2)} at start; other work on this machine makes the figures noisy`]
      : []),
    ...(Object.keys(report.env).length > 0 ? [`environment: ${JSON.stringify(report.env)}`] : []),
  ];
  if (rows.length > 0) {
    out.push(
      '',
      table(
        ['scenario', 'throughput', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'peak RSS', 'cores srv/load', 'notes'],
        rows,
      ),
    );
  }
  if (report.targets.length > 0) {
    out.push('', 'Targets (issue #3; informative, never a failure):');
    for (const t of report.targets) out.push(`  ${t.met ? '[met]    ' : '[not met]'} ${t.target}: ${t.actual}`);
  }
  const checks = [...report.results, ...(report.scaled?.rows ?? [])].flatMap((r) => r.checks);
  if (checks.length > 0) {
    out.push('', 'Checks:');
    for (const c of checks) out.push(`  ${c.ok ? '[ok]  ' : '[FAIL]'} ${c.name}: ${c.detail}`);
  }
  for (const f of report.failures) out.push('', `Scenario ${f.scenario} FAILED: ${f.error}`);
  if (report.scaled) out.push(...renderScaled(report.scaled));
  const profiles = report.results.filter((r) => r.profile).map((r) => `  ${r.name}: ${r.profile}`);
  if (profiles.length > 0) {
    out.push('', 'CPU profiles (read with: node dist/bench/top-functions.js FILE):', ...profiles);
  }
  return out.join('\n') + '\n';
}

/** Sum of the worker processes' cores (`worker 1`, `worker 2`, …). */
function workerCores(c: Record<string, number | null>): number | null {
  const values = Object.entries(c)
    .filter(([k]) => k.startsWith('worker'))
    .map(([, v]) => v);
  return values.length === 0 || values.some((v) => v === null)
    ? null
    : values.reduce<number>((a, v) => a + (v ?? 0), 0);
}

function renderScaled(scaled: ScaledReport): string[] {
  const out = [
    '',
    `Scaled out: one API process and N worker processes, PostgreSQL ${scaled.postgres}, Redis ${scaled.redis}`,
  ];
  if (scaled.skipped !== null) return [...out, `  skipped: ${scaled.skipped}`];
  const rows = scaled.rows.map((r) => [
    r.title,
    String(r.workers),
    r.throughput ? `${int(r.throughput.value)} ${r.throughput.unit}` : '-',
    r.latency ? ms(r.latency.p50) : '-',
    r.latency ? ms(r.latency.p99) : '-',
    r.latency ? ms(r.latency.max) : '-',
    r.errors,
    mb(r.peakRssBytes),
    [r.cores['server'], workerCores(r.cores), r.cores['databases'], r.cores['load'], r.cores['machine']]
      .map(cores)
      .join('/'),
    r.notes.join('; '),
  ]);
  out.push(
    table(
      [
        'scenario',
        'workers',
        'throughput',
        'p50 ms',
        'p99 ms',
        'max ms',
        'errors',
        'API RSS',
        'cores api/wrk/db/load/all',
        'notes',
      ],
      rows,
    ),
  );
  const growth = Object.entries(scaled.growth).filter(([, g]) => g !== null && g !== undefined);
  if (growth.length > 0) {
    out.push('', 'Growth from 1 to 2 worker processes (throughput with 2 over throughput with 1):');
    for (const [name, g] of growth) {
      const [one, two] = [1, 2].map((n) => scaled.rows.find((r) => r.name === name && r.workers === n)?.throughput);
      out.push(
        `  ${name.padEnd(6)} ×${(g ?? NaN).toFixed(2)}  (${int(one?.value ?? NaN)} → ${int(two?.value ?? NaN)} ${two?.unit ?? ''})`,
      );
    }
  }
  for (const f of scaled.failures) out.push('', `Scaled ${f.scenario} with ${f.workers} worker(s) FAILED: ${f.error}`);
  return out;
}

export function writeReport(report: RunReport): string {
  mkdirSync(paths.results, { recursive: true });
  const file = join(paths.results, 'latest.json');
  writeFileSync(file, JSON.stringify(report, (_k, v: unknown) => (v instanceof Set ? [...v] : v), 2) + '\n');
  return file;
}
