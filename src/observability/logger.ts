/**
 * @module observability/logger
 * The process's structured logger: pino writing one JSON object per line, with personal data and
 * secrets masked inside pino itself (formatters and the stream-write hook), so every call site,
 * child logger and error gets the same treatment without wrapping the log methods.
 */
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { maskLogFields, maskNumbersInLine } from './log-masking.js';

export interface LoggerOptions {
  /** pino level name; default `info`. */
  level?: string;
  /** Where lines go; default stdout. Tests pass an in-memory stream. */
  destination?: DestinationStream;
  /** Pretty printing is left to `pino-pretty` on the reading side (`node server | pino-pretty`). */
  pretty?: false;
}

export function createLogger(opts: LoggerOptions = {}): PinoLogger {
  const options: pino.LoggerOptions = {
    level: opts.level ?? 'info',
    formatters: {
      // Level names read better than numbers in `docker logs`, and aggregators accept both.
      level: (label) => ({ level: label }),
      log: (fields) => maskLogFields(fields),
    },
    // formatters.log has already turned errors (at any depth) into masked plain objects; pino's own
    // err serializer would serialize them again and lose their type name.
    serializers: { err: (value: unknown) => value },
    hooks: {
      // Last line of defence, on the finished line: the message string, error texts and stacks.
      streamWrite: maskNumbersInLine,
    },
  };
  const logger = opts.destination ? pino(options, opts.destination) : pino(options);
  maskChildBindings(logger);
  return logger;
}

/**
 * pino runs formatters.bindings only for the root's own base fields and resets it for children,
 * so child bindings ({ to, messageId }) are masked here instead. Children are created with
 * Object.create(parent), so grandchildren inherit this `child` too.
 */
function maskChildBindings(logger: PinoLogger): void {
  const child = logger.child;
  logger.child = function maskedChild(this: PinoLogger, bindings, options) {
    return child.call(this, maskLogFields(bindings), options);
  } as PinoLogger['child'];
}
