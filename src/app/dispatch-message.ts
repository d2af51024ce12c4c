/**
 * @module app/dispatch-message
 * The worker's job handler: route a message to a provider, send it under a timeout, and turn the
 * result into the next step. The provider's classified error kind decides: retry with backoff,
 * or give up and record why. Shutdown (the queue's signal aborting) hands the job back unrecorded.
 */
import { performance } from 'node:perf_hooks';
import { ProviderError, isProviderError } from '../core/provider-error.js';
import { decideRetry } from '../core/retry.js';
import { chooseProvider } from '../core/routing.js';
import { DEFAULT_LOCALE } from '../core/template.js';
import type { Job, JobHandler, JobOutcome } from '../ports/job-queue.js';
import type { OutboundMessage } from '../ports/provider.js';
import type { AppDeps } from './deps.js';

const DONE: JobOutcome = { type: 'done' };

function classify(err: unknown, timedOut: boolean): ProviderError {
  if (isProviderError(err)) return err;
  if (timedOut) return new ProviderError('transient', 'the provider did not answer in time', { cause: err });
  // An adapter that throws something unclassified has a bug; retry rather than drop the message.
  return new ProviderError('transient', err instanceof Error ? err.message : String(err), { cause: err });
}

/** The message as a provider sees it; template-only carriers also get the template's registered ids. */
async function outbound(deps: AppDeps, job: Job): Promise<OutboundMessage> {
  const { template, ...data } = job.data;
  if (template === null) return { id: job.id, attempt: job.attempt, ...data, template: null };
  const ready = await deps.templates.version(template.name, template.version);
  return {
    id: job.id,
    attempt: job.attempt,
    ...data,
    locale: template.locale === DEFAULT_LOCALE ? null : template.locale,
    template: {
      name: template.name,
      version: template.version,
      data: template.data,
      providerTemplates: ready?.def.providerTemplates ?? {},
    },
  };
}

export function createDispatcher(deps: AppDeps): JobHandler {
  const { store, clock, logger, metrics, settings } = deps;

  return async function dispatch(job: Job, signal: AbortSignal): Promise<JobOutcome> {
    const provider = chooseProvider(deps.providers, job.data.channel);
    if (!provider) {
      await store.recordFailure({
        id: job.id,
        provider: 'none',
        attempt: job.attempt,
        at: clock.now(),
        kind: 'permanent',
        errorCode: 'channel_unavailable',
        errorMessage: `no provider is configured for channel ${job.data.channel}`,
      });
      return DONE;
    }
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
      const result = await provider.send(await outbound(deps, job), deadline.signal);
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
      });
      metrics.sent(provider.id, job.data.channel, seconds);
      return DONE;
    } catch (err) {
      const seconds = (performance.now() - started) / 1000;
      if (signal.aborted) return { type: 'retry', delayMs: 0 }; // shutting down: hand it back untouched
      const error = classify(err, timedOut);
      const decision = decideRetry(error, job.attempt, settings.retry, deps.random);
      const at = clock.now();
      await store.recordFailure({
        id: job.id,
        provider: provider.id,
        attempt: job.attempt,
        at,
        kind: error.kind,
        errorCode: error.providerCode,
        errorMessage: error.message,
        ...(decision.retry ? { retryAt: at + decision.delayMs } : {}),
      });
      metrics.sendFailed(provider.id, job.data.channel, error.kind, seconds);
      logger.warn(
        {
          messageId: job.id,
          provider: provider.id,
          kind: error.kind,
          providerCode: error.providerCode,
          attempt: job.attempt,
          retry: decision.retry,
        },
        decision.retry ? 'send failed; will retry' : 'send failed for good',
      );
      return decision.retry ? { type: 'retry', delayMs: decision.delayMs } : DONE;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onShutdown);
    }
  };
}
