/**
 * Coded errors of lb-client, in the style of undici's `lib/core/errors.js`: one base class with an
 * app-prefixed `code`, subclasses with a literal `code`, a default message and payload fields.
 * Only `cli.ts` turns them into exit codes, through `exitCode`; EXIT_CODES is the one table
 * (documented in docs/apps/client.md).
 */

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

/** Base class of every error lb-client raises on purpose. */
export class ClientAppError extends Error {
  override name = 'ClientAppError';
  code: string = 'LB_CLIENT';
  /** The process exit code this error maps to when it reaches the CLI. */
  readonly exitCode: number = EXIT_CODES.failure;
}

/** A flag is missing, unknown, malformed or inconsistent with the others. */
export class UsageError extends ClientAppError {
  override name = 'UsageError';
  override code = 'LB_CLIENT_USAGE' as const;
  override readonly exitCode = EXIT_CODES.usage;
}

/** The final response had a status that is neither success nor a redirect we follow. */
export class HttpStatusError extends ClientAppError {
  override name = 'HttpStatusError';
  override code = 'LB_CLIENT_HTTP_STATUS' as const;
  override readonly exitCode = EXIT_CODES.httpStatus;
  readonly statusCode: number;
  readonly url: string;

  constructor(statusCode: number, reason: string, url: string, message?: string) {
    super(message ?? `${url} answered ${statusCode}${reason === '' ? '' : ` ${reason}`}`);
    this.statusCode = statusCode;
    this.url = url;
  }
}

/** Connecting or transferring failed; `cause` is the @lb/http-wire error. */
export class NetworkError extends ClientAppError {
  override name = 'NetworkError';
  override code = 'LB_CLIENT_NETWORK' as const;
  override readonly exitCode = EXIT_CODES.network;
  readonly url: string;

  constructor(url: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.url = url;
  }
}

/** Bytes on disk do not match what the servers say the file is. */
export class VerificationError extends ClientAppError {
  override name = 'VerificationError';
  override code = 'LB_CLIENT_VERIFICATION' as const;
  override readonly exitCode = EXIT_CODES.verification;
}

/** Every mirror was dropped (disagreeing, lying, or without the file): nobody is left to ask. */
export class NoMirrorLeftError extends ClientAppError {
  override name = 'NoMirrorLeftError';
  override code = 'LB_CLIENT_NO_MIRROR_LEFT' as const;
  override readonly exitCode: number;

  /** `onlyHttpErrors`: every drop was an HTTP status (e.g. all 404), which is exit 3, not 5. */
  constructor(message: string, onlyHttpErrors: boolean) {
    super(message);
    this.exitCode = onlyHttpErrors ? EXIT_CODES.httpStatus : EXIT_CODES.verification;
  }
}

/** No server answered for --wait seconds. */
export class ServersLostError extends ClientAppError {
  override name = 'ServersLostError';
  override code = 'LB_CLIENT_SERVERS_LOST' as const;
  override readonly exitCode: number;
  /** True when some server answered earlier in this run (then resuming with -r makes sense). */
  readonly everConnected: boolean;

  constructor(message: string, everConnected: boolean) {
    super(message);
    this.everConnected = everConnected;
    // Never having reached anyone is a plain network failure, as for a single URL.
    this.exitCode = everConnected ? EXIT_CODES.serversLost : EXIT_CODES.network;
  }
}

/** -r cannot continue the partial download safely. */
export class ResumeError extends ClientAppError {
  override name = 'ResumeError';
  override code = 'LB_CLIENT_RESUME' as const;
  override readonly exitCode = EXIT_CODES.resume;
}

export type RedirectProblem = 'loop' | 'too-many' | 'missing-location' | 'bad-location';

/** Following redirects failed. */
export class RedirectError extends ClientAppError {
  override name = 'RedirectError';
  override code = 'LB_CLIENT_REDIRECT' as const;
  override readonly exitCode = EXIT_CODES.redirect;
  readonly problem: RedirectProblem;

  constructor(problem: RedirectProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}

/** The output cannot be written. */
export class LocalFileError extends ClientAppError {
  override name = 'LocalFileError';
  override code = 'LB_CLIENT_LOCAL_FILE' as const;
  override readonly exitCode = EXIT_CODES.localFile;
  readonly path: string;

  constructor(path: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.path = path;
  }
}

/** SIGINT or SIGTERM arrived; the manifest was saved. */
export class InterruptedError extends ClientAppError {
  override name = 'InterruptedError';
  override code = 'LB_CLIENT_INTERRUPTED' as const;
  override readonly exitCode: number;
  readonly signal: 'SIGINT' | 'SIGTERM';

  constructor(signal: 'SIGINT' | 'SIGTERM', message?: string) {
    super(message ?? `interrupted by ${signal}`);
    this.signal = signal;
    this.exitCode = signal === 'SIGINT' ? EXIT_CODES.interrupted : EXIT_CODES.terminated;
  }
}

/** The InterruptedError for an aborted run signal (its reason is the signal's name). */
export function interruption(signal: AbortSignal): InterruptedError {
  return new InterruptedError(signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
}

/** Turns an fs error on an output path into a LocalFileError with a readable reason. */
export function localFileError(path: string, action: string, error: unknown): LocalFileError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const why =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'ENOSPC'
        ? 'no space left on the device'
        : code === 'ENOENT'
          ? 'no such directory'
          : code === 'ENOTDIR'
            ? 'a path component is not a directory'
            : code === 'EISDIR'
              ? 'it is a directory'
              : ((error as Error | undefined)?.message ?? String(error));
  return new LocalFileError(path, `cannot ${action} ${path}: ${why}`, { cause: error });
}
