/**
 * @module storage/early-report-repository
 * Parked delivery reports (ports/early-reports). Taking is a delete in the same transaction as the
 * read, with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so two workers sweeping at once never apply the
 * same report twice; what is still unmatched is put back with its original receipt time.
 */
import { randomUUID } from 'node:crypto';
import type { StatusEvent } from '../core/status-event.js';
import type { EarlyReportStore, ParkedReport } from '../ports/early-reports.js';
import type { StorageHandle } from './handle.js';
import { chunk } from './rows.js';

export class EarlyReportRepository implements EarlyReportStore {
  constructor(private readonly storage: StorageHandle) {}

  async park(provider: string, reports: readonly StatusEvent[], receivedAt: number): Promise<void> {
    await this.putBack(reports.map((report) => ({ id: randomUUID(), provider, report, receivedAt })));
  }

  take(limit: number): Promise<ParkedReport[]> {
    return this.storage.writes.run(async (tx) => {
      const rows = await tx
        .selectFrom('early_reports')
        .selectAll()
        .orderBy('received_at')
        .limit(limit)
        .$if(this.storage.dialect === 'postgres', (q) => q.forUpdate().skipLocked())
        .execute();
      for (const part of chunk(
        rows.map((r) => r.id),
        500,
      )) {
        await tx.deleteFrom('early_reports').where('id', 'in', part).execute();
      }
      return rows.map((r) => ({
        id: r.id,
        provider: r.provider,
        report: JSON.parse(r.report) as StatusEvent,
        receivedAt: Number(r.received_at),
      }));
    });
  }

  async putBack(reports: readonly ParkedReport[]): Promise<void> {
    if (reports.length === 0) return;
    await this.storage.writes.run(async (tx) => {
      for (const part of chunk([...reports], 200)) {
        await tx
          .insertInto('early_reports')
          .values(
            part.map((r) => ({
              id: r.id,
              provider: r.provider,
              report: JSON.stringify(r.report),
              received_at: r.receivedAt,
            })),
          )
          .execute();
      }
    });
  }
}
