/**
 * @module app/dispatch-message
 * The worker's job handler: route a message, send it through a provider's circuit breaker under a
 * timeout, and turn the result into the next step. The provider's classified error kind decides:
 * retry (on the next provider of the route when there is one, promptly), or give up and record
 * why. Attempt n goes to the n-th provider of the route that is in rotation, so a transient
 * failure moves a message on to the next provider, and a provider whose circuit is open is skipped
 * until a probe shows it has recovered. Shutdown (the queue's signal aborting) hands the job back
 * unrecorded.
 */
import { performance } from 'node:perf_hooks';
import { waitsForCircuit } from './circuit-wait.js';
import { ProviderError, isProviderError } from '../core/provider-error.js';
import { decideRetry } from '../core/retry.js';
import { routeFor, stickySender } from '../core/routing.js';
import { DEFAULT_LOCALE } from '../core/template.js';
import { countryOf } from '../content/phone.js';
import type { Job, JobHandler, JobOutcome } from '../ports/job-queue.js';
import type { OutboundMessage, Provider } from '../ports/provider.js';
import type { AppDeps } from './deps.js';
import { publish, statusEvent } from './publish-events.js';

const DONE: JobOutcome = { type: 'done' };
/** A retry that moves to another provider need not wait out the backoff meant for the failing one. */
const FAILOVER_DELAY_MS = 200;
/** Kinds that say the provider, not the message, is the problem: another provider may succeed. */
const PROVIDER_LEVEL = new Set(['transient', 'rate_limited', 'unavailable', 'auth']);

function classify(err: unknown, timedOut: boolean): ProviderError {
  if (isProviderError(err)) return err;
  if (timedOut) return new ProviderError('transient', 'the provider did not answer in time', { cause: err });
  // An adapter that throws something unclassified has a bug; retry rather than drop the message.
  return new ProviderError('transient', err instanceof Error ? err.message : String(err), { cause: err });
}

/** The message as a provider sees it; template-only carriers also get the template's registered ids. */
async function outbound(deps: AppDeps, job: Job): Promise<OutboundMessage> {
  const { template, fallback: _fallback, contacts, ...data } = job.data;
  const push = data.channel === 'push' ? (contacts?.push ?? null) : null;
  if (template === null) return { id: job.id, attempt: job.attempt, ...data, push, template: null };
  const ready = await deps.templates.version(template.name, template.version);
  return {
    id: job.id,
    attempt: job.attempt,
    ...data,
    push,
    locale: template.locale === DEFAULT_LOCALE ? null : template.locale,
    template: {
      name: template.name,
      version: template.version,
      data: template.data,
      providerTemplates: ready?.def.providerTemplates ?? {},
    },
  };
}

/** Providers that may carry this message, in route order. */
function route(deps: AppDeps, msg: OutboundMessage): Provider[] {
  const needsCountry = deps.routing.rules.some((r) => r.countries !== null);
  const country = needsCountry && (msg.channel === 'sms' || msg.channel === 'voice') ? countryOf(msg.to) : null;
  const ids = routeFor(deps.routing, deps.providers, { id: msg.id, channel: msg.channel, country });
  const out: Provider[] = [];
  for (const id of ids) {
    const p = deps.providers.find((c) => c.id === id);
    if (p && p.canCarry?.(msg) !== false) out.push(p);
  }
  return out;
}

/** The provider for this attempt: the attempt-th of the route, skipping those out of rotation. */
function pick(
  deps: AppDeps,
  candidates: Provider[],
  attempt: number,
): { provider: Provider; next: Provider | null } | null {
  const n = candidates.length;
  const start = (attempt - 1) % n;
  let provider: Provider | null = null;
  let next: Provider | null = null;
  for (let i = 0; i < n; i++) {
    const c = candidates[(start + i) % n]!;
    if (!deps.health.available(c.id)) continue;
    if (!provider) provider = c;
    else if (!next) next = c;
  }
  return provider ? { provider, next } : null;
}

