/**
 * @module bench/options
 * The benchmark's command line, and the sizes each mode implies. Default: the full set in under
 * three minutes; `--quick`: a smoke run in under 30 s (CI); `--big`: adds the million-message
 * backlog, which takes minutes on its own; `--scaled`: the scaled-out mode (PostgreSQL, Redis, one
 * API and 1 then 2 worker processes) instead, also under three minutes.
 */
import { parseArgs } from 'node:util';

export const SCENARIOS = ['ceiling', 'accept', 'batch', 'e2e', 'seed', 'big', 'campaign'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** What the scaled-out part measures, with each number of worker processes. */
export const SCALED_SCENARIOS = ['accept', 'batch', 'e2e'] as const satisfies readonly ScenarioName[];
export const SCALED_WORKERS = [1, 2] as const;

export interface BenchOptions {
  quick: boolean;
  scenarios: ReadonlySet<ScenarioName>;
  /** Connections of the ceiling and accept runs. */
  connections: number;
  warmupS: number;
  durationS: number;
  batchDurationS: number;
  e2eMessages: number;
  e2eDeadlineS: number;
  providerLatencyMs: number;
  /** Extra query options of the end-to-end run's twilio:// provider URL, e.g. `connections=1024`. */
  providerOptions: string;
  /** Delay of each fake Twilio status callback; null: none arrives during the run. */
  callbackDelayMs: number | null;
  seedUsers: number;
  seedDurationS: number;
  bigMessages: number;
  /** Rows of the `campaign` scenario's CSV (with --big). */
  campaignRows: number;
  cpuProf: boolean;
  logLevel: string;
  keep: boolean;
  /** Run the scaled-out part (accept, batch and e2e with 1 then 2 worker processes). */
  scaled: boolean;
  /** Servers of the scaled-out part; each deployment gets its own schema and key prefix on them. */
  postgresUrl: string;
  redisUrl: string;
}

const DEFAULT_POSTGRES = 'postgres://postgres@127.0.0.1:5432/test';
const DEFAULT_REDIS = 'redis://127.0.0.1:6379';

export const USAGE = `Usage: npm run bench -- [options]   (or: node dist/bench/run.js [options])

  --quick                 smoke run, under 30 s (what CI runs)
  --big                   also queue 1,000,000 scheduled messages (memory and cost per message), and
                          send a 1,000,000-row CSV campaign through sim (rows/s in, messages/s out, RSS)
  --campaign-rows=N       rows of that campaign (default 1000000, quick 100000)
  --scaled                the scaled-out mode instead: ${SCALED_SCENARIOS.join(', ')} against one API process and
                          ${SCALED_WORKERS.join(', then ')} worker processes on PostgreSQL and Redis (under 3 minutes); add
                          --only=... to run embedded scenarios too, in the same report
  --postgres-url=URL      PostgreSQL of --scaled (default $TIDINGS_TEST_POSTGRES_URL or ${DEFAULT_POSTGRES})
  --redis-url=URL         Redis of --scaled (default $TIDINGS_TEST_REDIS_URL or ${DEFAULT_REDIS})
  --only=a,b              run only these: ${SCENARIOS.join(', ')}
  --provider-latency=MS   fake Twilio answer delay in the end-to-end run (default 100)
  --provider-options=Q    options of the twilio:// provider URL (default connections=1024)
  --callback-delay=MS     fake Twilio sends status callbacks after MS per step (default: none during the run)
  --messages=N            end-to-end message count (default 20000, quick 3000)
  --connections=N         connections of the ceiling and accept runs (default 100)
  --duration=S            measured seconds of the ceiling and accept runs (default 10, quick 3)
  --users=N               virtual users of the seed-mirroring run (default 1000, quick 200)
  --cpu-prof              write a CPU profile of each Tidings process to bench/results/profiles/
  --log-level=LEVEL       Tidings' TIDINGS_LOG_LEVEL (default info, as installed)
  --keep                  keep the temporary databases and logs
  --help

Any TIDINGS_* variable in the environment reaches the Tidings processes (except the port,
database, API key and providers, which the benchmark sets), e.g. TIDINGS_WORKER_CONCURRENCY=1024.
`;

function int(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer (got "${value}")`);
  return n;
}

/** Parses argv; returns null when --help was asked for. */
export function parseOptions(argv: string[]): BenchOptions | null {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      big: { type: 'boolean', default: false },
      only: { type: 'string' },
      'provider-latency': { type: 'string' },
      'provider-options': { type: 'string', default: '' },
      'callback-delay': { type: 'string' },
      messages: { type: 'string' },
      connections: { type: 'string' },
      duration: { type: 'string' },
      users: { type: 'string' },
      'campaign-rows': { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'info' },
      keep: { type: 'boolean', default: false },
      scaled: { type: 'boolean', default: false },
      'postgres-url': { type: 'string' },
      'redis-url': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return null;
  const quick = values.quick;

  let scenarios: Set<ScenarioName>;
  if (values.only !== undefined) {
    const names = values.only.split(',').map((s) => s.trim());
    const unknown = names.filter((n) => !(SCENARIOS as readonly string[]).includes(n));
    if (unknown.length > 0)
      throw new Error(`--only: unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}`);
    scenarios = new Set(names as ScenarioName[]);
  } else if (values.scaled) {
    scenarios = new Set(values.big ? ['big'] : []);
  } else {
    scenarios = new Set(SCENARIOS.filter((s) => s !== 'big' && s !== 'campaign'));
    if (values.big) {
      scenarios.add('big');
      scenarios.add('campaign');
    }
  }

  const callback = values['callback-delay'];
  return {
    quick,
    scenarios,
    connections: int(values.connections, 'connections', 100),
    warmupS: quick ? 1 : 3,
    durationS: int(values.duration, 'duration', quick ? 3 : 10),
    batchDurationS: quick ? 2 : 8,
    e2eMessages: int(values.messages, 'messages', quick ? 3_000 : 20_000),
    e2eDeadlineS: quick ? 20 : 60,
    providerLatencyMs: int(values['provider-latency'], 'provider-latency', 100),
    providerOptions: values['provider-options'].replace(/^[?&]+/, ''),
    callbackDelayMs: callback === undefined || callback === 'off' ? null : int(callback, 'callback-delay', 0),
    seedUsers: int(values.users, 'users', quick ? 200 : 1_000),
    seedDurationS: quick ? 5 : 20,
    bigMessages: quick ? 100_000 : 1_000_000,
    campaignRows: int(values['campaign-rows'], 'campaign-rows', quick ? 100_000 : 1_000_000),
    cpuProf: values['cpu-prof'],
    logLevel: values['log-level'],
    keep: values.keep,
    scaled: values.scaled,
    postgresUrl: values['postgres-url'] ?? process.env['TIDINGS_TEST_POSTGRES_URL'] ?? DEFAULT_POSTGRES,
    redisUrl: values['redis-url'] ?? process.env['TIDINGS_TEST_REDIS_URL'] ?? DEFAULT_REDIS,
  };
}
