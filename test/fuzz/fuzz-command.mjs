#!/usr/bin/env node
/* global process, console */
/**
 * `npm run fuzz [-- --runs N] [-- --seed S]`: the property suites of test/fuzz at scale. N is the
 * total number of generated inputs (default 100,000), shared evenly by the four targets. Prints
 * inputs tried, failures and the slowest input per target; exits non-zero if any property broke.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TARGETS = 4;
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const total = option('runs', 100_000);
const seed = option('seed', undefined);
if (!Number.isInteger(total) || total < TARGETS) {
  console.error(`--runs must be a whole number of at least ${TARGETS}`);
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'tidings-fuzz-'));
const report = join(dir, 'report.json');
const perTarget = Math.ceil(total / TARGETS);
console.log(`fuzzing: ${perTarget} inputs for each of ${TARGETS} targets${seed === undefined ? '' : `, seed ${seed}`}`);
const run = spawnSync('npx', ['vitest', 'run', 'test/fuzz/properties.test.ts', '--reporter=dot'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    TIDINGS_SKIP_BUILD: '1',
    TIDINGS_FUZZ_RUNS: String(perTarget),
    TIDINGS_FUZZ_REPORT: report,
    ...(seed === undefined ? {} : { TIDINGS_FUZZ_SEED: String(seed) }),
  },
});

let results = [];
try {
  results = JSON.parse(readFileSync(report, 'utf8'));
} catch {
  console.error('no fuzz report was written (the suite did not finish)');
}
rmSync(dir, { recursive: true, force: true });

console.log('\ntarget               inputs  failures  slowest (ms)  total (s)  slowest input');
let tried = 0;
let failures = 0;
for (const r of results) {
  tried += r.runs;
  failures += r.failures;
  console.log(
    `${r.name.padEnd(19)} ${String(r.runs).padStart(7)} ${String(r.failures).padStart(9)} ${r.slowestMs
      .toFixed(1)
      .padStart(13)} ${(r.totalMs / 1000).toFixed(1).padStart(10)}  ${r.slowestInput.slice(0, 120)}`,
  );
  if (r.outcomes)
    console.log(
      `  answered: ${Object.entries(r.outcomes)
        .map(([s, n]) => `${s}×${n}`)
        .join(' ')}`,
    );
  if (r.counterexample) console.log(`  counterexample: ${r.counterexample}`);
}
console.log(`${'total'.padEnd(19)} ${String(tried).padStart(7)} ${String(failures).padStart(9)}`);
process.exit(run.status === 0 && failures === 0 && results.length === TARGETS ? 0 : 1);
