/**
 * Errors of @lb/probe, in the style of undici's `lib/core/errors.js`: a base class with a
 * library-prefixed `code`, subclasses with a literal `code`. Only programming mistakes throw (a bad
 * option, a malformed target); what a server does to a probe is a `ProbeFailure` result instead,
 * whose `error.code` is one of {@link PROBE_FAILURE_CODES} or a `LBW_*` code of @lb/http-wire.
 */

export class ProbeError extends Error {
  override name = 'ProbeError';
  code: string = 'LBP';
}

/** An option of `probe` or `Prober` is out of range, or a target is not `host:port`. */
export class InvalidProbeOptionError extends ProbeError {
  override name = 'InvalidProbeOptionError';
  override code = 'LBP_INVALID_OPTION' as const;
  readonly option: string;
  readonly value: unknown;

  constructor(option: string, value: unknown, expected: string) {
    super(
      `Invalid probe option "${option}" (${JSON.stringify(value) ?? String(value)}): ${expected}`,
    );
    this.option = option;
    this.value = value;
  }
}

/** Failure codes the probe itself assigns (the others come from @lb/http-wire). */
export const PROBE_FAILURE_CODES = {
  /** The whole transfer (connect to last byte) did not finish within `timeoutMs`. */
  timeout: 'LBP_TIMEOUT',
  /** The server answered, but not with a 2xx status. */
  badStatus: 'LBP_BAD_STATUS',
  /** The caller aborted the probe (its signal fired, or the Prober stopped). */
  aborted: 'LBP_ABORTED',
  /** Something without a code went wrong (reported rather than thrown, like everything else). */
  unexpected: 'LBP_UNEXPECTED',
} as const;
