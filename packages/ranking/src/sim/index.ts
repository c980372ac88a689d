export { SimulationConfigError } from '../errors.js';
export type { ArrivalProcess } from './arrival-process.js';
export type { HashKeyDistribution } from './hash-key-distribution.js';
export type { LatencySummary } from './latency-summary.js';
export { summarizeLatencies } from './latency-summary.js';
export {
  mm1MeanSojourn,
  supermarketMeanSojourn,
  supermarketSojournQuantile,
  supermarketSojournTail,
} from './queueing-theory.js';
export type { HeterogeneousClusterScenarioOptions } from './scenarios/heterogeneous-cluster.js';
export {
  HETEROGENEOUS_MEDIANS_MS,
  heterogeneousClusterCapacityPerSec,
  heterogeneousClusterScenario,
} from './scenarios/heterogeneous-cluster.js';
export type { PinnedSlowServerScenarioOptions } from './scenarios/pinned-slow-server.js';
export { PINNED_SCENARIO, pinnedSlowServerScenario } from './scenarios/pinned-slow-server.js';
export type { SupermarketScenarioOptions } from './scenarios/supermarket.js';
export { supermarketScenario } from './scenarios/supermarket.js';
export type { TowerDemoScenarioOptions } from './scenarios/tower-demo.js';
export {
  TOWER_DEMO_MAX_LATENCIES_MS,
  towerDemoChoicesLatencyFloor,
  towerDemoScenario,
} from './scenarios/tower-demo.js';
export type { ServiceTimeDistribution } from './service-time-distribution.js';
export { simulate } from './simulate.js';
export type {
  ProbeConfig,
  SelectorConfig,
  ServerDisruption,
  SimulatedServerConfig,
  SimulationConfig,
} from './simulation-config.js';
export type { OutcomeCounts, ServerCounts, SimulationResult } from './simulation-result.js';
export { RequestOutcomeCode } from './simulation-result.js';
export type { TrafficBucket } from './traffic-recorder.js';
