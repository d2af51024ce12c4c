/**
 * @module ports/alerts
 * Telling the operators that something is wrong, once. A channel is where an alert goes (a webhook,
 * an e-mail); the ledger is shared by every process so that an outage seen by ten workers still
 * produces one alert per condition per cool-down, and one "resolved" notice.
 */
export type AlertState = 'firing' | 'resolved';

export interface Alert {
  /** Stable key of what is wrong: `failure_rate`, `circuit_open:twilio:primary`. */
  condition: string;
  state: AlertState;
  /** One line for a person: the subject of the mail, the title in a chat. */
  summary: string;
  /** Figures behind it (rate, sends, provider…), for programs and for the body. */
  detail: Record<string, unknown>;
  /** Epoch ms. */
  at: number;
}

export interface AlertChannel {
  /** For the log: `webhook`, `email` (never a URL, which may hold a password). */
  readonly name: string;
  notify(alert: Alert, signal: AbortSignal): Promise<void>;
}

export interface AlertLedger {
  /**
   * Marks the condition firing and answers whether this caller should notify: true unless someone
   * notified about it less than `coolDownMs` ago.
   */
  fire(condition: string, now: number, coolDownMs: number): Promise<boolean>;
  /** Marks it resolved; true for exactly one caller when it was firing. */
  resolve(condition: string, now: number): Promise<boolean>;
}
