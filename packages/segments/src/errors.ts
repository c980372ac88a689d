/**
 * Errors of @lb/segments, in the style of undici's `lib/core/errors.js`: one base class with a
 * library-prefixed `code`, subclasses with a literal `code`, a default message and payload fields.
 * Callers match on `code`, never on the message text.
 */

/** Base class of every error thrown by @lb/segments. */
export class SegmentsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An argument is out of its domain (negative byte count, non-finite time, bad option). */
export class InvalidArgumentError extends SegmentsError {
  constructor(
    /** Name of the offending argument or option, e.g. `'bytes'`, `'stall.noBytesMs'`. */
    readonly argument: string,
    readonly value: unknown,
    message?: string,
  ) {
    super('LB_SEGMENTS_INVALID_ARGUMENT', message ?? `Invalid ${argument}: ${describe(value)}`);
  }
}

/** A file size or fragment policy cannot be planned (negative, NaN, above 2^53-1, non-integer). */
export class InvalidPlanError extends SegmentsError {
  constructor(
    /** `'size'`, `'fragmentSize'`, `'maxFragments'`, `'minFragmentSize'` or `'done'`. */
    readonly field: string,
    readonly value: unknown,
    message?: string,
  ) {
    super(
      'LB_SEGMENTS_INVALID_PLAN',
      message ?? `Cannot plan fragments: invalid ${field} ${describe(value)}`,
    );
  }
}

/** A fragment map (the server's JSON) is not valid JSON or violates the schema. */
export class FragmentMapInvalidError extends SegmentsError {
  constructor(
    /** The first offending field (`'json'` when the text does not parse), e.g. `'fragments[3]'`. */
    readonly field: string,
    message?: string,
  ) {
    super('LB_SEGMENTS_FRAGMENT_MAP_INVALID', message ?? `Invalid fragment map: bad ${field}`);
  }
}

/** A fragment map declares a format version this library does not understand. */
export class FragmentMapVersionError extends SegmentsError {
  constructor(
    readonly version: number,
    message?: string,
  ) {
    super(
      'LB_SEGMENTS_FRAGMENT_MAP_VERSION',
      message ?? `Unsupported fragment map version ${version} (this library reads version 1)`,
    );
  }
}

/** A RandomAccessSource returned fewer bytes than asked: the file shrank while being read. */
export class ShortReadError extends SegmentsError {
  constructor(
    readonly position: number,
    readonly expected: number,
    readonly actual: number,
    message?: string,
  ) {
    super(
      'LB_SEGMENTS_SHORT_READ',
      message ?? `Short read at ${position}: expected ${expected} bytes, got ${actual}`,
    );
  }
}

/** Why a manifest is corrupt: unparsable text, wrong shape, or a checksum that does not match. */
export type ManifestCorruptReason = 'json' | 'schema' | 'checksum';

/** The manifest file exists but cannot be trusted (torn write, bit rot, hand edit). */
export class ManifestCorruptError extends SegmentsError {
  constructor(
    readonly path: string,
    readonly reason: ManifestCorruptReason,
    /** For `reason: 'schema'`, the first offending field, e.g. `'file.size'`. */
    readonly field?: string,
    message?: string,
  ) {
    super(
      'LB_SEGMENTS_MANIFEST_CORRUPT',
      message ??
        `Corrupt manifest ${path}: ${reason === 'schema' ? `bad ${field ?? 'structure'}` : reason === 'json' ? 'not valid JSON' : 'checksum mismatch'}`,
    );
  }
}

/** The manifest was written in a format version this library does not understand. */
export class ManifestVersionError extends SegmentsError {
  constructor(
    readonly path: string,
    readonly version: number,
    message?: string,
  ) {
    super(
      'LB_SEGMENTS_MANIFEST_VERSION',
      message ?? `Unsupported manifest version ${version} in ${path} (this library reads 1)`,
    );
  }
}

/** One field in which the remote file differs from what the manifest recorded. */
export interface ManifestDifference {
  readonly field: 'size' | 'etag' | 'sha256' | 'fragmentSize';
  readonly expected: string | number;
  readonly actual: string | number;
}

/** The remote file is not the one the manifest describes: resuming would mix two files. */
export class ManifestMismatchError extends SegmentsError {
  constructor(
    readonly differences: readonly ManifestDifference[],
    message?: string,
  ) {
    super(
      'LB_SEGMENTS_MANIFEST_MISMATCH',
      message ??
        `Remote file changed since the manifest was written: ${differences
          .map((d) => `${d.field} ${JSON.stringify(d.expected)} -> ${JSON.stringify(d.actual)}`)
          .join(', ')}`,
    );
  }
}

/** Which side lacks a strong ETag, and how. */
export type ManifestUnverifiableReason = 'missing-etag' | 'weak-etag';

/**
 * Nothing recorded differs from the remote file, but nothing proves it is the same either: no
 * SHA-256 on one side or both, and no strong ETag on `side` (a weak tag, `W/"…"`, allows different
 * bytes; no tag at all says nothing). Resuming could mix two versions, so it is refused.
 */
export class ManifestUnverifiableError extends SegmentsError {
  constructor(
    readonly side: 'manifest' | 'remote',
    readonly reason: ManifestUnverifiableReason,

    /** The offending tag (`''` when missing). */
    readonly etag: string,
    message?: string,
  ) {
    super(
      'LB_SEGMENTS_MANIFEST_UNVERIFIABLE',
      message ??
        `Cannot tell whether the remote file is the one the manifest describes: no SHA-256 to compare, and ${side === 'manifest' ? 'the manifest records' : 'the server sends'} ${reason === 'weak-etag' ? `only the weak ETag ${etag}` : 'no ETag'}`,
    );
  }
}

/** An existing `.part` file does not have the expected size, so its contents cannot be trusted. */
export class PartFileSizeError extends SegmentsError {
  constructor(
    readonly path: string,
    readonly expected: number,
    readonly actual: number,
    message?: string,
  ) {
    super(
      'LB_SEGMENTS_PART_FILE_SIZE',
      message ?? `${path} has ${actual} bytes, expected ${expected}`,
    );
  }
}

/** The `.part` file was used after `close()` or `finalize()`. */
export class PartFileClosedError extends SegmentsError {
  constructor(
    readonly path: string,
    message?: string,
  ) {
    super('LB_SEGMENTS_PART_FILE_CLOSED', message ?? `${path} is closed`);
  }
}

/** The scheduler was asked about a source it does not know (never added, or removed). */
export class UnknownSourceError extends SegmentsError {
  constructor(
    readonly sourceId: string,
    message?: string,
  ) {
    super('LB_SEGMENTS_UNKNOWN_SOURCE', message ?? `Unknown source ${JSON.stringify(sourceId)}`);
  }
}

/** The scheduler never issued this assignment id. */
export class UnknownAssignmentError extends SegmentsError {
  constructor(
    readonly assignmentId: number,
    message?: string,
  ) {
    super('LB_SEGMENTS_UNKNOWN_ASSIGNMENT', message ?? `Unknown assignment ${assignmentId}`);
  }
}

/** `next()` was called for a source that still holds an active assignment (one transfer per source). */
export class SourceBusyError extends SegmentsError {
  constructor(
    readonly sourceId: string,
    readonly assignmentId: number,
    message?: string,
  ) {
    super(
      'LB_SEGMENTS_SOURCE_BUSY',
      message ??
        `Source ${JSON.stringify(sourceId)} still holds assignment ${assignmentId}; complete or fail it first`,
    );
  }
}

function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
