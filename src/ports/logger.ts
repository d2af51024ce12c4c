/**
 * @module ports/logger
 * The slice of a structured logger the application uses (pino satisfies it).
 * Callers pass phone numbers under `to`/`from` keys; the adapter masks them.
 */
export interface LogFn {
  (obj: Record<string, unknown>, msg?: string): void;
  (msg: string): void;
}

export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}
