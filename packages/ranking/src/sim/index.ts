export type { ArrivalProcess } from './arrival-process.js';
export type { HashKeyDistribution } from './hash-key-distribution.js';
export type { LatencySummary } from './latency-summary.js';
export { summarizeLatencies } from './latency-summary.js';
export type { ServiceTimeDistribution } from './service-time-distribution.js';
export { simulate } from './simulate.js';
export type {
  ProbeConfig,
  SelectorConfig,
  ServerDisruption,
  SimulatedServerConfig,
  SimulationConfig,
} from './simulation-config.js';
export type {
  OutcomeCounts,
  ServerCounts,
  SimulationResult,
} from './simulation-result.js';
export { RequestOutcomeCode } from './simulation-result.js';
export type { TrafficBucket } from './traffic-recorder.js';
