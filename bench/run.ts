/**
 * @module bench/run
 * `npm run bench`: measures Tidings against its ceiling on loopback (DESIGN.md §8, issue #3). Runs
 * the chosen scenarios one after another, each with fresh processes, so no scenario inherits
 * another's backlog or heap; prints the table and writes bench/results/latest.json. Exits 1 only
 * when a scenario broke or a correctness check failed, never because of a timing.
 */
import { randomBytes } from 'node:crypto';
import { installCleanup, keepTemporaryFiles, stopAll } from './lib/children.js';
import { passedThroughEnv } from './lib/tidings.js';
import { parseOptions, USAGE, type ScenarioName } from './options.js';
import { machine, renderReport, source, writeReport, type RunReport } from './report.js';
import { accept } from './scenarios/accept.js';
import { batch } from './scenarios/batch.js';
import { bigQueue } from './scenarios/big-queue.js';
import { campaignScenario } from './scenarios/campaign.js';
import { ceiling } from './scenarios/ceiling.js';
import { endToEnd } from './scenarios/end-to-end.js';
import { runScaled } from './scenarios/scaled.js';
import { seedMirror } from './scenarios/seed-mirror.js';
import type { Scenario, ScenarioResult } from './scenarios/types.js';
import { evaluateTargets } from './targets.js';

/** In this order: the ceiling first, so the accept ratio compares neighbours in time. */
const ALL: [ScenarioName, Scenario][] = [
  ['ceiling', ceiling],
  ['accept', accept],
  ['batch', batch],
  ['e2e', endToEnd],
  ['seed', seedMirror],
  ['big', bigQueue],
  ['campaign', campaignScenario],
];

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  if (!opts) {
    process.stdout.write(USAGE);
    return 0;
  }
  installCleanup();
  if (opts.keep) keepTemporaryFiles();
  const runId = `tb${randomBytes(3).toString('hex')}`;
  const host = machine(); // before our own processes raise the load average
  const startedAt = new Date().toISOString();
  const results: ScenarioResult[] = [];
  const failures: RunReport['failures'] = [];

  for (const [name, scenario] of ALL) {
    if (!opts.scenarios.has(name)) continue;
    const t0 = Date.now();
    process.stderr.write(`▸ ${name}…`);
    try {
      const r = await scenario({ opts, runId });
      results.push(r);
      const tp = r.throughput ? `${Math.round(r.throughput.value).toLocaleString('en-US')} ${r.throughput.unit}` : '';
      process.stderr.write(` ${tp} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
    } catch (err) {
      failures.push({ scenario: name, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      process.stderr.write(` failed\n`);
      await stopAll(5_000);
    }
  }

  const scaled = opts.scaled ? await runScaled(opts, runId) : undefined;

  const report: RunReport = {
    runId,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: host,
    source: source(),
    options: { ...opts, postgresUrl: withoutPassword(opts.postgresUrl), redisUrl: withoutPassword(opts.redisUrl) },
    env: passedThroughEnv(),
    results,
    failures,
    targets: evaluateTargets(new Map(results.map((r) => [r.name, r]))),
    ...(scaled ? { scaled } : {}),
  };
  process.stdout.write(renderReport(report));
  process.stdout.write(`\nwritten to ${writeReport(report)}\n`);
  await stopAll();
  const broken =
    failures.length > 0 ||
    (scaled?.failures.length ?? 0) > 0 ||
    [...results, ...(scaled?.rows ?? [])].some((r) => r.checks.some((c) => !c.ok));
  return broken ? 1 : 0;
}

/** A URL as it may be printed and stored: no password. */
function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(not a URL)';
  }
}

main().then(
  (code) => process.exit(code),
  async (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    await stopAll(5_000);
    process.exit(2);
  },
);
