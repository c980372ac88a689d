import type { TableEntry } from '../endpoint-table.js';
import type { TransferEstimate } from '../load/transfer-estimate.js';
import { checkChoiceOption } from '../option-checks.js';
import { checkNow } from '../sample-validation.js';
import { normalizeWeights, pickWeightedIndex } from '../select/weighted-choice.js';
import type { StrategyEntry } from '../strategy-entry.js';
import type { PickContext, PickResult, StrategyDeps } from '../types.js';
import { activeExclude } from './endpoint-table-strategy.js';
import { isAvailable, ProbedTransferStrategy } from './probed-transfer-strategy.js';
import { sharesMap } from './shares-map.js';
import { excludesCandidate, type WeightedViewBuild } from './weighted-view.js';

export type InverseTimeMetric = 'bytes-per-sec' | 'inverse-total-ms';
export const INVERSE_TIME_METRICS: readonly InverseTimeMetric[] = [
  'bytes-per-sec',
  'inverse-total-ms',
];

export interface InverseTimeOptions {
  /** What the share is proportional to (default 'bytes-per-sec'). */
  metric?: InverseTimeMetric;
  /** Weight of the newest probe in the EWMA; 1 (default) uses the latest probe only. */
  alpha?: number;
}

/** Draws spent on excluded endpoints before a pick recomputes the weights of the rest. */
const MAX_REJECTED_DRAWS = 8;

/** A transfer time below this (ms) is clamped: a millisecond clock can report 0 for a tiny probe. */
const MIN_TOTAL_MS = 0.001;

/**
 * Share proportional to measured speed: probed throughput (bytes/s) or 1 / transfer time, times the
 * endpoint weight. A server twice as fast gets twice the share.
 *
 * - Unmeasured endpoints count as fast as the slowest measured one (equal shares when nothing is
 *   measured yet), mirroring rank-weighted's "new means slowest".
 * - A failed probe makes the endpoint unavailable until its next successful probe.
 * - If every candidate measures zero throughput the pick is uniform among them.
 *
 * Cost: weights and their cumulative sums are cached per membership and probe version, so a pick
 * is one draw and a binary search, O(log n). With `exclude`, draws that land on excluded endpoints
 * are repeated (exact, since a measured endpoint's weight does not depend on the others); only when
 * an unmeasured endpoint borrows the slowest speed, or most of the list is excluded, does the pick
 * recompute the weights of the rest, O(n).
 */
export class InverseTimeStrategy extends ProbedTransferStrategy {
  readonly name = 'inverse-time';
  readonly metric: InverseTimeMetric;

  constructor(options: InverseTimeOptions = {}, deps: Partial<StrategyDeps> = {}) {
    super(options.alpha, deps);
    this.metric = checkChoiceOption(
      'metric',
      options.metric,
      'bytes-per-sec',
      INVERSE_TIME_METRICS,
    );
  }

  protected buildView(
    entries: readonly TableEntry<TransferEstimate>[],
  ): WeightedViewBuild<TransferEstimate> {
    // Unmeasured endpoints borrow the slowest measured speed, which exclusion can change.
    const independent = entries.every((entry) => this.#speed(entry.state) !== undefined);
    return { entries, weights: this.#weights(entries), independent };
  }

  pick(ctx: PickContext): PickResult {
    checkNow(ctx.now);
    const exclude = activeExclude(ctx);
    const view = this.view;
    const { entries, cumulative } = view;
    if (exclude === undefined || !excludesCandidate(this.table, exclude, isAvailable)) {
      if (entries.length === 0) {
        return this.noCandidate(exclude, isAvailable);
      }
      const index =
        cumulative.total > 0
          ? cumulative.pick(this.random)
          : Math.floor(this.random() * entries.length);
      return entries[index]!.picked;
    }
    if (view.independent && cumulative.total > 0) {
      for (let attempt = 0; attempt < MAX_REJECTED_DRAWS; attempt++) {
        const entry = entries[cumulative.pick(this.random)]!;
        if (!exclude.has(entry.endpoint.id)) return entry.picked;
      }
    }
    const candidates = this.table.candidates(exclude, isAvailable);
    if (!candidates.ok) return candidates;
    const weights = this.#weights(candidates.entries);
    const index = weights.some((weight) => weight > 0)
      ? pickWeightedIndex(weights, this.random)
      : Math.floor(this.random() * weights.length);
    return candidates.entries[index]!.picked;
  }

  shares(now: number): ReadonlyMap<string, number> {
    checkNow(now);
    const { entries, weights } = this.view;
    const shares = normalizeWeights(weights);
    const eligible = new Map<string, number>();
    entries.forEach((entry, i) => {
      eligible.set(entry.endpoint.id, shares[i]!);
    });
    return sharesMap(this.table.endpoints, eligible);
  }

  #speed(estimate: TransferEstimate): number | undefined {
    if (this.metric === 'bytes-per-sec') return estimate.bytesPerSec;
    const totalMs = estimate.totalMs;
    return totalMs === undefined ? undefined : 1 / Math.max(totalMs, MIN_TOTAL_MS);
  }

  #weights(entries: readonly TableEntry<TransferEstimate>[]): number[] {
    const speeds = entries.map((entry) => this.#speed(entry.state));
    let slowest = Number.POSITIVE_INFINITY;
    for (const speed of speeds) if (speed !== undefined && speed < slowest) slowest = speed;
    const unmeasured = slowest === Number.POSITIVE_INFINITY ? 1 : slowest;
    return entries.map((entry, i) => (speeds[i] ?? unmeasured) * entry.endpoint.weight);
  }
}

export const entry: StrategyEntry = {
  info: {
    name: 'inverse-time',
    description: 'Share proportional to probed speed (throughput or 1 / transfer time).',
    options: [
      {
        name: 'metric',
        type: 'string',
        default: 'bytes-per-sec',
        choices: INVERSE_TIME_METRICS,
        description:
          'bytes-per-sec: share ∝ throughput; inverse-total-ms: share ∝ 1 / transfer time.',
      },
      {
        name: 'alpha',
        type: 'number',
        default: 1,
        description: 'Weight of the newest probe in the EWMA, in (0, 1]; 1 = latest probe only.',
      },
    ],
    hashed: false,
  },
  create: (options, deps) => new InverseTimeStrategy(options as InverseTimeOptions, deps),
};
