/**
 * Coded errors of lb-client, in the style of undici's `lib/core/errors.js`: one base class with an
 * app-prefixed `code`, subclasses with a literal `code`, a default message and payload fields.
 * Only `cli.ts` turns them into exit codes, through `exitCode`; EXIT_CODES is the one table
 * (documented in docs/apps/client.md). @lb/download's errors keep their `LB_DOWNLOAD_*` code and
 * get an exit code and the CLI's wording in `toClientError`.
 */
import { CliError } from '@lb/cli-kit';
import {
  DownloadError,
  describeFileError,
  describeNetworkFailure,
  type NoMirrorLeftError,
  type ResumeError,
  type ServersLostError,
} from '@lb/download';

/** Exit codes of lb-client. Scripts match on these numbers, so they never change meaning. */
export const EXIT_CODES = Object.freeze({
  ok: 0,
  /** An unexpected failure (a bug, or the OS refusing something we did not foresee). */
  failure: 1,
  /** Bad flags or flag values; a file choice that is ambiguous (several files, no --file). */
  usage: 2,
  /** The server answered with an HTTP error status (404, 5xx...), or no mirror has the file. */
  httpStatus: 3,
  /** Network failure: refused, unknown host, timeout, a body cut short, a broken response. */
  network: 4,
  /** The downloaded bytes do not match the digest (or every mirror was caught lying). */
  verification: 5,
  /** Every server stayed unreachable for --wait seconds; the partial download is kept (-r). */
  serversLost: 6,
  /** -r cannot resume: corrupt manifest, missing/odd .part, or the remote file changed. */
  resume: 7,
  /** A redirect loop, more than 5 redirects, or a redirect without a usable Location. */
  redirect: 8,
  /** The output file or directory cannot be written (permissions, disk full, not a directory). */
  localFile: 9,
  /** Stopped by SIGINT (128 + 2); the partial download is kept for -r. */
  interrupted: 130,
  /** Stopped by SIGTERM (128 + 15); the partial download is kept for -r. */
  terminated: 143,
});

/**
 * Base class of every error lb-client raises on purpose: `(code, message, { exitCode, cause })`,
 * exit code 1 unless given; `name` is the subclass's own.
 */
export class ClientAppError extends CliError {}

/** A flag is missing, unknown, malformed or inconsistent with the others. */
export class UsageError extends ClientAppError {
  constructor(message: string, options?: ErrorOptions) {
    super('LB_CLIENT_USAGE', message, { ...options, exitCode: EXIT_CODES.usage });
  }
}

/** The final response had a status that is neither success nor a redirect we follow. */
export class HttpStatusError extends ClientAppError {
  constructor(
    readonly statusCode: number,
    reason: string,
    readonly url: string,
    message?: string,
  ) {
    super(
      'LB_CLIENT_HTTP_STATUS',
      message ?? `${url} answered ${statusCode}${reason === '' ? '' : ` ${reason}`}`,
      { exitCode: EXIT_CODES.httpStatus },
    );
  }
}

/** Connecting or transferring failed; `cause` is the @lb/http-wire error. */
export class NetworkError extends ClientAppError {
  constructor(
    readonly url: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super('LB_CLIENT_NETWORK', message, { ...options, exitCode: EXIT_CODES.network });
  }
}

/** The saved bytes do not match the digest the server sent (a single URL). */
export class VerificationError extends ClientAppError {
  constructor(message: string, options?: ErrorOptions) {
    super('LB_CLIENT_VERIFICATION', message, { ...options, exitCode: EXIT_CODES.verification });
  }
}

export type RedirectProblem = 'loop' | 'too-many' | 'missing-location' | 'bad-location';

/** Following redirects failed. */
export class RedirectError extends ClientAppError {
  constructor(
    readonly problem: RedirectProblem,
    message: string,
  ) {
    super('LB_CLIENT_REDIRECT', message, { exitCode: EXIT_CODES.redirect });
  }
}

/** The output cannot be written. */
export class LocalFileError extends ClientAppError {
  constructor(
    readonly path: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super('LB_CLIENT_LOCAL_FILE', message, { ...options, exitCode: EXIT_CODES.localFile });
  }
}

/** SIGINT or SIGTERM arrived; the manifest was saved. */
export class InterruptedError extends ClientAppError {
  constructor(
    readonly signal: 'SIGINT' | 'SIGTERM',
    message?: string,
  ) {
    super('LB_CLIENT_INTERRUPTED', message ?? `interrupted by ${signal}`, {
      exitCode: signal === 'SIGINT' ? EXIT_CODES.interrupted : EXIT_CODES.terminated,
    });
  }
}

/** A @lb/download failure as lb-client reports it: the library's code, an exit code, the CLI's words. */
export class DownloadFailedError extends ClientAppError {
  constructor(cause: DownloadError) {
    super(cause.code, cliMessage(cause), { cause, exitCode: downloadExitCode(cause) });
  }
}

/** The InterruptedError for an aborted run signal (its reason is the signal's name). */
export function interruption(signal: AbortSignal): InterruptedError {
  return new InterruptedError(signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
}

function downloadExitCode(error: DownloadError): number {
  switch (error.code) {
    case 'LB_DOWNLOAD_NO_MIRROR_LEFT':
      // Every drop an HTTP status (e.g. all 404) is exit 3, not 5.
      return (error as NoMirrorLeftError).onlyHttpErrors
        ? EXIT_CODES.httpStatus
        : EXIT_CODES.verification;
    case 'LB_DOWNLOAD_SERVERS_LOST':
      // Never having reached anyone is a plain network failure, as for a single URL.
      return (error as ServersLostError).everConnected
        ? EXIT_CODES.serversLost
        : EXIT_CODES.network;
    case 'LB_DOWNLOAD_VERIFICATION':
      return EXIT_CODES.verification;
    case 'LB_DOWNLOAD_RESUME':
      return EXIT_CODES.resume;
    case 'LB_DOWNLOAD_LOCAL_FILE':
      return EXIT_CODES.localFile;
    case 'LB_DOWNLOAD_INVALID_OPTION':
      return EXIT_CODES.usage;
    default:
      return EXIT_CODES.failure;
  }
}

function cliMessage(error: DownloadError): string {
  if (error.code === 'LB_DOWNLOAD_RESUME') {
    return `${error.message}; rerun without -r to ${(error as ResumeError).advice}`;
  }
  if (error.code !== 'LB_DOWNLOAD_SERVERS_LOST') return error.message;
  const lost = error as ServersLostError;
  const seconds = Number((lost.waitMs / 1000).toFixed(3));
  if (!lost.everConnected) return `no server answered within ${seconds} s: ${lost.urls.join(', ')}`;
  const where = lost.partPath === undefined ? '' : ` in ${lost.partPath}`;
  return `all servers unreachable for ${seconds} s; the partial download is kept${where}: rerun with -r to resume`;
}

/** What reaches the CLI: @lb/download's errors in the client's shape; anything else as it is. */
export function toClientError(error: unknown): unknown {
  return error instanceof DownloadError ? new DownloadFailedError(error) : error;
}

/** Turns an fs error on an output path into a LocalFileError with a readable reason. */
export function localFileError(path: string, action: string, error: unknown): LocalFileError {
  return new LocalFileError(path, `cannot ${action} ${path}: ${describeFileError(error)}`, {
    cause: error,
  });
}

/** A NetworkError naming the URL: "http://h:1/f: connection refused". */
export function networkError(url: string, error: unknown): NetworkError {
  return new NetworkError(url, `${url}: ${describeNetworkFailure(error)}`, { cause: error });
}
