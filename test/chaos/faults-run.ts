/**
 * @module test/chaos/faults-run
 * Provider faults in bursts: Tidings (in this process, the test harness's runtime) sends through one
 * or two fake Twilios while a schedule queues bursts of faults on them: answers slower than our send
 * timeout (the fake still takes the message), 500 and 503, 429 with Retry-After, connection resets,
 * truncated JSON. When every message is final, each is checked against the fakes' logs:
 * - `sent` exactly when a fake took it; a fake took a `failed` one only during a slow answer;
 * - taken twice only when an earlier copy was taken during a slow answer (a possible duplicate,
 *   counted and reported: the answer never reached us, so we could not know);
 * - after a 429 with Retry-After, the same fake saw no new attempt of that text before it passed.
 * Shared by `npm run chaos:faults` and faults.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFakeTwilio, twilioErrors, type FakeError, type FakeTwilio } from '../fakes/twilio/index.js';
import { startTidings } from '../support/harness.js';

export type FaultKind = 'slow' | '500' | '503' | '429' | 'reset' | 'malformed';
export const FAULT_KINDS: readonly FaultKind[] = ['slow', '500', '503', '429', 'reset', 'malformed'];

export interface FaultRunOptions {
  messages: number;
  providers: 1 | 2;
  /** Faults per burst (each strikes one create). */
  burst?: number;
  /** Clean creates between two bursts. */
  gap?: number;
  retryAfterS?: number;
  log?(line: string): void;
}

export interface FaultRunResult {
  providers: number;
  messages: number;
  statuses: Record<string, number>;
  /** Faults served, by kind. */
  faults: Record<string, number>;
  bursts: number;
  /** Creates the fakes took, all copies. */
  creates: number;
  /** Messages sent by the second provider (failover). */
  viaSecond: number;
  /** Create requests the fakes received: faults that created nothing, plus creates. */
  requests: number;
  /** Taken twice, an earlier copy during a slow answer. */
  possibleDuplicates: number;
  /** `failed` in Tidings, taken by a fake during a slow answer. */
  takenButFailed: number;
  retryAfterChecked: number;
  problems: string[];
  seconds: number;
}

const sid = (i: number) => `AC${String(i).repeat(32)}`;
const TOKEN = 'fault-run-token-0123456789abcdef';

function fakeError(kind: '500' | '503' | '429', retryAfterS: number): FakeError {
  if (kind === '429') return twilioErrors.tooManyRequests(retryAfterS);
  return kind === '500'
    ? { status: 500, code: 20500, message: 'Internal Server Error' }
    : { status: 503, code: 20503, message: 'Service Unavailable' };
}

