export type { RankingErrorCode } from './errors.js';
export {
  InvalidEndpointError,
  InvalidSampleError,
  InvalidSeedError,
  InvalidStrategyOptionError,
  RankingError,
  SlotTableTooSmallError,
  UnknownStrategyError,
} from './errors.js';
export type { StrategyInfo, StrategyOptionInfo } from './registry.js';
export {
  createStrategy,
  listStrategies,
  listWrapperOptions,
  WRAPPER_OPTIONS,
} from './registry.js';
export { createSeededRandom, DEFAULT_RANDOM_SEED } from './seeded-random.js';
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
export type { HealthCheckedStrategy, HealthOptions } from './wrappers/with-health.js';
export { withHealth } from './wrappers/with-health.js';
export type { SlowStartOptions, SlowStartStrategy } from './wrappers/with-slow-start.js';
export { withSlowStart } from './wrappers/with-slow-start.js';
