/**
 * Property suites over the HTTP API, every provider webhook, template rendering and phone parsing.
 * In `npm test` each target tries a few hundred inputs; `npm run fuzz` runs the same targets at
 * scale (TIDINGS_FUZZ_RUNS per target) and writes the figures to TIDINGS_FUZZ_REPORT.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTarget, type TargetResult } from './run-target.js';
import { openFuzzSuite, type FuzzSuite } from './targets.js';

const RUNS = Number(process.env['TIDINGS_FUZZ_RUNS'] ?? 300);
const SEED = process.env['TIDINGS_FUZZ_SEED'] === undefined ? undefined : Number(process.env['TIDINGS_FUZZ_SEED']);
const REPORT = process.env['TIDINGS_FUZZ_REPORT'];
// At scale one target may take minutes on a busy machine.
const TIMEOUT_MS = Math.max(120_000, RUNS * 20);

describe('bad input never breaks Tidings (property-based)', () => {
  let suite: FuzzSuite;
  const results: TargetResult[] = [];
  beforeAll(async () => {
    suite = await openFuzzSuite();
  });
  afterAll(async () => {
    await suite.close();
    if (REPORT) writeFileSync(REPORT, JSON.stringify(results, null, 2));
  });

  for (const name of ['http-api', 'provider-webhooks', 'template-rendering', 'phone-numbers']) {
    it(
      `${name}: no 5xx, no crash, no hang, a catalogue code on every refusal`,
      async () => {
        const target = suite.targets.find((x) => x.name === name);
        expect(target, name).toBeDefined();
        const result = await runTarget(target!, RUNS, SEED);
        results.push(result);
        expect(result.counterexample).toBeNull();
        expect(result.runs).toBeGreaterThanOrEqual(RUNS);
      },
      TIMEOUT_MS,
    );
  }
});
