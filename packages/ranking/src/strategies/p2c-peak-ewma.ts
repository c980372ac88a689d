import type { TableEntry } from '../endpoint-table.js';
import { FailurePenalty } from '../load/failure-penalty.js';
import { PeakEwma } from '../load/peak-ewma.js';
import { PendingRequests } from '../load/pending.js';
import { checkNumberOption } from '../option-checks.js';
import type { StrategyEntry } from '../strategy-entry.js';
import type { Outcome, Sample, StrategyDeps } from '../types.js';
import { CHOICES_OPTION } from './power-of-choices.js';
import { PowerOfChoicesStrategy } from './power-of-choices-strategy.js';

export interface P2cPeakEwmaOptions {
  /** Decay time constant τ of the latency estimate in ms (default 10 000). */
  tauMs?: number;
  /** A failure counts as a latency of at least this many ms (default 5 000). */
  failurePenaltyMs?: number;
  /** Time constant with which a failure's penalty fades, ms (default 1 000). */
  failureDecayMs?: number;
  /** Candidates sampled per pick, d of power-of-d choices (integer ≥ 2, default 2). */
  choices?: number;
}

interface PeakEwmaLoad {
  readonly latency: PeakEwma;
  readonly penalty: FailurePenalty;
  readonly pending: PendingRequests;
}

/**
 * Cost of an endpoint that has pending requests but no latency sample yet (Finagle's penalty):
 * huge, so a new endpoint gets one request at a time until it has been measured.
 */
export const UNMEASURED_PENALTY_MS = 1e12;

export const P2C_PEAK_EWMA_DEFAULTS = Object.freeze({
  tauMs: 10_000,
  failurePenaltyMs: 5_000,
  failureDecayMs: 1_000,
  choices: 2,
});

/**
 * Finagle/Linkerd's P2C over peak-EWMA latency: cost = max(latency estimate, failure penalty) ×
 * (pending + 1) / weight; `choices` random candidates (two by default), the cheapest wins. The
 * estimator (`PeakEwma`) jumps to latency peaks and decays with τ; multiplying by pending+1 reacts
 * to queueing before latency samples arrive.
 *
 * - Latency: successful probes (totalMs), successful request samples and `done` outcomes.
 * - Failures (a failed probe or request, a `done` with ok: false) arm a separate `FailurePenalty`
 *   of max(failurePenaltyMs, the failure's latency): the endpoint costs at least that at once, so
 *   a server that fails fast cannot attract traffic by looking quick. The penalty fades with
 *   `failureDecayMs` (so an endpoint nobody sends to is retried within seconds) and is cleared by
 *   the first success sent after the failure (a probe, typically), so a recovered server gets its
 *   traffic back at its next successful probe. Failures never enter the latency estimate.
 * - Unmeasured endpoints, as in Finagle: cost 0 while idle, `UNMEASURED_PENALTY_MS + pending`
 *   once a request is in flight, so each new endpoint is tried promptly but one request at a time.
 *
 * A pick without `exclude` is O(choices²) with no allocation besides the result and its `done`.
 */
export class P2cPeakEwmaStrategy extends PowerOfChoicesStrategy<PeakEwmaLoad> {
  readonly name = 'p2c-peak-ewma';
  readonly tauMs: number;
  readonly failurePenaltyMs: number;
  readonly failureDecayMs: number;

  constructor(options: P2cPeakEwmaOptions = {}, deps: Partial<StrategyDeps> = {}) {
    const defaults = P2C_PEAK_EWMA_DEFAULTS;
    const tauMs = checkNumberOption('tauMs', options.tauMs, defaults.tauMs, {
      min: 0,
      minExclusive: true,
    });
    const failureDecayMs = checkNumberOption(
      'failureDecayMs',
      options.failureDecayMs,
      defaults.failureDecayMs,
      { min: 0, minExclusive: true },
    );
    super(
      () => ({
        latency: new PeakEwma(tauMs),
        penalty: new FailurePenalty(failureDecayMs),
        pending: new PendingRequests(),
      }),
      options.choices,
      deps,
    );
    this.tauMs = tauMs;
    this.failureDecayMs = failureDecayMs;
    this.failurePenaltyMs = checkNumberOption(
      'failurePenaltyMs',
      options.failurePenaltyMs,
      defaults.failurePenaltyMs,
      { min: 0 },
    );
  }

  protected override onSample(entry: TableEntry<PeakEwmaLoad>, sample: Sample, now: number): void {
    if (sample.kind === 'probe') {
      if (sample.ok) this.#succeed(entry.state, sample.totalMs, now);
      else entry.state.penalty.fail(this.failurePenaltyMs, now);
      return;
    }
    this.#record(entry.state, sample.ok, sample.latencyMs, now);
  }

  protected override onDone(state: PeakEwmaLoad, outcome: Outcome): void {
    this.#record(state, outcome.ok, outcome.latencyMs, outcome.now);
  }

  protected override costAt(entry: TableEntry<PeakEwmaLoad>, now: number): number {
    const { latency, penalty, pending } = entry.state;
    const inFlight = pending.count;
    const penaltyMs = penalty.value(now);
    const estimate = latency.estimate(now);
    if (estimate === undefined) {
      const unmeasured = inFlight === 0 ? 0 : UNMEASURED_PENALTY_MS + inFlight;
      return Math.max(unmeasured, penaltyMs * (inFlight + 1)) / entry.endpoint.weight;
    }
    return (Math.max(estimate, penaltyMs) * (inFlight + 1)) / entry.endpoint.weight;
  }

  #record(state: PeakEwmaLoad, ok: boolean, latencyMs: number, now: number): void {
    if (ok) this.#succeed(state, latencyMs, now);
    else state.penalty.fail(Math.max(latencyMs, this.failurePenaltyMs), now);
  }

  #succeed(state: PeakEwmaLoad, latencyMs: number, now: number): void {
    state.latency.observe(latencyMs, now);
    state.penalty.succeed(now - latencyMs);
  }
}

export const entry: StrategyEntry = {
  info: {
    name: 'p2c-peak-ewma',
    description:
      'Power of two (or d) choices on peak-EWMA latency × (pending + 1) (Finagle/Linkerd); needs done().',
    options: [
      {
        name: 'tauMs',
        type: 'number',
        default: P2C_PEAK_EWMA_DEFAULTS.tauMs,
        description: 'Decay time constant of the latency estimate, ms (> 0).',
      },
      {
        name: 'failurePenaltyMs',
        type: 'number',
        default: P2C_PEAK_EWMA_DEFAULTS.failurePenaltyMs,
        description: 'A failed probe or request counts as at least this latency, ms (>= 0).',
      },
      {
        name: 'failureDecayMs',
        type: 'number',
        default: P2C_PEAK_EWMA_DEFAULTS.failureDecayMs,
        description:
          'Time constant of the failure penalty, ms (> 0); a success sent after the failure clears it.',
      },
      CHOICES_OPTION,
    ],
    hashed: false,
  },
  create: (options, deps) => new P2cPeakEwmaStrategy(options as P2cPeakEwmaOptions, deps),
};
