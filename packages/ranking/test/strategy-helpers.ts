import type { Endpoint, PickContext, Sample, Strategy } from '../src/index.js';

/** Endpoints `a`, `b`, … with weight 1 (or the given weights). */
export function endpoints(ids: readonly string[], weights?: readonly number[]): Endpoint[] {
  return ids.map((id, i) => ({ id, address: `http://${id}.test`, weight: weights?.[i] ?? 1 }));
}

export function probe(totalMs: number, bytes = 1_000_000): Sample {
  return { kind: 'probe', ok: true, totalMs, bytes, bytesPerSec: (bytes * 1000) / totalMs };
}

export const failedProbe: Sample = { kind: 'probe', ok: false };

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

/** Extracts the error code of what `fn` throws (undefined when it does not throw). */
export function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}
