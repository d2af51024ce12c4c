/**
 * @module bench/children/fake-twilio
 * The fake Twilio in a process of its own, so that its CPU (HTTP, JSON, signed callbacks) is not
 * charged to the benchmark's load generator or measured as Tidings' cost. Started by the harness
 * with `fork()`: it says `ready` with its URL, answers `stats` requests, and exits when told to
 * (SIGTERM) or when the harness goes away (IPC disconnect).
 */
import { startFakeTwilio } from '../../test/fakes/twilio/index.js';
import { isStatsRequest, type FakeTwilioChildOptions, type ReadyMessage, type StatsReply } from './protocol.js';

const opts = JSON.parse(process.argv[2] ?? '{}') as FakeTwilioChildOptions;
const fake = await startFakeTwilio({
  accountSid: opts.accountSid,
  authToken: opts.authToken,
  latencyMs: opts.latencyMs,
  callbackDelayMs: opts.callbackDelayMs,
  maxStored: opts.maxStored,
});

function stats(bodyPrefix: string): StatsReply {
  const copies = new Map<string, number>();
  let creates = 0;
  for (const m of fake.messages) {
    if (!m.body.startsWith(bodyPrefix)) continue;
    creates++;
    copies.set(m.body, (copies.get(m.body) ?? 0) + 1);
  }
  let duplicateBodies = 0;
  for (const n of copies.values()) if (n > 1) duplicateBodies++;
  return {
    type: 'stats',
    creates,
    distinctBodies: copies.size,
    duplicateBodies,
    requests: fake.requests,
    aborted: fake.aborted,
    callbacks: fake.callbacks.length,
    callbacksFailed: fake.callbacks.filter((c) => c.httpStatus === null || c.httpStatus >= 300).length,
  };
}

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  await fake.close().catch(() => undefined);
  process.exit(0);
}

process.on('message', (m) => {
  if (isStatsRequest(m)) process.send?.(stats(m.bodyPrefix));
});
process.on('disconnect', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
process.send?.({ type: 'ready', url: fake.url } satisfies ReadyMessage);
