/**
 * Coded errors of lb-server, in the style of undici's `lib/core/errors.js`: one base class with the
 * `LB_SERVER_` code prefix, subclasses with a literal `code`, a default message and payload fields.
 * Each carries its exit code; only `cli.ts` turns an error into an exit, through @lb/cli-kit.
 */
import { CliError } from '@lb/cli-kit';

/** Exit codes of lb-server (documented in docs/apps/server.md). */
export const EXIT_CODES = Object.freeze({
  ok: 0,
  /** An unexpected failure (a bug, or the OS refusing something we did not foresee). */
  failure: 1,
  /** Bad flags or flag values, or a file/directory named by a flag that cannot be served. */
  usage: 2,
  /** A listener could not be opened (port busy, no permission, bad address). */
  listen: 3,
});

export type ServerErrorCode =
  | 'LB_SERVER_USAGE'
  | 'LB_SERVER_INPUT_PATH'
  | 'LB_SERVER_LISTEN'
  | 'LB_SERVER_FILE_CHANGED';

/** Base class of every error lb-server raises on purpose; `name` is the subclass's own. */
export class ServerAppError extends CliError<ServerErrorCode> {}

/** A flag is missing, unknown, malformed or inconsistent with the others. */
export class UsageError extends ServerAppError {
  declare readonly code: 'LB_SERVER_USAGE';

  constructor(message: string) {
    super('LB_SERVER_USAGE', message, { exitCode: EXIT_CODES.usage });
  }
}

/** A file or directory named on the command line does not exist or has the wrong type. */
export class InputPathError extends ServerAppError {
  declare readonly code: 'LB_SERVER_INPUT_PATH';

  constructor(
    readonly path: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super('LB_SERVER_INPUT_PATH', message, { ...options, exitCode: EXIT_CODES.usage });
  }
}

/** `listen()` failed: the port is in use, privileged, or the host cannot be bound. */
export class ListenError extends ServerAppError {
  declare readonly code: 'LB_SERVER_LISTEN';
  /** The system error code, e.g. 'EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL'. */
  readonly syscallCode: string | undefined;

  constructor(
    readonly host: string,
    readonly port: number,
    cause: Error & { code?: unknown },
  ) {
    const syscallCode = typeof cause.code === 'string' ? cause.code : undefined;
    super(
      'LB_SERVER_LISTEN',
      `cannot listen on ${host}:${port}: ${describeListenFailure(syscallCode, cause)}`,
      { cause, exitCode: EXIT_CODES.listen },
    );
    this.syscallCode = syscallCode;
  }
}

function describeListenFailure(syscallCode: string | undefined, cause: Error): string {
  switch (syscallCode) {
    case 'EADDRINUSE':
      return 'the port is already in use';
    case 'EACCES':
      return 'permission denied (ports below 1024 need privileges)';
    case 'EADDRNOTAVAIL':
      return 'the address is not available on this machine';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    default:
      return syscallCode ?? cause.message;
  }
}
