/**
 * @module test/chaos/crash-client
 * The application side of a chaos run, behaving as a careful real client: it sends batches, each
 * with its own Idempotency-Key, and when a POST gets no answer (the process died under it) or a 5xx,
 * it sends the same batch with the same key again, to whichever API process is up, until one
 * answers 202. A replayed answer (`Idempotent-Replayed: true`) means the first attempt had been
 * stored before the kill; a fresh one means it had not. Only a 202 the client saw makes a message
 * "accepted", and every accepted message must then be sent.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface ClientOptions {
  /** API base URLs alive now (asked again before each attempt). */
  apiUrls(): string[];
  apiKey: string;
  /** Every body starts with it: the fake's log is filtered by it. */
  prefix: string;
  total: number;
  batchSize: number;
  /** Batches in flight at once. */
  producers: number;
  /** Called after each accepted batch with the number of messages accepted so far. */
  onAccepted?(accepted: number): void;
}

export interface ClientResult {
  /** Bodies of the messages whose 202 the client saw. */
  accepted: Set<string>;
  batches: number;
  /** POSTs that got no HTTP answer (connection refused or cut), each retried. */
  unanswered: number;
  /** Batches that had a POST cut by a kill and were then answered by a replay: stored before the kill. */
  storedBeforeKill: number;
  /** Batches that had a POST cut by a kill and were created by a later attempt: not stored before it. */
  createdOnRetry: number;
  /** 5xx answers (a process shutting down, a database busy), each retried. */
  serverErrors: number;
  /** Answers neither 202 nor 5xx, and items of a 202 batch without an id: a bug, reported with the first. */
  refused: { count: number; first: string | null };
}

export async function sendWithRetries(opts: ClientOptions): Promise<ClientResult> {
  const result: ClientResult = {
    accepted: new Set(),
    batches: Math.ceil(opts.total / opts.batchSize),
    unanswered: 0,
    storedBeforeKill: 0,
    createdOnRetry: 0,
    serverErrors: 0,
    refused: { count: 0, first: null },
  };
  let next = 0;
  let rotation = 0;

  async function postOnce(b: number): Promise<void> {
    const from = b * opts.batchSize;
    const bodies = Array.from(
      { length: Math.min(opts.batchSize, opts.total - from) },
      (_, i) => `${opts.prefix}-${from + i}`,
    );
    const json = JSON.stringify({
      messages: bodies.map((body, i) => ({
        to: `+1415555${1000 + ((from + i) % 9000)}`,
        body,
        reference: opts.prefix,
      })),
    });
    let cut = false;
    for (let attempt = 0; ; attempt++) {
      const urls = opts.apiUrls();
      const url = urls[rotation++ % Math.max(1, urls.length)];
      if (!url) {
        await sleep(50); // every API process is restarting
        continue;
      }
      let res: Response;
      try {
        res = await fetch(`${url}/v1/messages/batch`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${opts.apiKey}`,
            'content-type': 'application/json',
            'idempotency-key': `${opts.prefix}-batch-${b}`,
          },
          body: json,
          signal: AbortSignal.timeout(60_000),
        });
      } catch {
        result.unanswered++;
        cut = true;
        await sleep(Math.min(1_000, 50 * 2 ** Math.min(attempt, 5)));
        continue;
      }
      const text = await res.text().catch(() => null);
      if (text === null) {
        // Headers came, then the body was cut: as good as no answer.
        result.unanswered++;
        cut = true;
        continue;
      }
      if (res.status >= 500) {
        result.serverErrors++;
        await sleep(Math.min(1_000, 50 * 2 ** Math.min(attempt, 5)));
        continue;
      }
      if (res.status !== 202) {
        result.refused.count++;
        result.refused.first ??= `${res.status} ${text.slice(0, 500)}`;
        return;
      }
      const answer = JSON.parse(text) as { results: Array<{ id?: string; error?: unknown }> };
      answer.results.forEach((r, i) => {
        if (r.id) result.accepted.add(bodies[i]!);
        else {
          result.refused.count++;
          result.refused.first ??= JSON.stringify(r).slice(0, 500);
        }
      });
      if (cut) {
        if (res.headers.get('idempotent-replayed') === 'true') result.storedBeforeKill++;
        else result.createdOnRetry++;
      }
      opts.onAccepted?.(result.accepted.size);
      return;
    }
  }

  const producer = async (): Promise<void> => {
    while (next < result.batches) await postOnce(next++);
  };
  await Promise.all(Array.from({ length: opts.producers }, producer));
  return result;
}
