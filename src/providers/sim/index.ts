/**
 * @module providers/sim
 * The built-in simulated carrier, so a new install does its whole job with no account anywhere.
 * It answers after a configurable latency, fails or succeeds by number (see outcomes.ts), and later
 * reports delivery the way a real carrier's callback would, through the provider context.
 *
 * URL: `sim://[name]?latency=20ms&deliverAfter=500ms&magic=on&mps=10` (`mps`: the segments per
 * second it declares it can take, which the worker then paces it to, as it would a carrier).
 */
import { randomBytes } from 'node:crypto';
import { ProviderError } from '../../core/provider-error.js';
import type { StatusEvent } from '../../core/status-event.js';
import type { Provider, ProviderFactory } from '../../ports/provider.js';
import { parseDuration } from '../duration.js';
import { outcomeFor } from './outcomes.js';

interface PendingReport {
  due: number;
  event: StatusEvent;
}

/** An abort is classified as every network adapter classifies it: worth another try. */
function aborted(signal: AbortSignal): ProviderError {
  return new ProviderError('transient', 'The simulated send was aborted', { cause: signal.reason });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(aborted(signal));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort(): void {
      clearTimeout(timer);
      reject(aborted(signal));
    }
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export const createSimProvider: ProviderFactory = (url, ctx) => {
  const name = url.hostname || 'default';
  const latencyMs = parseDuration(url.searchParams.get('latency') ?? '20ms', 'latency');
  const deliverAfterMs = parseDuration(url.searchParams.get('deliverAfter') ?? '500ms', 'deliverAfter');
  const magic = url.searchParams.get('magic') !== 'off';
  const mpsParam = url.searchParams.get('mps');
  const mps = mpsParam === null ? null : Number(mpsParam);
  if (mps !== null && !(Number.isInteger(mps) && mps > 0))
    throw new Error('sim://: mps must be a positive whole number');
  const id = `sim:${name}`;
  // Ids only need to be unique: a random per-process prefix and a counter, no entropy per message.
  const idPrefix = `SIM${randomBytes(8).toString('hex')}`;
  let sequence = 0;
  let pending: PendingReport[] = [];
  let timer: NodeJS.Timeout | null = null;

  // Deliveries are reported in batches on one timer, as a carrier's DLR feed would arrive.
  function flushDue(): void {
    const now = ctx.clock.now();
    const due = pending.filter((p) => p.due <= now);
    pending = pending.filter((p) => p.due > now);
    if (due.length > 0)
      ctx.reportStatus(
        id,
        due.map((p) => p.event),
      );
    if (pending.length === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  }

  function report(event: StatusEvent): void {
    pending.push({ due: event.at, event });
    timer ??= setInterval(flushDue, Math.max(10, Math.min(100, deliverAfterMs)));
  }

  const provider: Provider = {
    id,
    kind: 'sim',
    channel: 'sms',
    // Delivery is reported in-process, through ctx.reportStatus.
    capabilities: { deliveryReports: true, ...(mps !== null ? { maxPerSecond: mps } : {}) },
    async send(msg, signal) {
      // Even with no latency to wait out: an aborted send must not go out.
      if (signal.aborted) throw aborted(signal);
      const outcome = magic ? outcomeFor(msg.to, msg.attempt) : ({ type: 'deliver' } as const);
      if (outcome.type === 'hang') {
        await sleep(2 ** 31 - 1, signal);
      }
      if (latencyMs > 0) await sleep(latencyMs, signal);
      if (outcome.type === 'reject') {
        throw new ProviderError(outcome.kind, outcome.message, { providerCode: outcome.code });
      }
      const providerMessageId = `${idPrefix}${(++sequence).toString(16).padStart(16, '0')}`;
      const at = ctx.clock.now() + deliverAfterMs;
      report(
        outcome.type === 'undeliverable'
          ? {
              providerMessageId,
              status: outcome.status,
              errorCode: outcome.code,
              errorMessage: outcome.message,
              at,
              detail: {},
            }
          : { providerMessageId, status: 'delivered', errorCode: null, errorMessage: null, at, detail: {} },
      );
      return { providerMessageId, status: 'sent' };
    },
    describe: () =>
      `sim://${name}?latency=${latencyMs}ms&deliverAfter=${deliverAfterMs}ms&magic=${magic ? 'on' : 'off'}${mps !== null ? `&mps=${mps}` : ''}`,
    async close() {
      if (timer) clearInterval(timer);
      timer = null;
      pending = [];
    },
  };
  return provider;
};
