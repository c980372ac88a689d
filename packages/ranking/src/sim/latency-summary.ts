/** Mean and tail percentiles of a set of latencies, in ms. */
export interface LatencySummary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

/**
 * Summarises `latenciesMs` (not modified). Percentiles use the nearest-rank definition — the smallest
 * observed value with at least q·n values at or below it — so every reported number is a latency some
 * request actually had. With no values every field but `count` is NaN.
 */
export function summarizeLatencies(latenciesMs: Float64Array): LatencySummary {
  const n = latenciesMs.length;
  if (n === 0) {
    return {
      count: 0,
      mean: Number.NaN,
      p50: Number.NaN,
      p95: Number.NaN,
      p99: Number.NaN,
      p999: Number.NaN,
      max: Number.NaN,
    };
  }
  // A typed array sorts numerically, unlike Array.prototype.sort's default string order.
  const sorted = Float64Array.from(latenciesMs).sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  return {
    count: n,
    mean: sum / n,
    p50: nearestRank(sorted, 0.5),
    p95: nearestRank(sorted, 0.95),
    p99: nearestRank(sorted, 0.99),
    p999: nearestRank(sorted, 0.999),
    max: sorted[n - 1]!,
  };
}

/** The q-quantile (0 < q <= 1) of an ascending array by nearest rank. */
export function nearestRank(sorted: Float64Array, q: number): number {
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}