export async function runProviderFaults(opts: FaultRunOptions): Promise<FaultRunResult> {
  const log = opts.log ?? (() => {});
  const burst = opts.burst ?? 8;
  const gap = opts.gap ?? 40;
  const retryAfterS = opts.retryAfterS ?? 1;
  const prefix = `faults-${randomBytes(3).toString('hex')}`;
  const t0 = Date.now();
  const fakes: FakeTwilio[] = [];
  for (let i = 1; i <= opts.providers; i++) {
    fakes.push(
      await startFakeTwilio({ accountSid: sid(i), authToken: TOKEN, latencyMs: 5, callbackDelayMs: 3_600_000 }),
    );
  }
  const urls = fakes.map(
    (f, i) => `twilio://${sid(i + 1)}:${TOKEN}@+15005550006?baseUrl=${encodeURIComponent(f.url)}&name=fake${i + 1}`,
  );
  const t = await startTidings({
    TIDINGS_PROVIDERS: urls.join(','),
    TIDINGS_SEND_TIMEOUT: '400ms',
    TIDINGS_RETRY_MAX_ATTEMPTS: '12',
    TIDINGS_RETRY_BASE_DELAY: '100ms',
    TIDINGS_RETRY_MAX_DELAY: '2s',
    TIDINGS_CIRCUIT_HALF_OPEN_AFTER: '1s',
    TIDINGS_WORKER_CONCURRENCY: '16',
  });
  let bursts = 0;
  let injecting = true;
  const creates = () => fakes.reduce((n, f) => n + f.messages.length, 0);
  /** Until `done` or `ms` pass. */
  const until = async (done: () => boolean, ms: number) => {
    const end = Date.now() + ms;
    while (injecting && !done() && Date.now() < end) await sleep(10);
  };
  // A burst, then `gap` clean creates, then the next: every kind in turn, three rounds at most,
  // while most of the messages are still to send. Counted in requests, not time, so a fast or a slow machine both
  // meet every kind.
  const injector = (async () => {
    while (injecting && bursts < 3 * FAULT_KINDS.length && creates() < 0.9 * opts.messages) {
      // Where the traffic goes now: after a failover, the second provider has its bad moments too.
      const lastAt = (f: FakeTwilio) => f.messages[f.messages.length - 1]?.at ?? 0;
      const fake = fakes.reduce((a, b) => (lastAt(b) > lastAt(a) ? b : a));
      const kind = FAULT_KINDS[bursts % FAULT_KINDS.length]!;
      const served = fake.faultLog.length;
      if (kind === 'slow') fake.slowNext(burst, 1_000);
      else if (kind === 'reset') fake.resetNext(burst);
      else if (kind === 'malformed') fake.malformedNext(burst);
      else fake.failNext(burst, fakeError(kind, retryAfterS));
      bursts++;
      await until(() => fake.faultLog.length >= served + burst, 5_000);
      fake.clearFaults(); // what a failed-over-from provider did not meet, it does not keep
      const before = creates();
      await until(() => creates() >= before + gap, 5_000);
    }
  })();
  try {
    for (let from = 0; from < opts.messages; from += 500) {
      const messages = Array.from({ length: Math.min(500, opts.messages - from) }, (_, i) => ({
        to: `+1415555${1000 + ((from + i) % 9000)}`,
        body: `${prefix}-${from + i}`,
        reference: prefix,
      }));
      const res = await t.api('POST', '/v1/messages/batch', { messages });
      if (res.status !== 202 || res.body.accepted !== messages.length) throw new Error(`batch refused: ${res.status}`);
    }
    await injector;
    injecting = false;
    for (const f of fakes) f.clearFaults();
    log(`${bursts} bursts of ${burst} faults queued; waiting for every message to be final`);
    const views = await waitUntilFinal(t.api, prefix, opts.messages);
    return {
      ...(await judge(fakes, views, prefix, t.api)),
      providers: opts.providers,
      messages: opts.messages,
      bursts,
      seconds: (Date.now() - t0) / 1000,
    };
  } finally {
    injecting = false;
    await t.stop();
    await Promise.all(fakes.map((f) => f.close()));
  }
}

interface View {
  id: string;
  body: string;
  status: string;
}

type Api = Awaited<ReturnType<typeof startTidings>>['api'];

