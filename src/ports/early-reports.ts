/**
 * @module ports/early-reports
 * Delivery reports that arrived before we knew the message they are about. A provider can call
 * back within milliseconds of accepting a message, before our own write of its message id has
 * committed (group commit, a busy database). Such a report is parked here and applied again a
 * moment later, rather than dropped: dropped, the message would read `sent` for ever.
 */
import type { StatusEvent } from '../core/status-event.js';

export interface ParkedReport {
  id: string;
  /** The provider whose signed callback carried it (`twilio:primary`). */
  provider: string;
  report: StatusEvent;
  /** When we received it (epoch ms): parked reports expire, counted from here. */
  receivedAt: number;
}

export interface EarlyReportStore {
  park(provider: string, reports: readonly StatusEvent[], receivedAt: number): Promise<void>;
  /**
   * Removes and returns up to `limit` parked reports, oldest first. Rows another process is taking
   * at the same moment are skipped, so each report is taken once.
   */
  take(limit: number): Promise<ParkedReport[]>;
  /** Puts taken reports back, as they were, for the next try. */
  putBack(reports: readonly ParkedReport[]): Promise<void>;
}
