import { SimulationConfigError } from '../errors.js';
import type { RandomSource } from '../types.js';
import { requireIntegerAtLeast, requireKind, requirePositive } from './config-checks.js';

/** When simulated requests arrive at the balancer. Every kind issues exactly `requests` requests. */
export type ArrivalProcess =
  /** Open loop, Poisson: exponential inter-arrival times at `ratePerSec` requests per second. */
  | { readonly kind: 'poisson'; readonly ratePerSec: number; readonly requests: number }
  /**
   * Open loop, deterministic: evenly spaced at `ratePerSec`, or all at time 0 when `ratePerSec` is
   * omitted (a burst).
   */
  | { readonly kind: 'fixed'; readonly requests: number; readonly ratePerSec?: number }
  /**
   * Closed loop: `concurrency` clients each issue a request, wait for its outcome (success, failure or
   * timeout) and immediately issue the next — the load generator of tower's balance demo.
   */
  | { readonly kind: 'closed-loop'; readonly requests: number; readonly concurrency: number };

const KINDS = ['poisson', 'fixed', 'closed-loop'] as const;

/** Throws `SimulationConfigError` unless `value` is a well-formed {@link ArrivalProcess}. */
export function validateArrivalProcess(value: unknown, path: string): ArrivalProcess {
  const { kind, fields: arrivals } = requireKind(value, KINDS, path);
  requireIntegerAtLeast(arrivals['requests'], 1, `${path}.requests`);
  if (kind === 'poisson') requirePositive(arrivals['ratePerSec'], `${path}.ratePerSec`);
  if (kind === 'fixed' && arrivals['ratePerSec'] !== undefined) {
    requirePositive(arrivals['ratePerSec'], `${path}.ratePerSec`);
  }
  if (kind === 'closed-loop') {
    requireIntegerAtLeast(arrivals['concurrency'], 1, `${path}.concurrency`);
    if ((arrivals['concurrency'] as number) > (arrivals['requests'] as number)) {
      throw new SimulationConfigError(`${path}.concurrency`, 'must not exceed requests');
    }
  }
  return value as ArrivalProcess;
}

/** Arrival time (ms) of request `index` (0-based), given the previous request's arrival time. */
export type ArrivalClock = (index: number, previousMs: number) => number;

/**
 * For the open-loop kinds: returns the {@link ArrivalClock}. Closed-loop arrivals are driven by
 * completions, so the simulator handles them itself.
 */
export function createArrivalClock(
  arrivals: Exclude<ArrivalProcess, { kind: 'closed-loop' }>,
  random: RandomSource,
): ArrivalClock {
  if (arrivals.kind === 'poisson') {
    const meanGapMs = 1000 / arrivals.ratePerSec;
    // The first arrival comes one exponential gap after time 0 (the simulator passes previousMs = 0).
    return (_index, previousMs) => previousMs - meanGapMs * Math.log(1 - random());
  }
  const rate = arrivals.ratePerSec;
  if (rate === undefined) return () => 0;
  const gapMs = 1000 / rate;
  // index × gap, not a running sum, so a long run does not drift by accumulated rounding.
  return (index) => index * gapMs;
}
