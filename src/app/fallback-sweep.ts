/**
 * @module app/fallback-sweep
 * The third way a message moves to its next channel: it was sent, but no delivery report came
 * within `fallbackAfterMs`. Worker processes run this sweep every few seconds; the move is one
 * transaction per batch, so two processes sweeping at once move a message only once (the second
 * finds it already queued, not `sent`).
 */
import type { AppDeps } from './deps.js';

export async function sweepOverdueDeliveries(deps: AppDeps, limit = 500): Promise<number> {
  const now = deps.clock.now();
  const due = await deps.store.dueForFallback(now, limit);
  if (due.length === 0) return 0;
  const moved = await deps.store.fallBack(
    due.map((id) => ({
      id,
      at: now,
      reason: { trigger: 'not_delivered_in_time', afterMs: deps.settings.fallbackAfterMs },
    })),
  );
  for (const m of moved) deps.metrics.fellBack(m.from, m.to);
  if (moved.length > 0) deps.queue.announce(moved.map((m) => m.id));
  return moved.length;
}
