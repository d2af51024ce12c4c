/**
 * Parked delivery reports on every storage engine: taken once, oldest first, and put back intact;
 * on PostgreSQL two processes taking at once get disjoint reports.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postgresIfReachable, storageBackends } from '../../test/support/backends.js';
import type { StatusEvent } from '../core/status-event.js';
import type { Storage } from './connect.js';
import { EarlyReportRepository } from './early-report-repository.js';

const T0 = Date.UTC(2030, 0, 1);

const report = (n: number, status: StatusEvent['status'] = 'delivered'): StatusEvent => ({
  providerMessageId: `SM${String(n).padStart(32, '0')}`,
  status,
  errorCode: status === 'undelivered' ? '30003' : null,
  errorMessage: null,
  at: T0 + n,
  detail: { raw: status, n },
});

describe.each(await storageBackends())('early reports on $name', (backend) => {
  let storage: Storage;
  let parked: EarlyReportRepository;
  beforeEach(async () => {
    storage = await backend.open();
    parked = new EarlyReportRepository(storage);
  });
  afterEach(() => storage.close());

  it('takes parked reports once, oldest first, and puts them back as they were', async () => {
    await parked.park('twilio:primary', [report(2), report(3, 'undelivered')], T0 + 20);
    await parked.park('aliyun:cn', [report(1)], T0 + 10);
    const first = await parked.take(2);
    expect(first.map((p) => [p.provider, p.report.providerMessageId, p.receivedAt])).toEqual([
      ['aliyun:cn', report(1).providerMessageId, T0 + 10],
      ['twilio:primary', report(2).providerMessageId, T0 + 20],
    ]);
    expect(first[1]?.report).toEqual(report(2));
    const rest = await parked.take(10);
    expect(rest.map((p) => p.report)).toEqual([report(3, 'undelivered')]);
    expect(await parked.take(10)).toEqual([]);
    await parked.putBack(first);
    expect(await parked.take(10)).toEqual(first);
  });
});

const pg = await postgresIfReachable();

describe.skipIf(pg === null)('early reports taken by several processes on PostgreSQL', () => {
  it('never hands one report to two takers', async () => {
    const { handles, close } = await (pg as NonNullable<typeof pg>).openShared(2);
    const [a, b] = handles as [Storage, Storage];
    try {
      const reports = Array.from({ length: 400 }, (_, i) => report(i));
      await new EarlyReportRepository(a).park('twilio:primary', reports, T0);
      const takers = [new EarlyReportRepository(a), new EarlyReportRepository(b)];
      const taken: string[] = [];
      await Promise.all(
        takers.map(async (t) => {
          for (let got = await t.take(25); got.length > 0; got = await t.take(25)) {
            taken.push(...got.map((p) => p.report.providerMessageId));
          }
        }),
      );
      expect(taken.length).toBe(400);
      expect(new Set(taken).size).toBe(400);
    } finally {
      await close();
    }
  });
});
