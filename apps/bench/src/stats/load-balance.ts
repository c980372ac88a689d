/** Balance of a distribution of requests over servers: the numbers plot. */
export interface LoadBalance {
  servers: number;
  total: number;
  mean: number;
  min: number;
  max: number;
  /** max / mean: 1 is perfect; the busiest server's overload factor. */
  maxOverMean: number;
  /** Coefficient of variation (population standard deviation / mean). */
  cv: number;
}

/**
 * `counts` must list every server, including those that got nothing (0): a server absent from the
 * counts would silently flatter the balance.
 */
export function loadBalance(counts: readonly number[]): LoadBalance {
  const servers = counts.length;
  if (servers === 0) throw new RangeError('no servers to measure');
  const total = counts.reduce((sum, count) => sum + count, 0);
  const mean = total / servers;
  const variance = counts.reduce((sum, count) => sum + (count - mean) ** 2, 0) / servers;
  const max = Math.max(...counts);
  return {
    servers,
    total,
    mean,
    min: Math.min(...counts),
    max,
    maxOverMean: mean === 0 ? Number.NaN : max / mean,
    cv: mean === 0 ? Number.NaN : Math.sqrt(variance) / mean,
  };
}
