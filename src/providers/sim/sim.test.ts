import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../core/provider-error.js';
import type { StatusEvent } from '../../core/status-event.js';
import type { Logger } from '../../ports/logger.js';
import type { OutboundMessage } from '../../ports/provider.js';
import { createProvider } from '../registry.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

async function sim(url: string) {
  const reports: StatusEvent[] = [];
  const provider = await createProvider(url, {
    publicUrl: 'http://127.0.0.1:3000',
    logger: silent,
    clock: { now: () => Date.now() },
    reportStatus: (_id, events) => reports.push(...events),
  });
  return { provider, reports };
}

const msg = (to: string, attempt = 1): OutboundMessage => ({
  id: 'msg_1',
  channel: 'sms',
  to,
  from: null,
  body: 'hi',
  encoding: 'GSM-7',
  segments: 1,
  attempt,
});

describe('the simulated carrier', () => {
  it('accepts, then reports delivery after the configured delay', async () => {
    const { provider, reports } = await sim('sim://?latency=1ms&deliverAfter=30ms');
    const res = await provider.send(msg('+14155552671'), new AbortController().signal);
    expect(res.providerMessageId).toMatch(/^SIM[0-9a-f]{32}$/);
    expect(reports).toEqual([]);
    await new Promise((r) => setTimeout(r, 150));
    expect(reports).toMatchObject([{ providerMessageId: res.providerMessageId, status: 'delivered' }]);
    await provider.close?.();
  });

  it('rejects by number with a classified error and the carrier code', async () => {
    const { provider } = await sim('sim://?latency=0ms');
    const cases: Array<[string, string, string]> = [
      ['+14155550001', 'invalid_recipient', '21211'],
      ['+14155550003', 'permanent', '21408'],
      ['+14155550004', 'opted_out', '21610'],
      ['+14155550005', 'transient', '20500'],
    ];
    for (const [to, kind, code] of cases) {
      const err = await provider.send(msg(to), new AbortController().signal).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ kind, providerCode: code });
    }
    // 0005 fails only its first attempt.
    await expect(provider.send(msg('+14155550005', 2), new AbortController().signal)).resolves.toHaveProperty(
      'providerMessageId',
    );
    await provider.close?.();
  });

  it('reports undelivered with the carrier code for 0006', async () => {
    const { provider, reports } = await sim('sim://?latency=0ms&deliverAfter=10ms');
    await provider.send(msg('+14155550006'), new AbortController().signal);
    await new Promise((r) => setTimeout(r, 100));
    expect(reports).toMatchObject([{ status: 'undelivered', errorCode: '30003' }]);
    await provider.close?.();
  });

  it('hangs for 0008 until the signal aborts', async () => {
    const { provider } = await sim('sim://?latency=0ms');
    const started = Date.now();
    await expect(provider.send(msg('+14155550008'), AbortSignal.timeout(50))).rejects.toBeDefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    await provider.close?.();
  });

  it('an aborted signal stops even a send with no latency, as a transient ProviderError', async () => {
    const { provider, reports } = await sim('sim://?latency=0ms&deliverAfter=10ms');
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    const err = await provider.send(msg('+14155552671'), controller.signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind: 'transient' });
    await new Promise((r) => setTimeout(r, 60));
    expect(reports).toEqual([]);
    await provider.close?.();
  });

  it('treats every number alike with magic=off', async () => {
    const { provider } = await sim('sim://quiet?latency=0ms&magic=off');
    expect(provider.id).toBe('sim:quiet');
    await expect(provider.send(msg('+14155550001'), new AbortController().signal)).resolves.toBeDefined();
    await provider.close?.();
  });

  it('refuses an unknown scheme or a bad duration with a clear message', async () => {
    await expect(sim('carrier-pigeon://x')).rejects.toThrow(/unknown provider "carrier-pigeon"/);
    await expect(sim('sim://?latency=soon')).rejects.toThrow(/latency must be a duration/);
  });
});
