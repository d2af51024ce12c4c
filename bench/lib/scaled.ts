/**
 * @module bench/lib/scaled
 * The scaled-out mode as an operator runs it: one `tidings serve --role api` and N
 * `tidings serve --role worker` processes on a fresh PostgreSQL schema and a fresh Redis prefix.
 * To a scenario it looks like one Tidings (the API's URL and key), so the embedded scenarios measure
 * it unchanged; it also names every process for the CPU meter and says where sends are counted
 * (the workers' /metrics). Stopping it stops every process, then drops the schema and the keys.
 */
import { cleanUpLater } from './children.js';
import { DATABASES, MACHINE } from './cpu.js';
import { freshStore, type ScaledSetup } from './scaled-store.js';
import { startTidings, type ProcessOptions, type TidingsOptions, type TidingsProcess } from './tidings.js';

/**
 * Kysely's migrator lists the tables of every schema in the database, and a schema that someone
 * drops during that listing (a test run, or the previous scenario's clean-up) fails the migration
 * at start-up. Such a start is tried again.
 */
async function startProcess(opts: ProcessOptions): Promise<TidingsProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startTidings(opts);
    } catch (err) {
      if (attempt >= 3 || !String(err).includes('database migration failed')) throw err;
      process.stderr.write(` (${opts.name}: migration failed at start, trying again)`);
    }
  }
}

export async function startScaledTidings(opts: TidingsOptions, setup: ScaledSetup): Promise<TidingsProcess> {
  const store = freshStore(setup);
  const dropStore = cleanUpLater(store.drop);
  const base = { ...opts, databaseUrl: store.databaseUrl, redisUrl: store.redisUrl };
  const name = `${opts.name}-w${setup.workers}`;
  const started: TidingsProcess[] = [];
  /** Stops every process started, then drops the data; resolves with the API's CPU profile path. */
  const stopStarted = async (): Promise<string | null> => {
    const profiles = await Promise.all(started.map((p) => p.stop()));
    await dropStore();
    return profiles[0] ?? null;
  };
  try {
    // The API process migrates the fresh schema; the workers start on a migrated one.
    const api = await startProcess({ ...base, name: `${name}-api`, role: 'api' });
    started.push(api);
    // Status callbacks go to the API, as behind a load balancer, whichever process sent the message.
    const env = { ...opts.env, TIDINGS_PUBLIC_URL: api.url };
    const workers = await Promise.allSettled(
      Array.from({ length: setup.workers }, (_, i) =>
        startProcess({ ...base, env, name: `${name}-worker-${i + 1}`, role: 'worker' }),
      ),
    );
    for (const w of workers) if (w.status === 'fulfilled') started.push(w.value);
    const failed = workers.find((w) => w.status === 'rejected');
    if (failed) throw failed.reason;
    return deployment(api, started.slice(1), stopStarted);
  } catch (err) {
    await stopStarted();
    throw err;
  }
}

function deployment(
  api: TidingsProcess,
  workers: TidingsProcess[],
  stopAndDrop: () => Promise<string | null>,
): TidingsProcess {
  const workerName = (i: number) => `worker ${i + 1}`;
  return {
    url: api.url,
    pid: api.pid,
    pids: {
      server: api.pid,
      ...Object.fromEntries(workers.map((w, i) => [workerName(i), w.pid])),
      databases: DATABASES,
      machine: MACHINE,
    },
    workerUrls: workers.map((w) => w.url),
    apiKey: api.apiKey,
    memory: api.memory,
    peakRss: () => ({
      api: api.memory.peakBytes,
      ...Object.fromEntries(workers.map((w, i) => [workerName(i), w.memory.peakBytes])),
    }),
    databaseBytes: () => 0, // in PostgreSQL, not measured here
    logTail: (bytes = 2_000) =>
      [api, ...workers].map((p, i) => `--- ${i === 0 ? 'api' : workerName(i - 1)}\n${p.logTail(bytes)}`).join('\n'),
    alive: () => [api, ...workers].every((p) => p.alive()),
    stop: stopAndDrop,
  };
}
