/**
 * @module cli/report
 * `tidings report`: the analytics table in the terminal, or as CSV for a spreadsheet. A client of
 * the HTTP API like `send` (GET /v1/analytics/summary or /breakdown), so it reads the same figures
 * from an embedded install and a scaled-out one.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { callApi, type ApiTarget } from './http-client.js';
import { resolveTarget } from './client-commands.js';

/** One row as the API gives it (see app/analytics-report). */
export interface ReportRow {
  key?: string | number | null;
  sent: number;
  delivered: number;
  failed: number;
  undelivered: number;
  deliveryRate: number | null;
  medianDeliverySeconds: number | null;
  p95DeliverySeconds: number | null;
  segments: number;
  cost: Record<string, number>;
  costPerDelivered: Record<string, number | null>;
  replies: number;
  optOuts: number;
  conversions: number;
  conversionRate: number | null;
}

export interface ReportOptions {
  from?: string;
  to?: string;
  by?: string;
  tz?: string;
}

const COLUMNS: [string, (r: ReportRow) => string][] = [
  ['sent', (r) => String(r.sent)],
  ['delivered', (r) => String(r.delivered)],
  ['failed', (r) => String(r.failed + r.undelivered)],
  ['delivery', (r) => percent(r.deliveryRate)],
  ['median s', (r) => seconds(r.medianDeliverySeconds)],
  ['p95 s', (r) => seconds(r.p95DeliverySeconds)],
  ['segments', (r) => String(r.segments)],
  ['cost', (r) => money(r.cost)],
  ['per delivered', (r) => money(r.costPerDelivered, 4)],
  ['replies', (r) => String(r.replies)],
  ['opt-outs', (r) => String(r.optOuts)],
  ['conversions', (r) => String(r.conversions)],
  ['conv. rate', (r) => percent(r.conversionRate)],
];

const percent = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)} %`);
const seconds = (x: number | null) => (x === null ? '-' : x.toFixed(1));
const money = (m: Record<string, number | null>, digits = 2) =>
  Object.entries(m)
    .map(([c, v]) => (v === null ? `- ${c}` : `${v.toFixed(digits)} ${c}`))
    .join(' + ') || '-';

const label = (key: ReportRow['key']) => (key === null || key === undefined ? '(none)' : String(key));

/** The rows as an aligned text table: the group first, numbers right-aligned. */
export function formatTable(rows: ReportRow[], by: string | undefined): string {
  const head = [by ?? 'total', ...COLUMNS.map(([h]) => h)];
  const body = rows.map((r) => [by ? label(r.key) : 'all', ...COLUMNS.map(([, f]) => f(r))]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n') + '\n';
}

const CSV_COLUMNS = [
  'sent',
  'delivered',
  'failed',
  'undelivered',
  'deliveryRate',
  'medianDeliverySeconds',
  'p95DeliverySeconds',
  'segments',
  'replies',
  'optOuts',
  'conversions',
  'conversionRate',
] as const;

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  // A cell starting with = + - @ is a formula to a spreadsheet: quoted with a leading apostrophe.
  const safe = /^[=+\-@]/.test(s) && Number.isNaN(Number(s)) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The rows as CSV (RFC 4180), one cost column per currency. */
export function formatCsv(rows: ReportRow[], by: string | undefined): string {
  const currencies = [...new Set(rows.flatMap((r) => Object.keys(r.cost)))].sort();
  const head = [by ?? 'total', ...CSV_COLUMNS, ...currencies.flatMap((c) => [`cost_${c}`, `costPerDelivered_${c}`])];
  const lines = rows.map((r) =>
    [
      by ? label(r.key) : 'all',
      ...CSV_COLUMNS.map((c) => r[c]),
      ...currencies.flatMap((c) => [r.cost[c] ?? 0, r.costPerDelivered[c] ?? null]),
    ]
      .map(csvCell)
      .join(','),
  );
  return [head.join(','), ...lines].join('\r\n') + '\r\n';
}

/** Fetches the report the options ask for. */
export async function fetchReport(target: ApiTarget, o: ReportOptions): Promise<ReportRow[]> {
  const q = new URLSearchParams();
  if (o.from) q.set('from', o.from);
  if (o.to) q.set('to', o.to);
  if (o.by) q.set('by', o.by);
  if (o.tz) q.set('tz', o.tz);
  if (o.by) {
    const res = (await callApi(target, 'GET', `/v1/analytics/breakdown?${q}`)) as { rows: ReportRow[] };
    return res.rows;
  }
  return [(await callApi(target, 'GET', `/v1/analytics/summary?${q}`)) as ReportRow];
}

export function addReportCommand(program: Command): void {
  program
    .command('report')
    .description('print delivery, cost and conversion figures over a time range (from a running Tidings)')
    .option('--from <time>', 'start: RFC 3339 time or YYYY-MM-DD (default 7 days before --to)')
    .option('--to <time>', 'end, exclusive (default the end of the current hour)')
    .option('--by <group>', 'provider | template | variant | country | purpose | channel | hour | weekday')
    .option('--tz <zone>', 'IANA timezone for --by hour and weekday (default UTC)')
    .option('--csv <file>', 'write CSV to this file ("-" for standard output) instead of the table')
    .option('--url <url>', 'Tidings base URL')
    .option('--key <key>', 'API key (read)')
    .action(async (o: ReportOptions & { csv?: string; url?: string; key?: string }) => {
      const rows = await fetchReport(resolveTarget(o, process.env), o);
      if (o.csv === undefined) process.stdout.write(formatTable(rows, o.by));
      else if (o.csv === '-') process.stdout.write(formatCsv(rows, o.by));
      else {
        writeFileSync(o.csv, formatCsv(rows, o.by));
        process.stderr.write(`wrote ${rows.length} row(s) to ${o.csv}\n`);
      }
    });
}
