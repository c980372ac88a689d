/** The logger every app creates (libraries only accept one): pino, JSON lines on stderr. */
import { type DestinationStream, type Logger, pino } from 'pino';

/** pino's levels: the choices of every app's `--log-level`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function isLogLevel(value: unknown): value is LogLevel {
  return (LOG_LEVELS as readonly unknown[]).includes(value);
}

export interface LoggerOptions {
  level: string;
  /** A stream, or a file descriptor written synchronously or in the background. */
  destination: DestinationStream | { fd: number; sync: boolean };
  /**
   * With a name, pino's base fields (name, pid, hostname) are on every line; without one, none
   * are (a line per request is smaller without them).
   */
  name?: string;
}

export type LogDestination = ReturnType<typeof pino.destination>;

/** A pino destination on a file descriptor; `flushSync()` it before the process exits. */
export function fdDestination(fd: number, sync: boolean): LogDestination {
  return pino.destination({ fd, sync });
}

export function createLogger(options: LoggerOptions): Logger {
  const target = options.destination;
  // A SonicBoom stream has an `fd` too: tell the two apart by `write`.
  const destination =
    'write' in target ? (target as DestinationStream) : fdDestination(target.fd, target.sync);
  return options.name === undefined
    ? pino({ level: options.level, base: undefined }, destination)
    : pino({ name: options.name, level: options.level }, destination);
}
