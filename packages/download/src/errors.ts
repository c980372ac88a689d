/**
 * Errors of @lb/download, in the style of undici's `lib/core/errors.js`: one base class with a
 * library-prefixed `code`, subclasses with a literal `code` and payload fields. Callers match on
 * `code`, never on the message text; the message is written for a person and can be shown as is.
 */

export type DownloadErrorCode =
  | 'LB_DOWNLOAD_INVALID_OPTION'
  | 'LB_DOWNLOAD_NO_MIRROR_LEFT'
  | 'LB_DOWNLOAD_SERVERS_LOST'
  | 'LB_DOWNLOAD_VERIFICATION'
  | 'LB_DOWNLOAD_RESUME'
  | 'LB_DOWNLOAD_LOCAL_FILE'
  | 'LB_DOWNLOAD_ABORTED'
  | 'LB_DOWNLOAD_INTERNAL';

/** Base class of every error @lb/download rejects with. */
export class DownloadError extends Error {
  constructor(
    readonly code: DownloadErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An option is missing or out of its domain (no mirrors, a URL that is not http:). */
export class InvalidOptionError extends DownloadError {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super('LB_DOWNLOAD_INVALID_OPTION', message);
  }
}

/** Every mirror was dropped (disagreeing, lying, or without the file): nobody is left to ask. */
export class NoMirrorLeftError extends DownloadError {
  constructor(
    message: string,
    /** Every drop was an HTTP status (e.g. all 404), rather than bad or disagreeing bytes. */
    readonly onlyHttpErrors: boolean,
  ) {
    super('LB_DOWNLOAD_NO_MIRROR_LEFT', message);
  }
}

/** No mirror answered for `waitMs`. The partial download is kept for a resume. */
export class ServersLostError extends DownloadError {
  /** Some mirror answered earlier in this run (then resuming makes sense). */
  readonly everConnected: boolean;
  readonly waitMs: number;
  /** Where the partial download is kept; undefined when it never started. */
  readonly partPath: string | undefined;
  readonly urls: readonly string[];

  constructor(details: {
    everConnected: boolean;
    waitMs: number;
    partPath: string | undefined;
    urls: readonly string[];
  }) {
    const seconds = Number((details.waitMs / 1000).toFixed(3));
    const where = details.partPath === undefined ? '' : ` in ${details.partPath}`;
    super(
      'LB_DOWNLOAD_SERVERS_LOST',
      details.everConnected
        ? `all mirrors unreachable for ${seconds} s; the partial download is kept${where}`
        : `no mirror answered within ${seconds} s: ${details.urls.join(', ')}`,
    );
    this.everConnected = details.everConnected;
    this.waitMs = details.waitMs;
    this.partPath = details.partPath;
    this.urls = details.urls;
  }
}

/** The bytes on disk do not match the whole-file SHA-256 the mirrors gave; the `.part` is removed. */
export class VerificationError extends DownloadError {
  constructor(message: string, options?: ErrorOptions) {
    super('LB_DOWNLOAD_VERIFICATION', message, options);
  }
}

/** `resume: true` cannot continue the partial download safely (its files are left as they are). */
export class ResumeError extends DownloadError {
  constructor(
    message: string,
    /** What to do instead: download without resuming, which starts over or fetches the new file. */
    readonly advice: 'start over' | 'download it anew',
    options?: ErrorOptions,
  ) {
    super('LB_DOWNLOAD_RESUME', message, options);
  }
}

/** A local file (the `.part`, the manifest, the final file) cannot be opened, written or read. */
export class LocalFileError extends DownloadError {
  constructor(
    readonly path: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super('LB_DOWNLOAD_LOCAL_FILE', message, options);
  }
}

/** The caller's `signal` aborted; `reason` is the signal's reason. The manifest was saved. */
export class DownloadAbortedError extends DownloadError {
  constructor(readonly reason: unknown) {
    super('LB_DOWNLOAD_ABORTED', 'the download was aborted', { cause: reason });
  }
}

/** A bug or an unforeseen failure inside the engine; `cause` is the original error. */
export class InternalDownloadError extends DownloadError {
  constructor(cause: unknown) {
    super('LB_DOWNLOAD_INTERNAL', `internal error: ${(cause as Error)?.message ?? cause}`, {
      cause,
    });
  }
}

/** Why the file system refused, in words: "permission denied", "no space left on the device"... */
export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'ENOENT':
      return 'no such directory';
    case 'ENOTDIR':
      return 'a path component is not a directory';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return (error as Error | undefined)?.message ?? String(error);
  }
}

/** A LocalFileError for an fs error: "cannot write /x: no space left on the device". */
export function localFileError(path: string, action: string, error: unknown): LocalFileError {
  return new LocalFileError(path, `cannot ${action} ${path}: ${describeFileError(error)}`, {
    cause: error,
  });
}
