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
export { fnv1a } from './hashing/fnv1a.js';
export type { HashFunction, HashFunctionName } from './hashing/hash-functions.js';
export { hashFunctionNames, hashFunctions, isHashFunctionName } from './hashing/hash-functions.js';
export type { RingMember } from './hashing/hash-ring.js';
export { HashRing } from './hashing/hash-ring.js';
export { HashedStrategyBase } from './hashing/hashed-strategy-base.js';
export { isPrime } from './hashing/is-prime.js';
export { jumpHash } from './hashing/jump-hash.js';
export type { MaglevMember } from './hashing/maglev-table.js';
export { buildMaglevTable } from './hashing/maglev-table.js';
export { fmix32, murmur3, murmur3Word } from './hashing/murmur3.js';
export { randomUint32, reduceToRange, toOpenUnitInterval } from './hashing/range-reduction.js';
export { rendezvousScore } from './hashing/rendezvous-score.js';
export { sha256Hash } from './hashing/sha256-hash.js';
export type { SlotMember, SlotProbing } from './hashing/slot-table.js';
export { SlotTable, slotProbingModes } from './hashing/slot-table.js';
export { DecayingCount } from './load/decaying-count.js';
export { Ewma } from './load/ewma.js';
export { FailurePenalty } from './load/failure-penalty.js';
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
export {
  bestOfChoicesShares,
  pickBestOfChoices,
  pickTwoChoices,
  twoChoicesShares,
} from './select/p2c.js';
export {
  CumulativeWeights,
  normalizeWeights,
  pickWeightedIndex,
} from './select/weighted-choice.js';
export type { ConsistentHashOptions } from './strategies/consistent-hash.js';
export { CONSISTENT_HASH_DEFAULTS, ConsistentHashStrategy } from './strategies/consistent-hash.js';
export type { SlotTableHashOptions } from './strategies/consistent-hash-slots.js';
export {
  SLOT_TABLE_HASH_DEFAULTS,
  SlotTableHashStrategy,
} from './strategies/consistent-hash-slots.js';
export { EndpointTableStrategy } from './strategies/endpoint-table-strategy.js';
export type { InverseTimeMetric, InverseTimeOptions } from './strategies/inverse-time.js';
export { INVERSE_TIME_METRICS, InverseTimeStrategy } from './strategies/inverse-time.js';
export type { JumpHashOptions } from './strategies/jump.js';
export {
  JUMP_HASH_DEFAULTS,
  JumpHashStrategy,
  MAX_JUMP_BUCKETS_PER_ENDPOINT,
} from './strategies/jump.js';
export type { LeastPendingP2cOptions } from './strategies/least-pending-p2c.js';
export {
  LEAST_PENDING_P2C_DEFAULTS,
  LeastPendingP2cStrategy,
} from './strategies/least-pending-p2c.js';
export type { MaglevOptions } from './strategies/maglev.js';
export { MAGLEV_DEFAULTS, MaglevStrategy } from './strategies/maglev.js';
export type { P2cPeakEwmaOptions } from './strategies/p2c-peak-ewma.js';
export {
  P2C_PEAK_EWMA_DEFAULTS,
  P2cPeakEwmaStrategy,
  UNMEASURED_PENALTY_MS,
} from './strategies/p2c-peak-ewma.js';
export { MAX_CHOICES } from './strategies/power-of-choices.js';
export { PowerOfChoicesStrategy } from './strategies/power-of-choices-strategy.js';
export { RandomStrategy } from './strategies/random.js';
export type { RankWeightedOptions } from './strategies/rank-weighted.js';
export { RankWeightedStrategy } from './strategies/rank-weighted.js';
export type { RendezvousOptions } from './strategies/rendezvous.js';
export { RENDEZVOUS_DEFAULTS, RendezvousStrategy } from './strategies/rendezvous.js';
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
