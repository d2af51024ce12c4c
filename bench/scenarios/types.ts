/**
 * @module bench/scenarios/types
 * What every scenario returns: one row of the printed table, correctness checks, and the full
 * figures for latest.json. Scenarios never judge speed; the report compares ratios in one run.
 */
import type { ScaledSetup } from '../lib/scaled-store.js';
import type { BenchOptions, ScenarioName } from '../options.js';

export interface ScenarioContext {
  opts: BenchOptions;
  /** Short id of this run; prefixes message bodies so the fake can count them. */
  runId: string;
  /** Measure the scaled-out mode (separate API and worker processes on PostgreSQL and Redis) instead. */
  scaled?: ScaledSetup;
}

/** A correctness check (nothing lost, no duplicates, no errors): these fail the run, timings never do. */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ScenarioResult {
  name: ScenarioName;
  title: string;
  throughput: { value: number; unit: string } | null;
  /** Milliseconds. */
  latency: { p50: number; p99: number; max: number } | null;
  errors: string;
  peakRssBytes: number | null;
  /**
   * Cores used during the measured phase: `server` (Tidings or the ceiling), `load` (this harness:
   * the load generator), `fake` (the fake Twilio). They share the machine's cores.
   */
  cores: Record<string, number | null>;
  notes: string[];
  checks: Check[];
  data: Record<string, unknown>;
  /** Where this scenario's Tidings wrote its CPU profile, with --cpu-prof. */
  profile?: string | null;
}

export type Scenario = (ctx: ScenarioContext) => Promise<ScenarioResult>;
