/**
 * Parked delivery reports through the real runtime: applied once their message is known, kept while
 * it is not, and dropped (counted) once they have waited past the time-to-live.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../test/support/clock.js';
import { startTidings, type Tidings } from '../../test/support/harness.js';
import type { StatusEvent } from '../core/status-event.js';
import { EARLY_REPORT_TTL_MS, retryEarlyReports } from './early-reports.js';
import { applyStatusReports } from './ingest-status.js';

const report = (sid: string, status: StatusEvent['status']): StatusEvent => ({
  providerMessageId: sid,
  status,
  errorCode: null,
  errorMessage: null,
  at: Date.UTC(2030, 0, 1),
  detail: {},
});

describe('early delivery reports', () => {
  const clock = new ManualClock();
  let t: Tidings;
  beforeAll(async () => {
    // No worker: nothing sends or sweeps but this test, which records the send by hand.
    t = await startTidings({}, { clock, role: 'api' });
  });
  afterAll(() => t.stop());

  it('are applied once the send is recorded, and dropped when it never is', async () => {
    const { deps } = t.rt;
    const res = await t.api('POST', '/v1/messages', {
      to: '+14155552671',
      body: 'Your table is booked',
      sendAt: new Date(clock.now() + 3_600_000).toISOString(),
    });
    expect(res.status).toBe(202);
    const id = res.body.id as string;

    const early = await applyStatusReports(deps, 'sim:default', [
      report('SIMknown', 'delivered'),
      report('SIMnever', 'delivered'),
    ]);
    expect(early).toMatchObject({
      applied: 0,
      unknown: [{ providerMessageId: 'SIMknown' }, { providerMessageId: 'SIMnever' }],
    });
    expect(await retryEarlyReports(deps)).toEqual({ applied: 0, expired: 0, waiting: 2 });

    await deps.store.recordSent({
      id,
      provider: 'sim:default',
      providerMessageId: 'SIMknown',
      status: 'sent',
      attempt: 1,
      at: clock.now(),
      latencyMs: 40,
    });
    clock.advance(1_000);
    expect(await retryEarlyReports(deps)).toEqual({ applied: 1, expired: 0, waiting: 1 });
    expect((await deps.store.get(id))?.status).toBe('delivered');

    clock.advance(EARLY_REPORT_TTL_MS);
    expect(await retryEarlyReports(deps)).toEqual({ applied: 0, expired: 1, waiting: 0 });
    expect(await deps.earlyReports.take(10)).toEqual([]);
  });
});
