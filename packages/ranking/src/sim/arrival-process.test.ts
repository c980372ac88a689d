import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../seeded-random.js';
import { createArrivalClock, validateArrivalProcess } from './arrival-process.js';

function times(clock: (index: number, previousMs: number) => number, n: number): number[] {
  const out: number[] = [];
  let previous = 0;
  for (let i = 0; i < n; i++) {
    previous = clock(i, previous);
    out.push(previous);
  }
  return out;
}

describe('createArrivalClock', () => {
  it('poisson arrivals have mean gap 1000/rate ms and never go back in time', () => {
    const arrivals = times(
      createArrivalClock({ kind: 'poisson', ratePerSec: 500, requests: 1 }, createSeededRandom(1)),
      100_000,
    );
    expect(arrivals.at(-1)! / arrivals.length).toBeCloseTo(2, 1);
    expect(arrivals.every((t, i) => i === 0 || t >= arrivals[i - 1]!)).toBe(true);
  });

  it('fixed arrivals at a rate are evenly spaced from 0', () => {
    const clock = createArrivalClock({ kind: 'fixed', requests: 1, ratePerSec: 4 }, () => 0.5);
    expect(times(clock, 4)).toEqual([0, 250, 500, 750]);
  });

  it('fixed arrivals without a rate all come at 0', () => {
    const clock = createArrivalClock({ kind: 'fixed', requests: 1 }, () => 0.5);
    expect(times(clock, 3)).toEqual([0, 0, 0]);
  });
});

describe('validateArrivalProcess', () => {
  it.each([
    [{ kind: 'bursty', requests: 1 }, 'a.kind'],
    [{ kind: 'poisson', requests: 10 }, 'a.ratePerSec'],
    [{ kind: 'poisson', ratePerSec: 1, requests: 0 }, 'a.requests'],
    [{ kind: 'fixed', requests: 10, ratePerSec: -1 }, 'a.ratePerSec'],
    [{ kind: 'closed-loop', requests: 10, concurrency: 0 }, 'a.concurrency'],
    [{ kind: 'closed-loop', requests: 10, concurrency: 11 }, 'a.concurrency'],
  ])('rejects %j at %s', (value, path) => {
    expect(() => validateArrivalProcess(value, 'a')).toThrow(
      expect.objectContaining({ code: 'LB_RANKING_SIM_CONFIG', path }),
    );
  });
});
