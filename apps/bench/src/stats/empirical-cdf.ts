/**
 * Points of an empirical CDF, thinned for plotting: a CDF of 10,000 latencies needs no 10,000
 * vertices to look right, and an SVG with 70,000 points is unreadable in a diff. The thinning spends
 * three quarters of the budget on evenly spaced ranks and a quarter on the highest ranks exactly,
 * because the far tail is where strategies differ and even spacing would skip it.
 */
export interface CdfPoint {
  /** The value (e.g. latency in ms). */
  value: number;
  /** Fraction of the values at or below `value`, in (0, 1]. */
  fraction: number;
}

export function empiricalCdf(values: readonly number[], maxPoints = 200): CdfPoint[] {
  const n = values.length;
  if (n === 0) return [];
  if (maxPoints < 2) throw new RangeError(`maxPoints must be at least 2, got ${maxPoints}`);
  const sorted = Float64Array.from(values).sort();
  const ranks = new Set<number>();
  if (n <= maxPoints) {
    for (let rank = 1; rank <= n; rank++) ranks.add(rank);
  } else {
    const tail = Math.floor(maxPoints / 4);
    for (let rank = n - tail + 1; rank <= n; rank++) ranks.add(rank);
    const body = maxPoints - tail;
    for (let step = 1; step <= body; step++) ranks.add(Math.ceil((step * (n - tail)) / body));
  }
  return [...ranks]
    .sort((a, b) => a - b)
    .map((rank) => ({ value: sorted[rank - 1]!, fraction: rank / n }));
}
