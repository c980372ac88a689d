export type { Candidates, TableEntry } from './endpoint-table.js';
export { EndpointTable, normalizeEndpoint } from './endpoint-table.js';
export {
  InvalidEndpointError,
  InvalidSampleError,
  InvalidSeedError,
  InvalidStrategyOptionError,
  RankingError,
  SimulationConfigError,
  SlotTableTooSmallError,
  UnknownStrategyError,
} from './errors.js';
export { Ewma } from './load/ewma.js';
export { PeakEwma } from './load/peak-ewma.js';
export { PendingRequests } from './load/pending.js';
export { TransferEstimate } from './load/transfer-estimate.js';
export type { NumberBounds } from './option-checks.js';
export { checkBooleanOption, checkChoiceOption, checkNumberOption } from './option-checks.js';
export {
  createStrategy,
  listStrategies,
  listWrapperOptions,
  WRAPPER_OPTIONS,
} from './registry.js';
export { checkNow, validateOutcome, validateSample } from './sample-validation.js';
export { createSeededRandom, DEFAULT_RANDOM_SEED } from './seeded-random.js';
export { pickTwoChoices, twoChoicesShares } from './select/p2c.js';
export { normalizeWeights, pickWeightedIndex } from './select/weighted-choice.js';
export { EndpointTableStrategy } from './strategies/endpoint-table-strategy.js';
export type { InverseTimeMetric, InverseTimeOptions } from './strategies/inverse-time.js';
export { INVERSE_TIME_METRICS, InverseTimeStrategy } from './strategies/inverse-time.js';
export { LeastPendingP2cStrategy } from './strategies/least-pending-p2c.js';
export type { P2cPeakEwmaOptions } from './strategies/p2c-peak-ewma.js';
export { P2cPeakEwmaStrategy, UNMEASURED_PENALTY_MS } from './strategies/p2c-peak-ewma.js';
export { RandomStrategy } from './strategies/random.js';
export type { RankWeightedOptions } from './strategies/rank-weighted.js';
export { RankWeightedStrategy } from './strategies/rank-weighted.js';
export { RoundRobinStrategy } from './strategies/round-robin.js';
export { sharesMap } from './strategies/shares-map.js';
export { SmoothWeightedRoundRobinStrategy } from './strategies/smooth-weighted-round-robin.js';
export type {
  ResolvedOptions,
  StrategyEntry,
  StrategyInfo,
  StrategyOptionInfo,
} from './strategy-entry.js';
export type {
  Endpoint,
  MembershipChange,
  Outcome,
  PickContext,
  PickFailureReason,
  PickResult,
  RandomSource,
  Sample,
  Strategy,
  StrategyDeps,
} from './types.js';
export type { HealthOptions } from './wrappers/with-health.js';
export { HealthCheckedStrategy, withHealth } from './wrappers/with-health.js';
export type { SlowStartOptions } from './wrappers/with-slow-start.js';
export { SlowStartStrategy, withSlowStart } from './wrappers/with-slow-start.js';
