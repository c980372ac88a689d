import type { TableEntry } from '../endpoint-table.js';
import { DecayingCount } from '../load/decaying-count.js';
import { PendingRequests } from '../load/pending.js';
import { checkNumberOption } from '../option-checks.js';
import type { StrategyEntry } from '../strategy-entry.js';
import type { Outcome, Sample, StrategyDeps } from '../types.js';
import { CHOICES_OPTION } from './power-of-choices.js';
import { PowerOfChoicesStrategy } from './power-of-choices-strategy.js';

export interface LeastPendingP2cOptions {
  /**
   * A failure counts as one more request in flight for this long, ms (the half-life of the failure
   * count; default 1 000; 0 = failures are ignored).
   */
  failurePenaltyMs?: number;
  /** Candidates sampled per pick, d of power-of-d choices (integer ≥ 2, default 2). */
  choices?: number;
}

interface LeastPendingLoad {
  readonly pending: PendingRequests;
  /** Recent failures, half-life `failurePenaltyMs`; undefined when failures are ignored. */
  readonly failures: DecayingCount | undefined;
}

export const LEAST_PENDING_P2C_DEFAULTS = Object.freeze({ failurePenaltyMs: 1_000, choices: 2 });

/**
 * Power of two choices on in-flight requests (tower's `p2c` over `PendingRequests`, Envoy's
 * LEAST_REQUEST): sample two endpoints (`choices` for more), send to the one with fewer requests
 * in flight. `pick` counts the request; the returned `done` releases it (once, however often it is
 * called). Cost is (pending + recent failures + 1) / weight, so a weight-2 endpoint is as
 * attractive as a weight-1 endpoint with half its load.
 *
 * Failures (`done` with ok: false, failed probes and failed request samples) keep counting as
 * requests in flight after they return: each counts as one for `failurePenaltyMs`, a burst fades
 * one unit per half-life (`DecayingCount`) — a light, continuous form of Envoy's outlier ejection.
 * Without it a server that fails fast always looks least loaded and attracts traffic. With it, a
 * dead server settles where its phantom load matches the others' real load, i.e. it gets roughly
 * latency / failurePenaltyMs of a healthy server's share, and once it recovers the phantom load is
 * gone within a few `failurePenaltyMs`. Latencies are ignored.
 *
 * A pick without `exclude` is O(choices²) with no allocation besides the result and its `done`.
 */
export class LeastPendingP2cStrategy extends PowerOfChoicesStrategy<LeastPendingLoad> {
  readonly name = 'least-pending-p2c';
  readonly failurePenaltyMs: number;

  constructor(options: LeastPendingP2cOptions = {}, deps: Partial<StrategyDeps> = {}) {
    const failurePenaltyMs = checkNumberOption(
      'failurePenaltyMs',
      options.failurePenaltyMs,
      LEAST_PENDING_P2C_DEFAULTS.failurePenaltyMs,
      { min: 0 },
    );
    super(
      () => ({
        pending: new PendingRequests(),
        failures: failurePenaltyMs > 0 ? new DecayingCount(failurePenaltyMs) : undefined,
      }),
      options.choices,
      deps,
    );
    this.failurePenaltyMs = failurePenaltyMs;
  }

  protected override onSample(
    entry: TableEntry<LeastPendingLoad>,
    sample: Sample,
    now: number,
  ): void {
    if (!sample.ok) entry.state.failures?.add(now);
  }

  protected override onDone(state: LeastPendingLoad, outcome: Outcome): void {
    if (!outcome.ok) state.failures?.add(outcome.now);
  }

  protected override costAt(entry: TableEntry<LeastPendingLoad>, now: number): number {
    const { pending, failures } = entry.state;
    const phantom = failures === undefined ? 0 : failures.whole(now);
    return (pending.count + phantom + 1) / entry.endpoint.weight;
  }
}

export const entry: StrategyEntry = {
  info: {
    name: 'least-pending-p2c',
    description:
      'Power of two (or d) choices on requests in flight, failures counting as in flight for a while (needs done()).',
    options: [
      {
        name: 'failurePenaltyMs',
        type: 'number',
        default: LEAST_PENDING_P2C_DEFAULTS.failurePenaltyMs,
        description:
          'A failure counts as one more request in flight for this long, ms (>= 0; 0 = ignore failures).',
      },
      CHOICES_OPTION,
    ],
    hashed: false,
  },
  create: (options, deps) => new LeastPendingP2cStrategy(options as LeastPendingP2cOptions, deps),
};
