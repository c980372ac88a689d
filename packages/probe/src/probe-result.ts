/**
 * What a probe reports. A probe never throws for anything the network or the server does: refused,
 * timed out, cut short or answered with an error status are all a {@link ProbeFailure}, so a round
 * over many servers is a plain `Promise.all`.
 */

/** Figures of one successful timed transfer, all in milliseconds from the start of the connect. */
export interface ProbeFigures {
  /** TCP connect finished. */
  connectMs: number;
  /** First byte of the response arrived. */
  ttfbMs: number;
  /** Last byte of the body arrived. */
  totalMs: number;
  /** Body bytes received. */
  bytes: number;
  /** `bytes / totalMs`, per second; 0 for an empty body. */
  bytesPerSec: number;
}

export interface ProbeSuccess extends ProbeFigures {
  ok: true;
  /** `host:port` of the probed server. */
  target: string;
  /** Status code of the response (2xx). */
  status: number;
  /** How many transfers were made; the figures are those of the median one (by `totalMs`). */
  samples: number;
}

/** Why a probe failed; `code` is a wire-library code (`LB_WIRE_*`) or one of the probe's own (`LB_PROBE_*`). */
export interface ProbeFailureReason {
  code: string;
  message: string;
}

export interface ProbeFailure {
  ok: false;
  target: string;
  error: ProbeFailureReason;
  /** Time spent until the failure was known. */
  totalMs: number;
  /** Status code when the server answered with a non-2xx status. */
  status?: number;
}

export type ProbeResult = ProbeSuccess | ProbeFailure;
