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

/**
 * P(sojourn > t) in the supermarket model (infinitely many FIFO servers, exponential service of
 * mean 1, arrivals at `load` per server, each joining the shortest of `choices` sampled queues;
 * `choices` = 1 is random routing, M/M/1). With s_k = load^((d^k − 1)/(d − 1)) the fraction of
 * queues holding at least k, an arrival finds k ahead with probability s_k^d − s_{k+1}^d and then
 * waits k + 1 exponential services (Erlang): P(T > t) = Σ_k (s_k^d − s_{k+1}^d) · e^−t Σ_{j≤k} t^j/j!.
 */
export function supermarketSojournTail(load: number, choices: number, t: number): number {
  if (!(load >= 0 && load < 1)) throw new RangeError('load must be in [0, 1)');
  if (!(Number.isInteger(choices) && choices >= 1)) throw new RangeError('choices must be >= 1');
  const atLeast = (k: number) =>
    choices === 1 ? load ** k : load ** ((choices ** k - 1) / (choices - 1));
  let tail = 0;
  let poissonTerm = Math.exp(-t);
  let erlangTail = poissonTerm;
  for (let k = 0; k < 10_000; k++) {
    if (k > 0) {
      poissonTerm *= t / k;
      erlangTail += poissonTerm;
    }
    const here = atLeast(k) ** choices - atLeast(k + 1) ** choices;
    tail += here * erlangTail;
    if (atLeast(k + 1) ** choices < 1e-15) break;
  }
  return tail;
}

/** The `quantile` (e.g. 0.99) of the supermarket model's sojourn time, by bisection. */
export function supermarketSojournQuantile(
  load: number,
  choices: number,
  quantile: number,
): number {
  if (!(quantile > 0 && quantile < 1)) throw new RangeError('quantile must be in (0, 1)');
  let low = 0;
  let high = 1;
  while (supermarketSojournTail(load, choices, high) > 1 - quantile) high *= 2;
  for (let i = 0; i < 100; i++) {
    const middle = (low + high) / 2;
    if (supermarketSojournTail(load, choices, middle) > 1 - quantile) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}
