/**
 * @module test/chaos/crash-run
 * One crash-consistency run: a fake Twilio in this process, Tidings in child processes, a client
 * accepting `total` messages in batches while a killer SIGKILLs a Tidings process at random points
 * of the work (accepting and dispatching both count) and restarts it, `kills` times. When every
 * accepted message has reached the fake and is `sent` in Tidings, the fake's log is checked
 * (crash-check.ts). Shared by `npm run chaos` and the scaled-down suite in crash.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { BENCH_API_KEY } from '../../bench/lib/tidings.js';
import { startFakeTwilio } from '../fakes/twilio/index.js';
import { checkCrashRun, type CrashVerdict } from './crash-check.js';
import { sendWithRetries, type ClientResult } from './crash-client.js';
import { startDeployment, type Deployment } from './crash-deployment.js';

export interface CrashRunOptions {
  total: number;
  kills: number;
  scaled: boolean;
  batchSize?: number;
  producers?: number;
  concurrency?: number;
  postgresUrl: string;
  redisUrl: string;
  /** Progress lines (kills, waiting) go here; default: nowhere. */
  log?(line: string): void;
}

export interface KillRecord {
  victim: string;
  /** Of the work: (accepted + received) / (2 × total) when the kill struck. */
  progress: number;
  acceptedAtKill: number;
  receivedAtKill: number;
  /** Until the replacement answered /readyz. */
  restartMs: number;
}

export interface CrashRunResult {
  mode: 'embedded' | 'scaled';
  total: number;
  kills: KillRecord[];
  client: Omit<ClientResult, 'accepted'>;
  verdict: CrashVerdict;
  /** Tidings' own view at the end, from GET /v1/messages. */
  statuses: Record<string, number>;
  seconds: number;
}

const SID = `AC${'ca'.repeat(16)}`;
const TOKEN = 'chaos-run-token-0123456789abcdef';

export async function runCrashChaos(opts: CrashRunOptions): Promise<CrashRunResult> {
  const log = opts.log ?? (() => {});
  const concurrency = opts.concurrency ?? 16;
  const prefix = `chaos-${randomBytes(3).toString('hex')}`;
  const t0 = Date.now();
  // Status callbacks are held back: they would aim at dead processes and prove nothing here.
  const fake = await startFakeTwilio({
    accountSid: SID,
    authToken: TOKEN,
    latencyMs: 10,
    callbackDelayMs: 3_600_000,
    maxStored: 3 * opts.total + 1_000,
  });
  let deployment: Deployment | null = null;
  try {
    deployment = await startDeployment({
      scaled: opts.scaled,
      providers: `twilio://${SID}:${TOKEN}@+15005550006?baseUrl=${encodeURIComponent(fake.url)}`,
      concurrency,
      postgresUrl: opts.postgresUrl,
      redisUrl: opts.redisUrl,
    });
    const d = deployment;
    const distinct = new Set<string>();
    let seen = 0;
    const receivedCount = (): number => {
      for (; seen < fake.messages.length; seen++) {
        const body = fake.messages[seen]!.body;
        if (body.startsWith(`${prefix}-`)) distinct.add(body);
      }
      return distinct.size;
    };
    let acceptedCount = 0;
    const progress = (): number => (acceptedCount + receivedCount()) / (2 * opts.total);

    // Kill points spread at random over the work, never in its last tenth (the drain must finish).
    const plan = Array.from({ length: opts.kills }, () => 0.03 + Math.random() * 0.87).sort((a, b) => a - b);
    const kills: KillRecord[] = [];
    let clientDone = false;
    const killer = (async () => {
      for (const point of plan) {
        while (progress() < point) {
          if (clientDone && receivedCount() >= acceptedCount) return; // finished before this point
          await sleep(20);
        }
        const slot = d.slots[Math.floor(Math.random() * d.slots.length)]!;
        const record = {
          victim: slot.name,
          progress: progress(),
          acceptedAtKill: acceptedCount,
          receivedAtKill: receivedCount(),
        };
        const started = Date.now();
        await d.killAndRestart(slot);
        kills.push({ ...record, restartMs: Date.now() - started });
        log(`kill ${kills.length}/${opts.kills}: ${slot.name} at ${(record.progress * 100).toFixed(0)}% of the work`);
      }
    })();
    const client = await sendWithRetries({
      apiUrls: () => d.apiUrls(),
      apiKey: BENCH_API_KEY,
      prefix,
      total: opts.total,
      batchSize: opts.batchSize ?? 100,
      producers: opts.producers ?? 4,
      onAccepted: (n) => (acceptedCount = n),
    }).finally(() => (clientDone = true));
    await killer;
    log(`accepted ${client.accepted.size}; waiting for every message to be sent`);

    const statuses = await waitUntilSent(d, prefix, client.accepted.size, receivedCount, opts.total);
    const received = fake.messages.filter((m) => m.body.startsWith(`${prefix}-`)).map((m) => m.body);
    const verdict = checkCrashRun({
      accepted: client.accepted,
      received,
      timedOut: await timedOutAmong(d, prefix, twiceOrMore(received)),
      senderKills: kills.filter((k) => !k.victim.startsWith('api')).length,
      concurrency,
    });
    const { accepted: _accepted, ...clientFigures } = client;
    return {
      mode: opts.scaled ? 'scaled' : 'embedded',
      total: opts.total,
      kills,
      client: clientFigures,
      verdict,
      statuses,
      seconds: (Date.now() - t0) / 1000,
    };
  } finally {
    await deployment?.stop();
    await fake.close();
  }
}

