/**
 * The scaled-out mode as deployed: the compiled CLI as 2 API processes and 2 worker processes on one
 * PostgreSQL schema and one Redis prefix, sending 20,000 messages through one fake Twilio. One worker
 * is killed (SIGKILL) a third of the way through: nothing is lost, and the only texts sent twice are
 * those the dead worker had at the fake but not yet recorded, at most its concurrency. Then the other
 * worker is stopped gracefully (SIGTERM) while a replacement starts: nothing lost, nothing twice.
 *
 * The fake's log is the ground truth of what a customer would have received: every body is unique,
 * so a body seen twice is a text sent twice. Status callbacks are held back (they would double the
 * load on two cores and prove nothing here), so messages end at `sent`.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio/index.js';
import { postgresTestUrl } from '../support/backends.js';
import { freePort, TEST_KEY } from '../support/harness.js';
import { spawnTidings, waitForHttp, type TidingsProcess } from '../support/process.js';
import { freshRedisUrl, redisIfReachable } from '../support/queue-backends.js';

/** Skips with a printed reason when PostgreSQL or Redis does not answer; fails under CI=true. */
const bullmq = await redisIfReachable();

const SID = `AC${'c3'.repeat(16)}`;
const TOKEN = 'multi-process-token-0123456789';
const TOTAL = 20_000;
const GRACEFUL_TOTAL = 5_000;
const BATCH = 1_000;
/** Per worker process: enough sends in flight for the 30 ms fake, and the bound on duplicates at a kill. */
const CONCURRENCY = 32;
/** Held back for the whole run: no status callbacks. */
const NO_CALLBACKS_MS = 3_600_000;

