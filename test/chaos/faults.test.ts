/**
 * Provider faults in bursts (faults-run.ts), scaled down: 600 messages through one fake Twilio
 * (retries) and through two (failover) while every kind of fault strikes in turn. Every message
 * ends final and consistent with what the fakes took; a copy taken twice is explained by an answer
 * we had given up on; a 429's Retry-After is honoured on the provider that sent it.
 */
import { describe, expect, it } from 'vitest';
import { runProviderFaults, type FaultRunResult } from './faults-run.js';

function expectCorrect(r: FaultRunResult): void {
  console.log(
    `faults, ${r.providers} provider(s): ${JSON.stringify(r.faults)} served; statuses ${JSON.stringify(r.statuses)}; ` +
      `${r.possibleDuplicates} possible duplicates; ${r.viaSecond} via the second; ${r.retryAfterChecked} Retry-After checked`,
  );
  expect(r.problems).toEqual([]);
  const final = Object.entries(r.statuses).filter(([s]) => ['sent', 'delivered', 'failed', 'undelivered'].includes(s));
  expect(final.reduce((n, [, c]) => n + c, 0)).toBe(r.messages);
  expect(Object.keys(r.faults).length).toBeGreaterThanOrEqual(3);
}

describe('bursts of provider faults', () => {
  it('one provider: retries end every message sent, honouring Retry-After', async () => {
    const r = await runProviderFaults({ messages: 600, providers: 1, gap: 20 });
    expectCorrect(r);
    // Waits on the open circuit spend no attempts: no message runs out of them before it is tried.
    expect(r.statuses).toEqual({ sent: 600 });
    expect(Object.keys(r.faults).sort()).toEqual(['429', '500', '503', 'malformed', 'reset', 'slow']);
    expect(r.retryAfterChecked).toBeGreaterThan(0);
  }, 110_000);

  it('two providers: failover ends every message sent', async () => {
    const r = await runProviderFaults({ messages: 600, providers: 2, gap: 20 });
    expectCorrect(r);
    expect(r.statuses).toEqual({ sent: 600 });
    expect(r.viaSecond).toBeGreaterThan(0);
  }, 110_000);
});