/** Until the fake has them all and Tidings says `sent` (or later) for each; or a deadline passes. */
async function waitUntilSent(
  d: Deployment,
  prefix: string,
  accepted: number,
  receivedCount: () => number,
  total: number,
): Promise<Record<string, number>> {
  const deadline = Date.now() + 60_000 + total * 10;
  let statuses: Record<string, number> = {};
  for (;;) {
    if (receivedCount() >= accepted) {
      statuses = await countStatuses(d, prefix);
      const done = (statuses['sent'] ?? 0) + (statuses['delivered'] ?? 0);
      if (done >= accepted) return statuses;
    }
    if (Date.now() > deadline) return statuses;
    await sleep(1_000);
  }
}

function twiceOrMore(bodies: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const b of bodies) (seen.has(b) ? twice : seen).add(b);
  return twice;
}

/** Of these bodies, those whose message has a send that timed out among its events. */
async function timedOutAmong(d: Deployment, prefix: string, bodies: ReadonlySet<string>): Promise<Set<string>> {
  const out = new Set<string>();
  if (bodies.size === 0) return out;
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${d.apiUrls()[0]}${path}`, { headers: { authorization: `Bearer ${BENCH_API_KEY}` } });
    return (await res.json()) as T;
  };
  let cursor: string | null = null;
  do {
    const page: { data: Array<{ id: string; body: string }>; nextCursor: string | null } = await get(
      `/v1/messages?reference=${prefix}&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
    );
    for (const m of page.data) {
      if (!bodies.has(m.body)) continue;
      const full = await get<{ events?: unknown[] }>(`/v1/messages/${m.id}`);
      if (/timed out/.test(JSON.stringify(full.events ?? []))) out.add(m.body);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

async function countStatuses(d: Deployment, prefix: string): Promise<Record<string, number>> {
  const statuses: Record<string, number> = {};
  let cursor: string | null = null;
  do {
    const url = d.apiUrls()[0];
    if (!url) return statuses;
    const res = await fetch(`${url}/v1/messages?reference=${prefix}&limit=500${cursor ? `&cursor=${cursor}` : ''}`, {
      headers: { authorization: `Bearer ${BENCH_API_KEY}` },
    });
    const page = (await res.json()) as { data: Array<{ status: string }>; nextCursor: string | null };
    for (const m of page.data) statuses[m.status] = (statuses[m.status] ?? 0) + 1;
    cursor = page.nextCursor;
  } while (cursor);
  return statuses;
}
