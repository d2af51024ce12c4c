/**
 * @module app/early-reports
 * Applies parked delivery reports again (see ports/early-reports). Worker processes run this every
 * second; the table is empty almost always, so a pass is one indexed read of nothing. A report
 * whose message is still unknown after `EARLY_REPORT_TTL_MS` is dropped with a warning: its send
 * was never recorded (the process died between the provider's answer and our write), and the
 * message's own retry is what will be reported on.
 */
import type { ParkedReport } from '../ports/early-reports.js';
import type { AppDeps } from './deps.js';
import { applyStatusReports } from './ingest-status.js';

/** Long enough for any write to commit, however busy the database; short enough not to pile up. */
export const EARLY_REPORT_TTL_MS = 10 * 60_000;

export interface EarlyReportPass {
  applied: number;
  expired: number;
  waiting: number;
}

export async function retryEarlyReports(deps: AppDeps, limit = 500): Promise<EarlyReportPass> {
  const taken = await deps.earlyReports.take(limit);
  const pass: EarlyReportPass = { applied: 0, expired: 0, waiting: 0 };
  if (taken.length === 0) return pass;
  const byProvider = new Map<string, ParkedReport[]>();
  for (const p of taken) byProvider.set(p.provider, [...(byProvider.get(p.provider) ?? []), p]);
  const now = deps.clock.now();
  const keep: ParkedReport[] = [];
  try {
    for (const [provider, parked] of byProvider) {
      const { applied, unknown } = await applyStatusReports(
        deps,
        provider,
        parked.map((p) => p.report),
        { park: false },
      );
      pass.applied += applied;
      const still = new Set(unknown);
      for (const p of parked) {
        if (!still.has(p.report)) continue;
        if (now - p.receivedAt < EARLY_REPORT_TTL_MS) keep.push(p);
        else pass.expired += 1;
      }
    }
  } catch (err) {
    // Nothing was lost: what was taken goes back untouched (applying twice is harmless: monotonic).
    await deps.earlyReports.putBack(taken);
    throw err;
  }
  await deps.earlyReports.putBack(keep);
  pass.waiting = keep.length;
  if (pass.expired > 0) {
    deps.logger.warn(
      { expired: pass.expired, afterMs: EARLY_REPORT_TTL_MS },
      'dropped delivery reports whose message never became known',
    );
  }
  return pass;
}
