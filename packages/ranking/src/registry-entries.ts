import { entry as consistentHash } from './strategies/consistent-hash.js';
import { entry as consistentHashSlots } from './strategies/consistent-hash-slots.js';
import { entry as inverseTime } from './strategies/inverse-time.js';
import { entry as jumpHash } from './strategies/jump.js';
import { entry as leastPendingP2c } from './strategies/least-pending-p2c.js';
import { entry as maglev } from './strategies/maglev.js';
import { entry as p2cPeakEwma } from './strategies/p2c-peak-ewma.js';
import { entry as random } from './strategies/random.js';
import { entry as rankWeighted } from './strategies/rank-weighted.js';
import { entry as rendezvous } from './strategies/rendezvous.js';
import { entry as roundRobin } from './strategies/round-robin.js';
import { entry as smoothWeightedRoundRobin } from './strategies/smooth-weighted-round-robin.js';
import type { StrategyEntry } from './strategy-entry.js';

/**
 * Every strategy the registry can create, in listing order. To add one: export an `entry`
 * (`StrategyEntry`) from the strategy's file, import it here and append it to the array.
 */
export const strategyEntries: readonly StrategyEntry[] = [
  rankWeighted,
  inverseTime,
  roundRobin,
  smoothWeightedRoundRobin,
  random,
  leastPendingP2c,
  p2cPeakEwma,
  consistentHash,
  consistentHashSlots,
  maglev,
  rendezvous,
  jumpHash,
];
