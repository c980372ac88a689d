export { type ArgvSpec, buildArgv, dropLeadingSeparator, type HelpExample } from './argv.js';
export {
  CliError,
  type CliErrorOptions,
  type ExitCodeTable,
  errorLine,
  exitCodeFor,
  exitWith,
} from './exit-codes.js';
export {
  type CliIo,
  createMemoryIo,
  type MemoryIo,
  type Output,
  processIo,
  writeLine,
} from './io.js';
export {
  createLogger,
  fdDestination,
  isLogLevel,
  LOG_LEVELS,
  type LogDestination,
  type LoggerOptions,
  type LogLevel,
} from './logger.js';
export { packageVersion } from './package-version.js';
