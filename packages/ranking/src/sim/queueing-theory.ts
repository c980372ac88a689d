/**
 * Closed-form results the simulator is validated against (service time mean 1, Poisson arrivals at
 * rate `load` per server, many servers).
 */

/** Mean sojourn time of an M/M/1 queue at utilisation `load` (< 1): 1 / (1 − load). */
export function mm1MeanSojourn(load: number): number {
  if (!(load >= 0 && load < 1)) throw new RangeError('load must be in [0, 1)');
  return 1 / (1 - load);
}

/**
 * Mean sojourn time of the supermarket model (Mitzenmacher 1996; Vvedenskaya et al.): each arrival
 * joins the shortest of `choices` queues sampled at random, in the limit of infinitely many servers.
 * The fraction of queues with at least i customers is load^((d^i − 1)/(d − 1)), so by Little's law
 * T = Σ_{i≥1} load^((d^i − d)/(d − 1)). For load 0.9 and d = 2 that is ≈ 2.6141 (a simulation of
 * 100 queues gives ≈ 2.61), against 10 for random routing.
 */
export function supermarketMeanSojourn(load: number, choices = 2): number {
  if (!(load >= 0 && load < 1)) throw new RangeError('load must be in [0, 1)');
  if (!(Number.isInteger(choices) && choices >= 2)) throw new RangeError('choices must be >= 2');
  let sum = 0;
  for (let i = 1; ; i++) {
    const term = load ** ((choices ** i - choices) / (choices - 1));
    sum += term;
    if (term < 1e-15) return sum;
  }
}
