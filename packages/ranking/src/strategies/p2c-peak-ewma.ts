import type { TableEntry } from '../endpoint-table.js';
import { PeakEwma } from '../load/peak-ewma.js';
import { PendingRequests } from '../load/pending.js';
import { checkNumberOption } from '../option-checks.js';
import { checkNow, validateOutcome } from '../sample-validation.js';
import { createSeededRandom, DEFAULT_RANDOM_SEED } from '../seeded-random.js';
import { pickTwoChoices, twoChoicesShares } from '../select/p2c.js';
import type { StrategyEntry } from '../strategy-entry.js';
import type {
  Outcome,
  PickContext,
  PickResult,
  RandomSource,
  Sample,
  StrategyDeps,
} from '../types.js';
import { EndpointTableStrategy } from './endpoint-table-strategy.js';
import { sharesMap } from './shares-map.js';

export interface P2cPeakEwmaOptions {
  /** Decay time constant τ of the latency estimate in ms (default 10 000). */
  tauMs?: number;
  /** A failure counts as at least this latency in ms (default 5 000). */
  failurePenaltyMs?: number;
}

interface PeakEwmaLoad {
  readonly latency: PeakEwma;
  readonly pending: PendingRequests;
}

/**
 * Cost of an endpoint that has pending requests but no latency sample yet (Finagle's penalty):
 * huge, so a new endpoint gets one request at a time until it has been measured.
 */
export const UNMEASURED_PENALTY_MS = 1e12;

/**
 * Finagle/Linkerd's P2C over peak-EWMA latency: cost = latency estimate × (pending + 1) / weight,
 * two random candidates, the cheaper wins. The estimator (`PeakEwma`) jumps to latency peaks and
 * decays with τ; multiplying by pending+1 reacts to queueing before latency samples arrive.
 *
 * - Feeds: successful probes (totalMs), request samples (latencyMs) and each pick's `done` outcome.
 * - Failures (a failed probe or request, a `done` with ok: false) are recorded as a latency of at
 *   least `failurePenaltyMs`. Being above the estimate it acts as a peak at once, so a server that
 *   fails fast cannot attract traffic by looking quick; the penalty then decays with τ.
 * - Unmeasured endpoints, as in Finagle: cost 0 while idle, `UNMEASURED_PENALTY_MS + pending`
 *   once a request is in flight, so each new endpoint is tried promptly but one request at a time.
 */
export class P2cPeakEwmaStrategy extends EndpointTableStrategy<PeakEwmaLoad> {
  readonly name = 'p2c-peak-ewma';
  readonly tauMs: number;
  readonly failurePenaltyMs: number;
  readonly #random: RandomSource;

  constructor(options: P2cPeakEwmaOptions = {}, deps: Partial<StrategyDeps> = {}) {
    const tauMs = checkNumberOption('tauMs', options.tauMs, 10_000, { min: 0, minExclusive: true });
    super(() => ({ latency: new PeakEwma(tauMs), pending: new PendingRequests() }));
    this.tauMs = tauMs;
    this.failurePenaltyMs = checkNumberOption('failurePenaltyMs', options.failurePenaltyMs, 5_000, {
      min: 0,
    });
    this.#random = deps.random ?? createSeededRandom(DEFAULT_RANDOM_SEED);
  }

  /** Requests in flight to `id` (0 for an unknown id). */
  pending(id: string): number {
    return this.table.get(id)?.state.pending.count ?? 0;
  }

  /** The cost P2C compares for `id` at `now`, or undefined for an unknown id. */
  cost(id: string, now: number): number | undefined {
    checkNow(now);
    const entry = this.table.get(id);
    return entry ? costAt(entry, now) : undefined;
  }

  protected override onSample(entry: TableEntry<PeakEwmaLoad>, sample: Sample, now: number): void {
    if (sample.kind === 'probe') {
      entry.state.latency.observe(sample.ok ? sample.totalMs : this.failurePenaltyMs, now);
      return;
    }
    this.#record(entry.state, sample.ok, sample.latencyMs, now);
  }

  pick(ctx: PickContext): PickResult {
    const now = ctx.now;
    checkNow(now);
    const candidates = this.table.candidates(ctx.exclude);
    if (!candidates.ok) return candidates;
    const chosen = pickTwoChoices(candidates.entries, (entry) => costAt(entry, now), this.#random);
    const state = chosen.state;
    const release = state.pending.start();
    return {
      ok: true,
      endpoint: chosen.endpoint,
      done: (outcome: Outcome) => {
        validateOutcome(outcome);
        release();
        this.#record(state, outcome.ok, outcome.latencyMs, outcome.now);
      },
    };
  }

  shares(now: number): ReadonlyMap<string, number> {
    checkNow(now);
    const candidates = this.table.candidates(undefined);
    const eligible = new Map<string, number>();
    if (candidates.ok) {
      const shares = twoChoicesShares(candidates.entries, (entry) => costAt(entry, now));
      candidates.entries.forEach((entry, i) => {
        eligible.set(entry.endpoint.id, shares[i]!);
      });
    }
    return sharesMap(this.table.endpoints, eligible);
  }

  #record(state: PeakEwmaLoad, ok: boolean, latencyMs: number, now: number): void {
    state.latency.observe(ok ? latencyMs : Math.max(latencyMs, this.failurePenaltyMs), now);
  }
}

function costAt(entry: TableEntry<PeakEwmaLoad>, now: number): number {
  const pending = entry.state.pending.count;
  const estimate = entry.state.latency.estimate(now);
  if (estimate === undefined) {
    return pending === 0 ? 0 : (UNMEASURED_PENALTY_MS + pending) / entry.endpoint.weight;
  }
  return (estimate * (pending + 1)) / entry.endpoint.weight;
}

export const entry: StrategyEntry = {
  info: {
    name: 'p2c-peak-ewma',
    description:
      'Power of two choices on peak-EWMA latency × (pending + 1) (Finagle/Linkerd); needs done().',
    options: [
      {
        name: 'tauMs',
        type: 'number',
        default: 10_000,
        description: 'Decay time constant of the latency estimate, ms (> 0).',
      },
      {
        name: 'failurePenaltyMs',
        type: 'number',
        default: 5_000,
        description: 'A failed probe or request counts as at least this latency, ms (>= 0).',
      },
    ],
    hashed: false,
  },
  create: (options, deps) =>
    new P2cPeakEwmaStrategy(
      {
        tauMs: options['tauMs'] as number,
        failurePenaltyMs: options['failurePenaltyMs'] as number,
      },
      deps,
    ),
};
