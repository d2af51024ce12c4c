/**
 * @module test/conformance/providers.test
 * One suite every adapter runs, against its own fake, built from its URL through the registry as
 * the application builds it: identity, masked configuration, a send, aborts and timeouts, each
 * class of failure with the vendor's code kept, credentials, callbacks, close. What an adapter
 * cannot do by protocol its fixture declares, and the suite names it in the test title.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/core/provider-error.js';
import type { StatusEvent } from '../../src/core/status-event.js';
import type { OutboundMessage, Provider, ProviderContext } from '../../src/ports/provider.js';
import { createProvider, PROVIDER_SCHEMES } from '../../src/providers/registry.js';
import { captureLogger } from '../support/provider-test-kit.js';
import { startCallbackReceiver, type CallbackReceiver } from './callback-receiver.js';
import { FIXTURES } from './fixtures/index.js';
import { isSupported, type RunningFixture, type Support } from './fixtures/types.js';

/** A send's outcome, however it ended, and how long it took. */
async function attempt(provider: Provider, msg: OutboundMessage, signal = new AbortController().signal) {
  const started = performance.now();
  const error = await provider.send(msg, signal).then(
    () => null,
    (e: unknown) => e,
  );
  return { error, ms: performance.now() - started };
}

function expectProviderError(error: unknown): ProviderError {
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The test title, with the fixture's reason when the capability is not there. */
function title(what: string, support: Support): string {
  return isSupported(support) ? what : `${what} — not applicable: ${support.unsupported}`;
}

function required<T>(hook: T | undefined, what: string): T {
  if (hook === undefined) throw new Error(`the fixture declares ${what} supported but gives no hook for it`);
  return hook;
}

describe.each(FIXTURES)('$scheme adapter conformance', (fx) => {
  let receiver: CallbackReceiver;
  let running: RunningFixture;
  let provider: Provider;
  const reports: StatusEvent[] = [];
  const logLines: string[] = [];
  const extra: Provider[] = [];

  const logger = captureLogger(logLines);
  const ctx = (): ProviderContext => ({
    publicUrl: receiver.publicUrl,
    reportStatus: (_id, events) => void reports.push(...events),
    logger,
    clock: { now: () => Date.now() },
  });
  /** Another provider on the same fake (wrong secret, short timeout), closed after the test. */
  const another = async (url: string): Promise<Provider> => {
    const p = await createProvider(url, ctx());
    extra.push(p);
    return p;
  };
  const sendCount = async () => (await running.sends()).length;

  beforeAll(async () => {
    receiver = await startCallbackReceiver();
    running = await fx.start({ publicUrl: receiver.publicUrl, callbacks: receiver, reports });
    provider = await createProvider(running.url(), ctx());
  });
  afterEach(async () => {
    running.reset();
    await Promise.all(extra.splice(0).map((p) => p.close?.()));
  });
  afterAll(async () => {
    await provider?.close?.();
    await running?.stop();
    await receiver?.close();
  });

  it('is `<kind>:<name>`, of the kind its URL scheme names, on its channel', () => {
    const scheme = new URL(running.url()).protocol.replace(/:$/, '');
    expect(scheme).toBe(fx.scheme);
    expect(PROVIDER_SCHEMES).toContain(scheme);
    expect(provider.kind).toBe(fx.kind);
    expect(scheme === 'smtps' ? 'smtp' : scheme).toBe(provider.kind);
    expect(provider.id).toBe(`${fx.kind}:${fx.name}`);
    expect(provider.channel).toBe(fx.channel);
  });

  it('describe() prints its URL without the secrets', () => {
    const text = provider.describe();
    expect(text.startsWith(`${fx.scheme}://`)).toBe(true);
    for (const secret of running.secrets) expect(text).not.toContain(secret);
  });

  it('a send resolves with the provider id, and the fake recorded exactly that one send', async () => {
    const before = await sendCount();
    const result = await provider.send(running.message(), new AbortController().signal);
    expect(result.providerMessageId).toEqual(expect.any(String));
    expect(result.providerMessageId.length).toBeGreaterThan(0);
    const records = (await running.sends()).slice(before);
    expect(records).toHaveLength(1);
    const [record] = records;
    if (isSupported(fx.supports.addressLog)) expect(record?.to).toBe(running.address);
    if (record?.providerMessageId !== null) expect(record?.providerMessageId).toBe(result.providerMessageId);
  });

  it('an already aborted signal → transient ProviderError at once, and nothing sent', async () => {
    const before = await sendCount();
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    const { error, ms } = await attempt(provider, running.message(), controller.signal);
    expect(ms).toBeLessThan(1_000);
    expect(expectProviderError(error)).toMatchObject({ kind: 'transient', retryable: true });
    await sleep(100);
    expect(await sendCount()).toBe(before);
  });

  it('an abort while the request is underway → transient ProviderError at once', async () => {
    const slowMs = 600;
    const controller = new AbortController();
    const sending = attempt(provider, running.slow(slowMs), controller.signal);
    await sleep(150);
    const aborted = performance.now();
    controller.abort(new Error('deadline'));
    const { error } = await sending;
    expect(performance.now() - aborted).toBeLessThan(1_000);
    expect(expectProviderError(error)).toMatchObject({ kind: 'transient', retryable: true });
    // A mail server delivers what it already had: let it, so that it lands in no other test.
    await running.settle?.();
  });

  it('a server-side failure → retryable (transient or unavailable), with the vendor code', async () => {
    const fault = running.serverError();
    const err = expectProviderError((await attempt(provider, fault.message)).error);
    expect(['transient', 'unavailable']).toContain(err.kind);
    expect(err.retryable).toBe(true);
    expect(err.providerCode).toBe(fault.providerCode);
  });

  if (isSupported(fx.supports.throttle))
    it(title('a throttle answer → rate_limited, with the vendor code', fx.supports.throttle), async () => {
      const fault = required(running.throttle, 'throttle')();
      const err = expectProviderError((await attempt(provider, fault.message)).error);
      expect(err).toMatchObject({ kind: 'rate_limited', retryable: true, providerCode: fault.providerCode });
    });

  it('an invalid recipient → invalid_recipient, never retried, with the vendor code', async () => {
    const fault = running.invalidRecipient();
    const err = expectProviderError((await attempt(provider, fault.message)).error);
    expect(err).toMatchObject({ kind: 'invalid_recipient', retryable: false, providerCode: fault.providerCode });
  });

  if (isSupported(fx.supports.auth)) {
    it('a wrong secret → auth, with the vendor code', async () => {
      const wrong = await another(running.url({ wrongSecret: true }));
      const err = expectProviderError((await attempt(wrong, running.message())).error);
      expect(err).toMatchObject({ kind: 'auth', retryable: false, providerCode: running.wrongSecretCode ?? null });
    });
  } else {
    it(title('a wrong secret → auth', fx.supports.auth), () => {
      // Nothing to get wrong: the URL carries no secret at all.
      expect(running.secrets).toEqual([]);
      expect(new URL(running.url()).password).toBe('');
    });
  }

  if (isSupported(fx.supports.timeout))
    it(title("no answer within the adapter's own timeout → transient", fx.supports.timeout), async () => {
      // The budget runs from connect to last byte on a timer of its own: it ends on time, not at
      // the next tick of undici's coarse header and body timers (half a second late or more).
      const slowMs = 2_500;
      const timeoutMs = 200;
      const impatient = await another(running.url({ timeoutMs }));
      const { error, ms } = await attempt(impatient, running.slow(slowMs));
      expect(expectProviderError(error)).toMatchObject({ kind: 'transient', retryable: true });
      expect(ms).toBeGreaterThanOrEqual(timeoutMs - 20);
      expect(ms).toBeLessThan(timeoutMs + 300);
      await running.settle?.();
    });

  if (isSupported(fx.supports.drop))
    it(
      title('a connection dropped before the answer → retryable, with the network code', fx.supports.drop),
      async () => {
        const msg = required(running.dropNext, 'drop')();
        const err = expectProviderError((await attempt(provider, msg)).error);
        expect(err.retryable).toBe(true);
        // The network error's own code, so an operator sees what happened on the wire.
        expect(err.providerCode).toEqual(expect.any(String));
      },
    );

  if (isSupported(fx.supports.webhook)) {
    it("the fake's callback verifies and parses to the send's id; a forged one does not verify", async () => {
      const hook = provider.statusWebhook;
      expect(hook).toBeDefined();
      const sent = await provider.send(running.message(), new AbortController().signal);
      const genuine = await required(running.callbackFor, 'webhook')(sent.providerMessageId);
      expect(hook?.verify(genuine)).toBe(true);
      const events = hook?.parse(genuine) ?? [];
      expect(events.length).toBeGreaterThan(0);
      expect(events.map((e) => e.providerMessageId)).toContain(sent.providerMessageId);
      const forged = required(running.forge, 'webhook forgery')(genuine);
      expect(forged).not.toEqual(genuine);
      expect(hook?.verify(forged)).toBe(false);
    });
  } else {
    it(title('delivery callbacks verify and parse', fx.supports.webhook), () => {
      expect(provider.statusWebhook).toBeUndefined();
    });
  }

  it('close() resolves, and a second close() does not throw', async () => {
    const p = await createProvider(running.url(), ctx());
    await p.send(running.message(), new AbortController().signal);
    expect(p.close).toBeTypeOf('function');
    await expect(p.close?.()).resolves.toBeUndefined();
    await expect(p.close?.()).resolves.toBeUndefined();
  });

  it('never logged a secret or the full address', () => {
    const written = logLines.join('\n');
    for (const secret of running.secrets) expect(written).not.toContain(secret);
    expect(written).not.toContain(running.address);
  });
});