interface Proc {
  name: string;
  url: string;
  p: TidingsProcess;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(bullmq)('2 API + 2 worker processes on PostgreSQL and Redis', () => {
  const run = randomBytes(3).toString('hex');
  const redis = freshRedisUrl();
  let database: { url: string; drop(): Promise<void> };
  let schema: string;
  let db: pg.Client;
  let fake: FakeTwilio;
  let env: Record<string, string>;
  const live = new Set<Proc>();
  let apis: Proc[] = [];
  let workers: Proc[] = [];

  async function start(name: string, role: 'api' | 'worker'): Promise<Proc> {
    const port = await freePort();
    const p = spawnTidings(['serve', '--role', role], { ...env, TIDINGS_PORT: String(port) });
    const proc = { name, url: `http://127.0.0.1:${port}`, p };
    live.add(proc);
    void p.exited.then(() => live.delete(proc));
    try {
      await waitForHttp(`${proc.url}/readyz`, 30_000);
    } catch (err) {
      throw new Error(`${name} did not become ready:\n${p.output()}`, { cause: err });
    }
    return proc;
  }

  async function stop(proc: Proc, graceMs = 15_000): Promise<number | null> {
    if (proc.p.child.exitCode !== null || proc.p.child.signalCode !== null) return proc.p.exited;
    proc.p.child.kill('SIGTERM');
    const timer = setTimeout(() => proc.p.child.kill('SIGKILL'), graceMs);
    const code = await proc.p.exited;
    clearTimeout(timer);
    return code;
  }

  beforeAll(async () => {
    fake = await startFakeTwilio({
      accountSid: SID,
      authToken: TOKEN,
      latencyMs: 30,
      callbackDelayMs: NO_CALLBACKS_MS,
      maxStored: 2 * (TOTAL + GRACEFUL_TOTAL),
    });
    database = bullmq!.storage.freshUrl();
    schema = new URL(database.url).searchParams.get('schema') ?? '';
    db = new pg.Client({ connectionString: postgresTestUrl() });
    await db.connect();
    const apiPort = await freePort();
    env = {
      TIDINGS_DATABASE_URL: database.url,
      TIDINGS_REDIS_URL: redis.url,
      TIDINGS_API_KEY: TEST_KEY,
      TIDINGS_HOST: '127.0.0.1',
      TIDINGS_LOG_LEVEL: 'warn',
      TIDINGS_WORKER_CONCURRENCY: String(CONCURRENCY),
      // Lease = max(TIDINGS_JOB_LEASE, 2 × send timeout): a dead worker's jobs come back after ~3 s.
      TIDINGS_SEND_TIMEOUT: '1500ms',
      TIDINGS_JOB_LEASE: '3s',
      TIDINGS_SHUTDOWN_DEADLINE: '5s',
      TIDINGS_PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
      TIDINGS_PROVIDERS: `twilio://${SID}:${TOKEN}@+15005550006?baseUrl=${encodeURIComponent(fake.url)}`,
    };
    // The first process migrates the fresh schema; the others start on a migrated one.
    const first = spawnTidings(['serve', '--role', 'api'], { ...env, TIDINGS_PORT: String(apiPort) });
    const api1: Proc = { name: 'api-1', url: `http://127.0.0.1:${apiPort}`, p: first };
    live.add(api1);
    void first.exited.then(() => live.delete(api1));
    await waitForHttp(`${api1.url}/readyz`, 30_000).catch((err: unknown) => {
      throw new Error(`api-1 did not become ready:\n${first.output()}`, { cause: err });
    });
    const [api2, w1, w2] = await Promise.all([
      start('api-2', 'api'),
      start('worker-1', 'worker'),
      start('worker-2', 'worker'),
    ]);
    apis = [api1, api2!];
    workers = [w1!, w2!];
  }, 60_000);

  afterAll(async () => {
    await Promise.all([...live].map((proc) => stop(proc, 5_000)));
    await db?.end();
    await fake?.close();
    await redis.drop();
    await database?.drop();
  }, 30_000);

  /** Accepts `total` messages in batches of 1,000, alternating between the two API processes. */
  async function sendAll(prefix: string, total: number): Promise<Set<string>> {
    const accepted = new Set<string>();
    let next = 0;
    const producer = async (): Promise<void> => {
      while (next * BATCH < total) {
        const b = next++;
        const messages = Array.from({ length: Math.min(BATCH, total - b * BATCH) }, (_, i) => ({
          to: `+1415555${1000 + ((b * BATCH + i) % 9000)}`,
          body: `${prefix}-${b * BATCH + i}`,
          reference: prefix,
        }));
        const res = await fetch(`${apis[b % 2]!.url}/v1/messages/batch`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ messages }),
        });
        const answer = (await res.json()) as { accepted: number; results: { id?: string }[] };
        expect(res.status).toBe(202);
        expect(answer.accepted).toBe(messages.length);
        answer.results.forEach((r, i) => r.id && accepted.add(messages[i]!.body));
      }
    };
    await Promise.all([producer(), producer()]);
    return accepted;
  }

  /** How many times the fake received each body of this prefix. */
  function copies(prefix: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of fake.messages) {
      if (m.body.startsWith(`${prefix}-`)) counts.set(m.body, (counts.get(m.body) ?? 0) + 1);
    }
    return counts;
  }

  async function statuses(prefix: string): Promise<Record<string, number>> {
    const { rows } = await db.query<{ status: string; n: number }>(
      `select status, count(*)::int as n from "${schema}".messages where reference = $1 group by status`,
      [prefix],
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /** Messages that took more than one attempt (a send timed out, or was cut short by a dying worker). */
  async function retried(prefix: string): Promise<number> {
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int as n from "${schema}".messages where reference = $1 and attempts > 1`,
      [prefix],
    );
    return rows[0]?.n ?? 0;
  }

  const settled = (s: Record<string, number>) => (s['sent'] ?? 0) + (s['delivered'] ?? 0);

  /** Until the fake has every body and the database has every message sent (or delivered). */
  async function waitUntilAllSent(prefix: string, total: number, ms: number): Promise<Record<string, number>> {
    const end = Date.now() + ms;
    for (;;) {
      const s = await statuses(prefix);
      if (copies(prefix).size >= total && settled(s) >= total) return s;
      if (Date.now() > end) {
        const logs = [...live].map((p) => `--- ${p.name}\n${p.p.output().slice(-2_000)}`).join('\n');
        throw new Error(`not all sent: fake has ${copies(prefix).size} of ${total}; ${JSON.stringify(s)}\n${logs}`);
      }
      await sleep(250);
    }
  }

  async function expectReady(procs: Proc[], worker: Proc | null): Promise<void> {
    for (const proc of procs) {
      const res = await fetch(`${proc.url}/readyz`);
      const body = (await res.json()) as { checks: Record<string, string> };
      expect({ name: proc.name, status: res.status, checks: body.checks }).toMatchObject({
        name: proc.name,
        status: 200,
        checks: { database: 'ok', queue: 'ok', ...(proc === worker ? { worker: 'ok' } : {}) },
      });
    }
  }

  it('SIGKILL of a worker a third of the way in: nothing lost, duplicates only from its jobs in flight', async () => {
    const prefix = `mp-${run}-kill`;
    const [victim, survivor] = workers as [Proc, Proc];
    const t0 = Date.now();
    let killedAt = 0;
    let sentAtKill = 0;
    const killer = (async () => {
      while (copies(prefix).size < TOTAL / 3) {
        if (Date.now() - t0 > 100_000) throw new Error(`only ${copies(prefix).size} sent after 100 s`);
        await sleep(5);
      }
      killedAt = Date.now();
      sentAtKill = fake.messages.length;
      victim.p.child.kill('SIGKILL');
      workers = [survivor];
      await victim.p.exited;
    })();
    const [accepted] = await Promise.all([sendAll(prefix, TOTAL), killer]);
    expect(accepted.size).toBe(TOTAL);
    expect(victim.p.child.signalCode).toBe('SIGKILL');
    expect(sentAtKill).toBeLessThan(TOTAL);

    const final = await waitUntilAllSent(prefix, TOTAL, 90_000);
    const counts = copies(prefix);
    const missing = [...accepted].filter((body) => !counts.has(body));
    const twice = [...counts].filter(([, n]) => n > 1);
    // A duplicate is a send the dead worker made (before it died) and never recorded.
    const firstCopyAt = new Map<string, number>();
    for (const m of fake.messages) if (!firstCopyAt.has(m.body)) firstCopyAt.set(m.body, m.at);
    const lateFirsts = twice.filter(([body]) => (firstCopyAt.get(body) ?? 0) > killedAt + 1_000);
    console.log(
      `multi-process: ${TOTAL} sent in ${((Date.now() - t0) / 1000).toFixed(1)} s; worker killed at ${sentAtKill} ` +
        `sent; ${twice.length} sent twice (bound: ${CONCURRENCY}, the killed worker's concurrency); ` +
        `statuses ${JSON.stringify(final)}; ${await retried(prefix)} retried`,
    );
    expect(missing).toEqual([]);
    expect(twice.every(([, n]) => n === 2)).toBe(true);
    expect(twice.length).toBeLessThanOrEqual(CONCURRENCY);
    expect(lateFirsts).toEqual([]);
    expect(settled(final)).toBe(TOTAL);
    expect(Object.keys(final).filter((s) => s !== 'sent' && s !== 'delivered')).toEqual([]);
    await expectReady([...apis, survivor], survivor);
  }, 200_000);

  it('SIGTERM of the other worker while a new one starts: nothing lost, nothing twice', async () => {
    const prefix = `mp-${run}-term`;
    const [leaving] = workers as [Proc];
    const handed: { sentWhenGone: number; exitCode: number | null; replacement: Proc | null } = {
      sentWhenGone: 0,
      exitCode: -1,
      replacement: null,
    };
    const t0 = Date.now();
    const handover = (async () => {
      while (copies(prefix).size < GRACEFUL_TOTAL / 3) {
        if (Date.now() - t0 > 60_000) throw new Error(`only ${copies(prefix).size} sent after 60 s`);
        await sleep(5);
      }
      const starting = start('worker-3', 'worker');
      handed.exitCode = await stop(leaving);
      handed.sentWhenGone = copies(prefix).size;
      handed.replacement = await starting;
    })();
    const [accepted] = await Promise.all([sendAll(prefix, GRACEFUL_TOTAL), handover]);
    expect(accepted.size).toBe(GRACEFUL_TOTAL);
    expect(handed.exitCode).toBe(0);
    // The replacement sent the rest: the leaving worker took no new work once told to stop.
    expect(handed.sentWhenGone).toBeLessThan(GRACEFUL_TOTAL);

    const final = await waitUntilAllSent(prefix, GRACEFUL_TOTAL, 60_000);
    const counts = copies(prefix);
    console.log(
      `multi-process: graceful handover after ${handed.sentWhenGone} of ${GRACEFUL_TOTAL}, done in ` +
        `${((Date.now() - t0) / 1000).toFixed(1)} s; statuses ${JSON.stringify(final)}; ${await retried(prefix)} retried`,
    );
    expect([...accepted].filter((body) => !counts.has(body))).toEqual([]);
    expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
    expect(settled(final)).toBe(GRACEFUL_TOTAL);
    const replacement = handed.replacement!;
    await expectReady([...apis, replacement], replacement);
  }, 150_000);
});