async function listAll(api: Api, prefix: string): Promise<View[]> {
  const out: View[] = [];
  let cursor: string | null = null;
  do {
    const page = await api('GET', `/v1/messages?reference=${prefix}&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    out.push(...(page.body.data as View[]));
    cursor = page.body.nextCursor as string | null;
  } while (cursor);
  return out;
}

const FINAL = new Set(['sent', 'delivered', 'failed', 'undelivered']);

async function waitUntilFinal(api: Api, prefix: string, total: number): Promise<View[]> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const views = await listAll(api, prefix);
    if (views.length === total && views.every((v) => FINAL.has(v.status))) return views;
    if (Date.now() > deadline) return views;
    await sleep(500);
  }
}

type Figures = Omit<FaultRunResult, 'providers' | 'messages' | 'bursts' | 'seconds'>;

async function judge(fakes: FakeTwilio[], views: View[], prefix: string, api: Api): Promise<Figures> {
  const problems: string[] = [];
  const mine = (body: string | null): body is string => body !== null && body.startsWith(`${prefix}-`);
  const statuses: Record<string, number> = {};
  for (const v of views) statuses[v.status] = (statuses[v.status] ?? 0) + 1;
  const notFinal = views.filter((v) => !FINAL.has(v.status)).length;
  if (notFinal > 0) problems.push(`${notFinal} messages not final`);

  /** Every request a fake saw for each text, in order: taken (create) or which fault. */
  type Hit = { fake: number; at: number; kind: 'taken' | FaultKind; retryAfter: number | null };
  const hits = new Map<string, Hit[]>();
  const add = (body: string, hit: Hit) => hits.set(body, [...(hits.get(body) ?? []), hit]);
  const faults: Record<string, number> = {};
  let creates = 0;
  let viaSecond = 0;
  fakes.forEach((fake, i) => {
    for (const m of fake.messages) {
      if (!mine(m.body)) continue;
      creates++;
      if (i === 1) viaSecond++;
      add(m.body, { fake: i, at: m.at, kind: 'taken', retryAfter: null });
    }
    for (const f of fake.faultLog) {
      if (!mine(f.body)) continue;
      const kind: FaultKind = f.kind === 'fail' ? (String(f.status) as FaultKind) : f.kind;
      faults[kind] = (faults[kind] ?? 0) + 1;
      // A slow answer was also taken: its copy is in `messages` already, the fault marks it.
      add(f.body, { fake: i, at: f.at, kind, retryAfter: f.retryAfter === null ? null : Number(f.retryAfter) });
    }
  });

  let possibleDuplicates = 0;
  let takenButFailed = 0;
  let retryAfterChecked = 0;
  for (const v of views) {
    const list = (hits.get(v.body) ?? []).sort((a, b) => a.at - b.at);
    const taken = list.filter((h) => h.kind === 'taken').length;
    const slow = list.filter((h) => h.kind === 'slow').length;
    const sent = v.status === 'sent' || v.status === 'delivered';
    if (sent && taken === 0) problems.push(`${v.body} is ${v.status} but no provider took it`);
    if (!sent && taken > 0) {
      if (taken <= slow) takenButFailed++;
      else problems.push(`${v.body} is ${v.status} but a provider took it and answered in time`);
    }
    if (taken > 1) {
      // Every copy but one must have been taken during an answer we had given up on: a scheduled
      // slow answer, or one the loaded machine made slow (Tidings' own events say it timed out).
      const events = JSON.stringify((await api('GET', `/v1/messages/${v.id}`)).body.events ?? []);
      const timeouts = slow + (events.match(/timed out/g)?.length ?? 0);
      if (taken - 1 <= Math.max(slow, timeouts)) possibleDuplicates++;
      else
        problems.push(`${v.body} was taken ${taken} times with ${slow} slow answers; events ${events.slice(0, 600)}`);
    }
    list.forEach((h, k) => {
      if (h.kind !== '429' || h.retryAfter === null) return;
      const next = list.slice(k + 1).find((later) => later.fake === h.fake);
      if (!next) return;
      retryAfterChecked++;
      // 50 ms of slack: the fake stamps the 429 when it writes it, the retry after it is read.
      if (next.at < h.at + h.retryAfter * 1000 - 50) {
        problems.push(
          `${v.body}: retried on fake ${h.fake + 1} ${next.at - h.at} ms after a 429 with Retry-After ${h.retryAfter} s`,
        );
      }
    });
  }
  const faulted = Object.values(faults).reduce((a, b) => a + b, 0);
  const slowTaken = faults['slow'] ?? 0;
  return {
    statuses,
    faults,
    creates,
    viaSecond,
    requests: faulted - slowTaken + creates,
    possibleDuplicates,
    takenButFailed,
    retryAfterChecked,
    problems: problems.slice(0, 20).concat(problems.length > 20 ? [`… and ${problems.length - 20} more`] : []),
  };
}
