/**
 * @module test/chaos/crash-check
 * The verdict of a chaos run, from the fake provider's own log (what a customer's phone would have
 * received) and the set of messages the client saw accepted. Lost: accepted, never received.
 * Duplicate: received twice; allowed only for the sends in flight at a kill, so at most once more
 * per message, and at most (kills of sending processes × their concurrency) in all. Received more
 * than twice, or a body nobody sent: always wrong.
 */

export interface CrashCheckInput {
  accepted: ReadonlySet<string>;
  /** Bodies of every create the fake accepted, in order, this run's only. */
  received: readonly string[];
  /** Kills of a process that sends (embedded `serve`, or a worker). */
  senderKills: number;
  concurrency: number;
  /**
   * Bodies whose message shows a send that timed out in Tidings' own events: the fake took it, the
   * answer came too late, the retry sent it again. At-least-once delivery allows this whether or not
   * a process died, so these are counted apart from the kills' bound.
   */
  timedOut: ReadonlySet<string>;
}

export interface CrashVerdict {
  accepted: number;
  received: number;
  distinct: number;
  lost: number;
  duplicates: number;
  /** Of the duplicates, those after a send timeout (see `timedOut`); the rest are the kills'. */
  afterTimeout: number;
  /** Received three times or more. */
  beyondTwice: number;
  /** Received but never accepted: a batch cut by a kill and stored anyway would show here if unretried. */
  unexpected: number;
  duplicateBound: number;
  ok: boolean;
  /** A few of the offending bodies, for the report. */
  examples: { lost: string[]; duplicates: string[]; unexpected: string[] };
}

export function checkCrashRun(input: CrashCheckInput): CrashVerdict {
  const copies = new Map<string, number>();
  for (const body of input.received) copies.set(body, (copies.get(body) ?? 0) + 1);
  const lost = [...input.accepted].filter((b) => !copies.has(b));
  const dup = [...copies].filter(([, n]) => n > 1);
  const unexpected = [...copies.keys()].filter((b) => !input.accepted.has(b));
  const beyondTwice = dup.filter(([, n]) => n > 2).length;
  const duplicateBound = input.senderKills * input.concurrency;
  const afterTimeout = dup.filter(([b]) => input.timedOut.has(b)).length;
  return {
    accepted: input.accepted.size,
    received: input.received.length,
    distinct: copies.size,
    lost: lost.length,
    duplicates: dup.length,
    afterTimeout,
    beyondTwice,
    unexpected: unexpected.length,
    duplicateBound,
    ok:
      lost.length === 0 && beyondTwice === 0 && dup.length - afterTimeout <= duplicateBound && unexpected.length === 0,
    examples: {
      lost: lost.slice(0, 5),
      duplicates: dup.slice(0, 5).map(([b]) => b),
      unexpected: unexpected.slice(0, 5),
    },
  };
}
