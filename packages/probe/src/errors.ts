/**
 * Errors of @lb/probe, in the style of undici's `lib/core/errors.js`: a base class with a
 * library-prefixed `code`, subclasses with a literal `code`. Only programming mistakes throw (a bad
 * option, a malformed target); what a server does to a probe is a `ProbeFailure` result instead,
 * whose `error.code` is one of {@link PROBE_FAILURE_CODES} or a `LB_WIRE_*` code of @lb/http-wire.
 */

export type ProbeErrorCode = 'LB_PROBE_ERROR' | 'LB_PROBE_INVALID_OPTION';

/** Base class of every error thrown by @lb/probe; `name` is the subclass's own. */
export class ProbeError extends Error {
  constructor(
    readonly code: ProbeErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An option of `probe` or `Prober` is out of range, or a target is not `host:port`. */
export class InvalidProbeOptionError extends ProbeError {
  declare readonly code: 'LB_PROBE_INVALID_OPTION';

  constructor(
    readonly option: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(
      'LB_PROBE_INVALID_OPTION',
      `Invalid probe option "${option}" (${JSON.stringify(value) ?? String(value)}): ${expected}`,
    );
  }
}

/** Failure codes the probe itself assigns (the others come from @lb/http-wire). */
export const PROBE_FAILURE_CODES = {
  /** The whole transfer (connect to last byte) did not finish within `timeoutMs`. */
  timeout: 'LB_PROBE_TIMEOUT',
  /** The server answered, but not with a 2xx status. */
  badStatus: 'LB_PROBE_BAD_STATUS',
  /** The caller aborted the probe (its signal fired, or the Prober stopped). */
  aborted: 'LB_PROBE_ABORTED',
  /** Something without a code went wrong (reported rather than thrown, like everything else). */
  unexpected: 'LB_PROBE_UNEXPECTED',
} as const;
