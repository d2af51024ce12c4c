/* eslint-disable @typescript-eslint/no-explicit-any -- responses are checked field by field in the assertions */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio/index.js';
import { freePort, TEST_KEY } from '../support/harness.js';
import { spawnTidings, waitForHttp, type TidingsProcess } from '../support/process.js';

const SID = `AC${'b2'.repeat(16)}`;
const TOKEN = 'restart-test-token-0123456789';
const TOTAL = 1_000;
const CONCURRENCY = 16;

describe('a process killed mid-drain loses nothing on restart', () => {
  let fake: FakeTwilio;
  let dir: string;
  let port: number;
  let env: Record<string, string>;
  let proc: TidingsProcess | null = null;

  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: SID, authToken: TOKEN, latencyMs: 20, callbackDelayMs: 10 });
    dir = mkdtempSync(join(tmpdir(), 'tidings-restart-'));
    port = await freePort();
    env = {
      TIDINGS_DATABASE_URL: `sqlite:${join(dir, 'tidings.db')}`,
      TIDINGS_API_KEY: TEST_KEY,
      TIDINGS_PORT: String(port),
      TIDINGS_LOG_LEVEL: 'warn',
      TIDINGS_WORKER_CONCURRENCY: String(CONCURRENCY),
      // Not 1 s: on a loaded machine (the chaos suites run beside this one) a 20 ms send could time
      // out, be retried and count as a duplicate that no kill explains. Lease = 2 × timeout = 6 s.
      TIDINGS_SEND_TIMEOUT: '3s',
      TIDINGS_JOB_LEASE: '2s',
      TIDINGS_PROVIDERS: `twilio://${SID}:${TOKEN}@+15005550006?baseUrl=${encodeURIComponent(fake.url)}`,
    };
  });
  afterAll(async () => {
    proc?.child.kill('SIGKILL');
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('sends every accepted message, duplicates only among the few in flight at the kill', async () => {
    proc = spawnTidings(['serve'], env);
    await waitForHttp(`http://127.0.0.1:${port}/readyz`);
    for (let b = 0; b < TOTAL / 500; b++) {
      const messages = Array.from({ length: 500 }, (_, i) => ({
        to: '+14155552671',
        body: `restart-${b * 500 + i}`,
        reference: 'restart',
      }));
      const res = await api('POST', '/v1/messages/batch', { messages });
      expect(res.body.accepted).toBe(500);
    }
    const end = Date.now() + 20_000;
    while (fake.messages.length < TOTAL / 4 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    proc.child.kill('SIGKILL');
    await proc.exited;
    const atKill = fake.messages.length;
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(TOTAL);

    proc = spawnTidings(['serve'], env);
    await waitForHttp(`http://127.0.0.1:${port}/readyz`);
    const deadline = Date.now() + 30_000;
    while (new Set(fake.messages.map((m) => m.body)).size < TOTAL && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const counts = new Map<string, number>();
    for (const m of fake.messages) counts.set(m.body, (counts.get(m.body) ?? 0) + 1);
    expect(counts.size).toBe(TOTAL);
    const twice = [...counts.values()].filter((n) => n > 1);
    expect(twice.every((n) => n === 2)).toBe(true);
    expect(twice.length).toBeLessThanOrEqual(CONCURRENCY);

    // Every message ends sent or delivered (callbacks aimed at the dead process are lost, as with
    // Twilio). The fake may log a create a moment before Tidings commits its `sent`: poll.
    const settledCount = async (): Promise<{ settled: number; statuses: Record<string, number> }> => {
      let cursor: string | null = null;
      const statuses: Record<string, number> = {};
      do {
        const page: { body: { data: Array<{ status: string }>; nextCursor: string | null } } = await api(
          'GET',
          `/v1/messages?reference=restart&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
        );
        for (const m of page.body.data) statuses[m.status] = (statuses[m.status] ?? 0) + 1;
        cursor = page.body.nextCursor;
      } while (cursor);
      return { settled: (statuses['sent'] ?? 0) + (statuses['delivered'] ?? 0), statuses };
    };
    let outcome = await settledCount();
    for (let i = 0; i < 100 && outcome.settled < TOTAL; i++) {
      await new Promise((r) => setTimeout(r, 50));
      outcome = await settledCount();
    }
    expect(outcome).toMatchObject({ settled: TOTAL });

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    proc = null;
  });
});
