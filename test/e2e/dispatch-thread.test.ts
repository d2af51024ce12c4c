/**
 * The embedded default as installed: `tidings serve` on a SQLite file dispatches on its own worker
 * thread (main/dispatch-thread). Through the compiled CLI and a fake Twilio with status callbacks:
 * every message is sent once and delivered, the thread's counters and circuits reach the API
 * thread's /metrics and /v1/providers, new messages wake the thread at once, and SIGTERM lets the
 * thread finish before the process exits. TIDINGS_DISPATCH_THREAD=off dispatches in the API thread.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio/index.js';
import { freePort, TEST_KEY } from '../support/harness.js';
import { spawnTidings, waitForHttp, type TidingsProcess } from '../support/process.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

const SID = `AC${'d7'.repeat(16)}`;
const TOKEN = 'dispatch-thread-token-0123456789';
const TOTAL = 2_000;

interface Server {
  url: string;
  p: TidingsProcess;
}

async function start(fake: FakeTwilio, extra: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'tidings-thread-'));
  const url = `http://127.0.0.1:${port}`;
  const p = spawnTidings(
    ['serve'],
    {
      TIDINGS_DATABASE_URL: `sqlite:${join(dir, 'tidings.db')}`,
      TIDINGS_API_KEY: TEST_KEY,
      TIDINGS_HOST: '127.0.0.1',
      TIDINGS_PORT: String(port),
      TIDINGS_PUBLIC_URL: url,
      TIDINGS_LOG_LEVEL: 'warn',
      TIDINGS_DUPLICATE_WINDOW: 'off',
      TIDINGS_ALLOW_HTTP_WEBHOOKS: '1',
      TIDINGS_ALLOW_PRIVATE_WEBHOOKS: '1',
      TIDINGS_PROVIDERS: `twilio://${SID}:${TOKEN}@+15005550006?baseUrl=${encodeURIComponent(fake.url)}`,
      ...extra,
    },
    dir,
  );
  await waitForHttp(`${url}/readyz`, 30_000).catch((err: unknown) => {
    throw new Error(`tidings did not become ready:\n${p.output()}`, { cause: err });
  });
  return { url, p };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test reads a few fields of several shapes
type Json = any;

async function api(s: Server, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TEST_KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
}

async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(s: Server): Promise<number | null> {
  s.p.child.kill('SIGTERM');
  const timer = setTimeout(() => s.p.child.kill('SIGKILL'), 20_000);
  const code = await s.p.exited;
  clearTimeout(timer);
  return code;
}

/** The value of a counter line of /metrics (summed over its labels), 0 when absent. */
function counter(metrics: string, name: string): number {
  return metrics
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

describe('serve dispatches on its own thread (SQLite file)', () => {
  let fake: FakeTwilio;
  let server: Server;

  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: SID, authToken: TOKEN, latencyMs: 5, callbackDelayMs: 20 });
    server = await start(fake);
  }, 60_000);

  afterAll(async () => {
    if (server && server.p.child.exitCode === null) await stop(server);
    await fake?.close();
  });

  it('says so in its banner', () => {
    expect(server.p.output()).toContain('dispatched on its own thread');
  });

  it('sends and delivers every message once, and the thread is told of each new one', async () => {
    const bodies = Array.from({ length: TOTAL }, (_, i) => `thread-${i}`);
    for (let b = 0; b < TOTAL; b += 500) {
      const res = await api(server, 'POST', '/v1/messages/batch', {
        messages: bodies.slice(b, b + 500).map((body, i) => ({ to: `+1415555${1000 + b + i}`, body })),
      });
      expect(res.status).toBe(202);
      expect(res.body.accepted).toBe(500);
    }
    await until(
      'every message sent',
      async () => fake.messages.filter((m) => m.body.startsWith('thread-')).length >= TOTAL,
    );
    const seen = new Map<string, number>();
    for (const m of fake.messages) seen.set(m.body, (seen.get(m.body) ?? 0) + 1);
    expect(bodies.filter((b) => seen.get(b) !== 1)).toEqual([]);
    // A message after an idle spell is sent at once, not at the thread's next idle poll (up to 1 s
    // away): five in a row within 400 ms each would happen by luck about once in a hundred runs.
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 700 + i * 90));
      const before = Date.now();
      const one = await api(server, 'POST', '/v1/messages', { to: '+14155550999', body: `wake-up-${i}` });
      expect(one.status).toBe(202);
      await until('the single message sent', async () => fake.messages.some((m) => m.body === `wake-up-${i}`), 5_000);
      expect(Date.now() - before).toBeLessThan(400);
    }
  }, 90_000);

  it("shows the thread's sends and status changes in /metrics, added to the API thread's accepts", async () => {
    await until('delivery reports applied', async () => {
      const text = (await api(server, 'GET', '/metrics')).body as string;
      return counter(text, 'tidings_message_status_total') >= TOTAL;
    });
    const text = (await api(server, 'GET', '/metrics')).body as string;
    expect(counter(text, 'tidings_messages_accepted_total')).toBe(TOTAL + 5);
    expect(counter(text, 'tidings_messages_sent_total')).toBe(TOTAL + 5);
    expect(counter(text, 'tidings_provider_send_duration_seconds_count')).toBe(TOTAL + 5);
    // One line per series: the API thread's and the thread's were merged, not listed twice.
    const sentLines = text.split('\n').filter((l) => l.startsWith('tidings_messages_sent_total{'));
    expect(sentLines).toHaveLength(1);
    expect(text).toMatch(/^tidings_queue_depth 0$/m);
    // Process-wide counters come from the API thread alone: the thread's would count the process twice.
    const reported = counter(text, 'process_cpu_seconds_total');
    const stat = readFileSync(`/proc/${server.p.child.pid}/stat`, 'utf8');
    // Fields after the command's closing parenthesis start at field 3; utime and stime are 14 and 15.
    const [utime = 0, stime = 0] = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .slice(11, 13)
      .map(Number);
    const actual = (utime + stime) / 100; // clock ticks of 10 ms
    expect(reported).toBeGreaterThan(0);
    expect(reported).toBeLessThanOrEqual(actual + 0.5);
  });

  it("sends the webhooks of events the API thread stores at once, from the thread's delivery loop", async () => {
    const receiver = await startWebhookReceiver();
    try {
      const hook = await api(server, 'POST', '/v1/webhooks', {
        url: `${receiver.url}/hook`,
        eventTypes: ['message.delivered'],
      });
      expect(hook.status).toBe(201);
      // Twilio's delivery callback reaches the API thread, which stores the webhook delivery; the
      // thread's loop must hear of it now, not at its next poll (up to 1 s): five in a row within
      // 400 ms each would happen by luck about once in a hundred runs.
      for (let i = 0; i < 5; i++) {
        await new Promise((r) => setTimeout(r, 600 + i * 110));
        const before = Date.now();
        const sent = await api(server, 'POST', '/v1/messages', { to: '+14155550990', body: `hooked-${i}` });
        expect(sent.status).toBe(202);
        await until('the delivered webhook', async () => receiver.accepted().length > i, 5_000);
        expect(Date.now() - before).toBeLessThan(400);
      }
      await api(server, 'DELETE', `/v1/webhooks/${hook.body.id as string}`);
    } finally {
      await receiver.close();
    }
  }, 30_000);

  it('a number suppressed through the API is not sent a message already queued for it', async () => {
    // The thread refreshes its copy of the list every 5 s on its own; told at once, it never sends
    // these. Three in a row slipping through without being told would happen about once in 30 runs.
    for (let i = 0; i < 3; i++) {
      const to = `+1415555097${i}`;
      const sendAt = new Date(Date.now() + 1_000).toISOString();
      const queued = await api(server, 'POST', '/v1/messages', { to, body: `suppressed-${i}`, sendAt });
      expect(queued.status).toBe(202);
      const put = await api(server, 'PUT', `/v1/suppressions/${encodeURIComponent(to)}`, {
        reason: 'opted_out',
      });
      expect(put.status).toBe(200);
      await until('the message settled', async () => {
        const m = await api(server, 'GET', `/v1/messages/${queued.body.id as string}`);
        return m.body.status === 'failed';
      });
      const m = await api(server, 'GET', `/v1/messages/${queued.body.id as string}`);
      expect(m.body.error).toMatchObject({ code: 'recipient_suppressed' });
      expect(fake.messages.some((f) => f.body === `suppressed-${i}`)).toBe(false);
    }
  }, 30_000);

  it("a term banned through the API is refused in the thread's campaign rows at once", async () => {
    // The thread's campaign runner checks rows against its own copy of the list, which it reloads
    // every 10 s on its own: told at once, it refuses every row.
    const template = await api(server, 'PUT', '/v1/templates/thread-promo', {
      body: 'Hi {{ name }}, tonight at the casino',
      purpose: 'transactional',
    });
    expect(template.status).toBeLessThan(300);
    const created = await api(server, 'POST', '/v1/campaigns', {
      template: 'thread-promo',
      purpose: 'transactional',
      rate: 1_000,
      recipients: [0, 1, 2].map((i) => ({ to: `+1415555096${i}`, data: { name: `G${i}` } })),
      start: false,
    });
    expect(created.status).toBe(201);
    const banned = await api(server, 'PUT', '/v1/banned-words', { terms: [{ term: 'casino' }] });
    expect(banned.status).toBe(200);
    const id = created.body.id as string;
    expect((await api(server, 'POST', `/v1/campaigns/${id}/start`)).status).toBe(200);
    await until(
      'the campaign done',
      async () => (await api(server, 'GET', `/v1/campaigns/${id}`)).body.status === 'completed',
    );
    const done = await api(server, 'GET', `/v1/campaigns/${id}`);
    expect(done.body.recipients).toMatchObject({ accepted: 0, refused: 3 });
    expect(fake.messages.some((m) => m.body.includes('casino'))).toBe(false);
    await api(server, 'PUT', '/v1/banned-words', { terms: [] });
  }, 30_000);

  it("a template saved through the API is what the thread's next campaign renders", async () => {
    // The thread caches which version is current for 2 s; a campaign just run has it cached.
    const save = (body: string) =>
      api(server, 'PUT', '/v1/templates/thread-notice', { body, purpose: 'transactional' });
    const campaign = async (n: number) => {
      const created = await api(server, 'POST', '/v1/campaigns', {
        template: 'thread-notice',
        purpose: 'transactional',
        rate: 1_000,
        recipients: [{ to: `+1415555098${n}`, data: { name: `N${n}` } }],
      });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      await until(
        `campaign ${n} done`,
        async () => (await api(server, 'GET', `/v1/campaigns/${id}`)).body.status === 'completed',
      );
    };
    expect((await save('Hi {{ name }}, notice one')).status).toBeLessThan(300);
    await campaign(1);
    expect((await save('Hi {{ name }}, notice two')).status).toBeLessThan(300);
    await campaign(2);
    await until('both sent', async () => fake.messages.filter((m) => m.body.startsWith('Hi N')).length >= 2);
    expect(fake.messages.find((m) => m.body.startsWith('Hi N2'))?.body).toBe('Hi N2, notice two');
  }, 30_000);

  it("shows the thread's circuits on /v1/providers", async () => {
    await until('the circuits reported', async () => {
      const res = await api(server, 'GET', '/v1/providers');
      const twilio = (res.body.data as Array<{ recentSends: number; latencyP50Ms: number | null }>)[0];
      return (twilio?.recentSends ?? 0) > 0 && twilio?.latencyP50Ms !== null;
    });
  });

  it('stops on SIGTERM with the thread, exit code 0', async () => {
    await api(server, 'POST', '/v1/messages', { to: '+14155550998', body: 'last one' });
    expect(await stop(server)).toBe(0);
    expect(server.p.output()).not.toMatch(/stopped unexpectedly|shutdown failed/);
  }, 30_000);

  it('with TIDINGS_DISPATCH_THREAD=off dispatches in the API thread', async () => {
    const inline = await start(fake, { TIDINGS_DISPATCH_THREAD: 'off' });
    try {
      expect(inline.p.output()).not.toContain('dispatched on its own thread');
      const res = await api(inline, 'POST', '/v1/messages', { to: '+14155550997', body: 'inline' });
      expect(res.status).toBe(202);
      await until('the inline message sent', async () => fake.messages.some((m) => m.body === 'inline'), 10_000);
    } finally {
      expect(await stop(inline)).toBe(0);
    }
  }, 60_000);
});
