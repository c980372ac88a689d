export type {
  ProbeFailure,
  ProbeFailureReason,
  ProbeFigures,
  ProbeResult,
  ProbeSuccess,
} from './probe-result.js';
