/**
 * Coded errors of lb-server, in the style of undici's `lib/core/errors.js`: one base class with an
 * app-prefixed `code`, subclasses with a literal `code`, a default message and payload fields.
 * Only `cli.ts` turns them into exit codes, through `exitCode`.
 */

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

/** Base class of every error lb-server raises on purpose. */
export class ServerAppError extends Error {
  override name = 'ServerAppError';
  code: string = 'LB_SERVER';
  /** The process exit code this error maps to when it reaches the CLI. */
  readonly exitCode: number = EXIT_CODES.failure;
}

/** A flag is missing, unknown, malformed or inconsistent with the others. */
export class UsageError extends ServerAppError {
  override name = 'UsageError';
  override code = 'LB_SERVER_USAGE' as const;
  override readonly exitCode = EXIT_CODES.usage;
}

/** A file or directory named on the command line does not exist or has the wrong type. */
export class InputPathError extends ServerAppError {
  override name = 'InputPathError';
  override code = 'LB_SERVER_INPUT_PATH' as const;
  override readonly exitCode = EXIT_CODES.usage;
  readonly path: string;

  constructor(path: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.path = path;
  }
}

/** `listen()` failed: the port is in use, privileged, or the host cannot be bound. */
export class ListenError extends ServerAppError {
  override name = 'ListenError';
  override code = 'LB_SERVER_LISTEN' as const;
  override readonly exitCode = EXIT_CODES.listen;
  readonly host: string;
  readonly port: number;
  /** The system error code, e.g. 'EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL'. */
  readonly syscallCode: string | undefined;

  constructor(host: string, port: number, cause: Error & { code?: unknown }) {
    const syscallCode = typeof cause.code === 'string' ? cause.code : undefined;
    super(`cannot listen on ${host}:${port}: ${describeListenFailure(syscallCode, cause)}`, {
      cause,
    });
    this.host = host;
    this.port = port;
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