export function createDispatcher(deps: AppDeps): JobHandler {
  const { store, clock, logger, metrics, settings } = deps;

  async function fail(job: Job, provider: string, error: ProviderError, attempt: number, retryInMs: number | null) {
    const at = clock.now();
    if (retryInMs === null && job.data.fallback.length > 0) {
      // Final on this channel, but the caller gave another: record the attempt and move on, in one write.
      const moved = await store.fallBack([
        {
          id: job.id,
          at,
          reason: {
            trigger: 'failed',
            provider,
            attempt,
            kind: error.kind,
            errorCode: error.providerCode,
            errorMessage: error.message,
          },
        },
      ]);
      for (const m of moved) metrics.fellBack(m.from, m.to);
      publish(
        deps,
        moved.map((m) => ({ type: 'message.fallback', at, data: { messageId: m.id, from: m.from, to: m.to } })),
      );
      if (moved.length > 0) {
        deps.queue.announce(moved.map((m) => m.id));
        return;
      }
    }
    await store.recordFailure({
      id: job.id,
      provider,
      attempt,
      at,
      kind: error.kind,
      errorCode: error.providerCode,
      errorMessage: error.message,
      ...(retryInMs !== null ? { retryAt: at + retryInMs } : {}),
    });
    if (retryInMs === null) {
      publish(deps, [
        statusEvent('failed', at, {
          messageId: job.id,
          channel: job.data.channel,
          provider,
          error: { kind: error.kind, code: error.providerCode, message: error.message },
        }),
      ]);
    }
  }

  return async function dispatch(job: Job, signal: AbortSignal): Promise<JobOutcome> {
    const msg = await outbound(deps, job);
    const byPhone = msg.channel === 'sms' || msg.channel === 'voice';
    const suppressed = byPhone ? deps.suppressions.blocks(msg.to, job.data.purpose) : null;
    if (suppressed !== null) {
      // Suppressed after acceptance (a STOP while it waited, or a number found invalid): it wins.
      const kind = suppressed === 'invalid' ? 'invalid_recipient' : 'opted_out';
      const error = new ProviderError(kind, `the number was suppressed (${suppressed}) before this send`, {
        providerCode: 'recipient_suppressed',
      });
      await fail(job, 'none', error, job.attempt, null);
      return DONE;
    }
    const candidates = route(deps, msg);
    if (candidates.length === 0) {
      const error = new ProviderError('permanent', `no provider can carry this ${msg.channel} message`, {
        providerCode: 'channel_unavailable',
      });
      await fail(job, 'none', error, job.attempt, null);
      return DONE;
    }
    const chosen = pick(deps, candidates, job.attempt);
    if (!chosen && waitsForCircuit(job.id, deps.clock.now(), deps.healthOptions.waitMaxMs)) {
      // Nothing was tried: wait for the probe window as a deferral, which spends no attempt, so a
      // burst of faults cannot use up the retry budget of messages that never reached a provider.
      return { type: 'defer', delayMs: Math.round(deps.healthOptions.halfOpenAfterMs * (0.5 + deps.random())) };
    }
    if (!chosen) {
      // Every provider of the route is out of rotation: wait for a probe window, not the full backoff.
      const error = new ProviderError('unavailable', 'every provider for this message is out of rotation', {
        providerCode: 'circuit_open',
        retryAfterMs: deps.healthOptions.halfOpenAfterMs,
      });
      const decision = decideRetry(error, job.attempt, settings.retry, deps.random);
      await fail(job, candidates[0]!.id, error, job.attempt, decision.retry ? decision.delayMs : null);
      return decision.retry ? { type: 'retry', delayMs: decision.delayMs } : DONE;
    }
    const { provider, next } = chosen;
    if (msg.from === null) msg.from = stickySender(deps.routing, provider.id, msg.to);
    // Over a daily cap, a warm-up allowance or the sender's pace: wait, without spending an attempt.
    const paced = await deps.protection.pacer.admit(provider, msg.from, msg.segments, signal);
    if (paced.type === 'defer') return { type: 'defer', delayMs: paced.delayMs };

    // One controller, one timer: AbortSignal.timeout + AbortSignal.any cost several times more per send.
    const deadline = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      deadline.abort(new Error(`send timed out after ${settings.sendTimeoutMs} ms`));
    }, settings.sendTimeoutMs);
    const onShutdown = (): void => deadline.abort(signal.reason);
    signal.addEventListener('abort', onShutdown, { once: true });
    const started = performance.now();
    try {
      const result = await deps.health.run(provider.id, () => provider.send(msg, deadline.signal));
      const seconds = (performance.now() - started) / 1000;
      await store.recordSent({
        id: job.id,
        provider: provider.id,
        providerMessageId: result.providerMessageId,
        status: result.status ?? 'sent',
        attempt: job.attempt,
        at: clock.now(),
        latencyMs: Math.round(seconds * 1000),
        price: result.price ?? null,
        fallbackAt:
          job.data.fallback.length > 0 &&
          (provider.capabilities.deliveryReports ?? provider.statusWebhook !== undefined)
            ? clock.now() + settings.fallbackAfterMs
            : null,
      });
      metrics.sent(provider.id, job.data.channel, seconds);
      publish(deps, [
        statusEvent('sent', clock.now(), {
          messageId: job.id,
          channel: job.data.channel,
          provider: provider.id,
          providerMessageId: result.providerMessageId,
        }),
      ]);
      return DONE;
    } catch (err) {
      const seconds = (performance.now() - started) / 1000;
      if (signal.aborted) return { type: 'retry', delayMs: 0 }; // shutting down: hand it back untouched
      const error = classify(err, timedOut);
      if (error.kind === 'auth') deps.health.isolateForAuth(provider.id, error);
      const failover = next !== null && next.id !== provider.id && PROVIDER_LEVEL.has(error.kind);
      // Auth is final for one provider but not for the message: another provider has its own credentials.
      const asRetryable = failover && !error.retryable ? new ProviderError('unavailable', error.message) : error;
      const decision = decideRetry(asRetryable, job.attempt, settings.retry, deps.random);
      const delayMs = decision.retry
        ? failover
          ? Math.min(decision.delayMs, FAILOVER_DELAY_MS)
          : decision.delayMs
        : null;
      await fail(job, provider.id, error, job.attempt, delayMs);
      if (delayMs === null && error.kind === 'invalid_recipient' && byPhone) {
        // The carrier says the number cannot receive: stop every later message to it, too.
        await deps.suppressions.add({
          number: msg.to,
          reason: 'invalid',
          source: provider.id,
          sourceMessageId: job.id,
          note: error.providerCode === null ? error.message : `${error.providerCode}: ${error.message}`,
          createdAt: clock.now(),
        });
      }
      metrics.sendFailed(provider.id, job.data.channel, error.kind, seconds);
      logger.warn(
        {
          messageId: job.id,
          provider: provider.id,
          kind: error.kind,
          providerCode: error.providerCode,
          attempt: job.attempt,
          retry: delayMs !== null,
          ...(failover && delayMs !== null ? { failoverTo: next.id } : {}),
        },
        delayMs === null ? 'send failed for good' : failover ? 'send failed; failing over' : 'send failed; will retry',
      );
      return delayMs === null ? DONE : { type: 'retry', delayMs };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onShutdown);
    }
  };
}
