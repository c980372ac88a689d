export { InvalidProbeOptionError, PROBE_FAILURE_CODES, ProbeError } from './errors.js';
export type { ProbeOptions } from './probe.js';
export {
  checkHealth,
  DEFAULT_HEALTH_PATH,
  DEFAULT_HEALTH_TIMEOUT_MS,
  DEFAULT_PROBE_PATH,
  DEFAULT_PROBE_TIMEOUT_MS,
  probe,
} from './probe.js';
export type {
  ProbeFailure,
  ProbeFailureReason,
  ProbeFigures,
  ProbeResult,
  ProbeSuccess,
} from './probe-result.js';
export type { ProbeTarget, ResolvedTarget } from './probe-target.js';
export { resolveTarget } from './probe-target.js';
export type {
  CheckFunction,
  ProberEvents,
  ProberOptions,
  ProberTimers,
  TargetState,
  TargetStatus,
} from './prober.js';
export { Prober } from './prober.js';
