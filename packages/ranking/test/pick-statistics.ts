import type { PickContext, Strategy } from '../src/index.js';

/** Picks `count` times and counts how often each id was returned. */
export function countPicks(
  strategy: Strategy,
  count: number,
  ctx: PickContext = { now: 0 },
): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const result = strategy.pick(ctx);
    if (!result.ok) throw new Error(`pick failed: ${result.reason}`);
    counts.set(result.endpoint.id, (counts.get(result.endpoint.id) ?? 0) + 1);
  }
  return counts;
}

/** Pearson's chi-square statistic of observed counts against expected probabilities. */
export function chiSquare(
  counts: ReadonlyMap<string, number>,
  expected: ReadonlyMap<string, number>,
): number {
  let total = 0;
  for (const count of counts.values()) total += count;
  let statistic = 0;
  for (const [id, probability] of expected) {
    const e = probability * total;
    const o = counts.get(id) ?? 0;
    statistic += ((o - e) * (o - e)) / e;
  }
  return statistic;
}

/** 0.999 quantiles of the chi-square distribution by degrees of freedom. */
export const CHI_SQUARE_999: Readonly<Record<number, number>> = {
  1: 10.83,
  2: 13.82,
  3: 16.27,
  4: 18.47,
};
