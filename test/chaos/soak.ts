/**
 * @module test/chaos/soak
 * `npm run soak [-- --minutes N] [--users N] [--window-s S] [--out FILE]`: the soak (soak-run.ts)
 * as one command, 10 minutes by default. Prints a line per window and the verdict, writes the
 * report as JSON (default bench/results/soak.json), exits 1 when memory or latency grows past the
 * bounds or errors reach 0.1 %.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { installCleanup, stopAll } from '../../bench/lib/children.js';
import { paths } from '../../bench/lib/paths.js';
import { runSoak } from './soak-run.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    users: { type: 'string', default: '200' },
    'window-s': { type: 'string', default: '60' },
    out: { type: 'string' },
  },
});

installCleanup();
const report = await runSoak({
  minutes: Number(values.minutes),
  users: Number(values.users),
  windowS: Number(values['window-s']),
  log: (line) => process.stdout.write(`  ${line}\n`),
}).finally(() => stopAll());

const out = values.out ?? join(paths.results, 'soak.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
const f = (v: number | null, digits = 2) => (v === null ? 'n/a' : v.toFixed(digits));
process.stdout.write(
  [
    `soak: ${report.minutes} min, ${report.users} users (think 0.5-2 s), ${report.requests} requests`,
    `error rate        ${(report.errorRate * 100).toFixed(3)} % (${report.errors} errors; bound ${report.bounds.errorRate * 100} %)`,
    `RSS slope         ${f(report.slopes.rssMbPerMin)} MB/min (bound ${report.bounds.rssMbPerMin})`,
    `V8 heap slope     ${f(report.slopes.heapMbPerMin)} MB/min (bound ${report.bounds.heapMbPerMin})`,
    `p99 slope         ${f(report.slopes.p99MsPerMin)} ms/min (bound ${report.bounds.p99MsPerMin})`,
    `verdict           ${report.ok ? 'PASS' : `FAIL: ${report.failures.join('; ')}`}`,
    `report written to ${out}`,
  ].join('\n') + '\n',
);
process.exit(report.ok ? 0 : 1);
