export type { Candidates, TableEntry } from './endpoint-table.js';
export { EndpointTable, normalizeEndpoint } from './endpoint-table.js';
export {
  InvalidEndpointError,
  InvalidSampleError,
  InvalidSeedError,
  InvalidStrategyOptionError,
  RankingError,
  SimulationConfigError,
  UnknownStrategyError,
} from './errors.js';
export type { NumberBounds } from './option-checks.js';
export { checkBooleanOption, checkChoiceOption, checkNumberOption } from './option-checks.js';
export { createStrategy, listStrategies } from './registry.js';
export { checkNow, validateOutcome, validateSample } from './sample-validation.js';
export { createSeededRandom, DEFAULT_RANDOM_SEED } from './seeded-random.js';
export { normalizeWeights, pickWeightedIndex } from './select/weighted-choice.js';
export { RandomStrategy } from './strategies/random.js';
export { sharesMap } from './strategies/shares-map.js';
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
