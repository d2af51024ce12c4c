/**
 * @module bench/scenarios/end-to-end
 * Scenario 4: N messages accepted in batches, then timed until every one is `sent` through the real
 * Twilio adapter against the fake Twilio (in its own process) answering after 100 ms. Throughput is
 * N over first request to last `sent` event; latency is each message's accept-to-sent, read back
 * from the API. The fake's log proves nothing was lost or sent twice (every body is unique).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiClient } from '../lib/api.js';
import { feedBatches } from '../lib/batches.js';
import { CpuMeter, describeCores } from '../lib/cpu.js';
import { startFakeTwilioProcess } from '../lib/helpers.js';
import { readBack } from '../lib/readback.js';
import type { TidingsProcess } from '../lib/tidings.js';
import { summarize } from '../lib/stats.js';
import { Reminders } from '../lib/traffic.js';
import type { Check, Scenario } from './types.js';
import { withTidings } from './with-tidings.js';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'bench0123456789abcdef0123456789ab';
/** Twilio's magic "valid sender" test number. */
const FROM = '+15005550006';
const BATCH = 1_000;
/** "No callbacks during the run": the fake holds them back this long, and is stopped first. */
const HELD_BACK_MS = 3_600_000;

/**
 * Tidings' own count of sent messages, summed over the processes that dispatch (each counts its
 * own); a failed scrape is retried unless a process is gone.
 */
async function sentSoFar(meters: ApiClient[], t: TidingsProcess): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const counts = await Promise.all(meters.map((m) => m.metric('tidings_messages_sent_total')));
      return counts.reduce((a, b) => a + b, 0);
    } catch (err) {
      if (!t.alive()) throw new Error(`Tidings exited during the run:\n${t.logTail()}`, { cause: err });
      if (attempt >= 5) throw err;
      await sleep(100);
    }
  }
}

export const endToEnd: Scenario = async ({ opts, runId, scaled }) => {
  const n = opts.e2eMessages;
  const prefix = `${runId}-e2e`;
  const fake = await startFakeTwilioProcess(
    {
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      latencyMs: opts.providerLatencyMs,
      callbackDelayMs: opts.callbackDelayMs ?? HELD_BACK_MS,
      maxStored: 2 * n + 10_000,
    },
    opts.cpuProf,
  );
  // 10,000 msg/s at 100 ms a send needs over 1,000 sends in flight: more worker slots and Twilio
  // connections than the defaults (256 and 128), which suit a single Twilio account's limits.
  const extra = `&${opts.providerOptions || 'connections=1024'}`;
  const providers = `twilio://${ACCOUNT_SID}:${AUTH_TOKEN}@${FROM}?baseUrl=${encodeURIComponent(fake.url)}${extra}`;
  try {
    return await withTidings(
      {
        name: 'e2e',
        providers,
        logLevel: opts.logLevel,
        cpuProf: opts.cpuProf,
        env: { TIDINGS_WORKER_CONCURRENCY: '2048' },
        scaled,
      },
      async (t) => {
        const api = new ApiClient(t.url, t.apiKey, 8);
        const meters = t.workerUrls.map((url) => new ApiClient(url, t.apiKey, 1));
        try {
          const traffic = new Reminders(prefix);
          const bodies = Array.from({ length: Math.ceil(n / BATCH) }, (_, i) =>
            traffic.batchJson(Math.min(BATCH, n - i * BATCH)),
          );
          const ids: string[] = [];
          const cpu = new CpuMeter({ ...t.pids, fake: fake.child.process.pid ?? 0, load: process.pid });
          const t0 = Date.now();
          const timings = await feedBatches({
            api,
            concurrency: 2,
            batches: bodies.length,
            body: (i) => bodies[i] as string,
            onBatch: (_timing, answer) => {
              for (const r of answer?.results ?? []) if (r.id) ids.push(r.id);
            },
          });
          const acceptedMs = Date.now() - t0;

          const deadline = t0 + opts.e2eDeadlineS * 1000;
          let sent = 0;
          while (Date.now() < deadline) {
            sent = await sentSoFar(meters, t);
            if (sent >= ids.length) break;
            await sleep(250); // a scrape costs Tidings ~1 ms; the end time comes from the data, not from this poll
          }
          const timedOut = sent < ids.length;
          const cores = cpu.stop();
          const peak = t.memory.stop();

          const readStarted = Date.now();
          const back = await readBack(api, ids);
          const readbackMs = Date.now() - readStarted;
          const fakeStats = await fake.stats(prefix);
          const sentCount = back.acceptToSentMs.length;
          const elapsedS = Math.max(1, back.lastSentAt - t0) / 1000;
          const latency = summarize(back.acceptToSentMs);
          const failedBatches = timings.filter((b) => b.failure !== undefined);
          const checks: Check[] = [
            {
              name: 'e2e: all accepted',
              ok: ids.length === n && failedBatches.length === 0,
              detail: `${ids.length} of ${n}${failedBatches[0] ? `; ${failedBatches[0].failure}` : ''}`,
            },
            {
              name: 'e2e: nothing lost',
              ok: sentCount === n && fakeStats.distinctBodies === n,
              detail: timedOut
                ? `only ${sentCount} of ${n} sent within ${opts.e2eDeadlineS} s`
                : `${sentCount} sent per Tidings, ${fakeStats.distinctBodies} distinct texts at the fake`,
            },
            {
              name: 'e2e: no duplicates',
              ok: fakeStats.duplicateBodies === 0,
              detail: `${fakeStats.creates} creates for ${fakeStats.distinctBodies} texts`,
            },
          ];
          return {
            name: 'e2e',
            title: `end to end: ${n} via Twilio adapter, ${opts.providerLatencyMs} ms provider`,
            throughput: { value: sentCount / elapsedS, unit: 'msg/s' },
            latency: { p50: latency.p50, p99: latency.p99, max: latency.max },
            errors: `${n - sentCount} lost, ${fakeStats.duplicateBodies} dup`,
            peakRssBytes: peak,
            cores,
            notes: [
              `accepted in ${acceptedMs} ms; latency is accept-to-sent; cores: ${describeCores(cores)}`,
              ...(back.retried > 0 ? [`${back.retried} needed a retry`] : []),
              ...(timedOut ? [`timed out after ${opts.e2eDeadlineS} s`] : []),
              ...(opts.cpuProf ? ['fake Twilio profile: bench/results/profiles/fake-twilio.cpuprofile'] : []),
            ],
            checks,
            data: {
              messages: n,
              providerLatencyMs: opts.providerLatencyMs,
              providerOptions: opts.providerOptions,
              callbackDelayMs: opts.callbackDelayMs,
              acceptedMs,
              elapsedS,
              readbackMs,
              byStatus: back.byStatus,
              retried: back.retried,
              latency,
              fake: fakeStats,
              timedOut,
            },
          };
        } finally {
          await Promise.all([api, ...meters].map((c) => c.close()));
        }
      },
    );
  } finally {
    await fake.child.stop();
  }
};
