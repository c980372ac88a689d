import { describe, expect, it } from 'vitest';
import { CumulativeWeights, normalizeWeights, pickWeightedIndex } from './weighted-choice.js';

describe('pickWeightedIndex', () => {
  it('maps the draw onto cumulative weights, skipping zero weights', () => {
    const weights = [1, 0, 3];
    expect(pickWeightedIndex(weights, () => 0)).toBe(0);
    expect(pickWeightedIndex(weights, () => 0.24)).toBe(0);
    expect(pickWeightedIndex(weights, () => 0.25)).toBe(2);
    expect(pickWeightedIndex(weights, () => 0.999_999)).toBe(2);
    expect(pickWeightedIndex([0, 2, 0], () => 0.999_999_999)).toBe(1);
  });
});

describe('normalizeWeights', () => {
  it('divides by the total, or splits evenly when all are zero', () => {
    expect(normalizeWeights([1, 3])).toEqual([0.25, 0.75]);
    expect(normalizeWeights([0, 0])).toEqual([0.5, 0.5]);
  });
});

describe('CumulativeWeights', () => {
  it('maps a draw like pickWeightedIndex, by binary search, skipping zero weights', () => {
    const weights = [1, 0, 3, 0, 2, 0];
    const cumulative = new CumulativeWeights(weights);
    expect(cumulative.total).toBe(6);
    expect(cumulative.length).toBe(6);
    for (let k = 0; k < 600; k++) {
      const draw = k / 600;
      expect(cumulative.pick(() => draw)).toBe(pickWeightedIndex(weights, () => draw));
    }
    // A draw that rounds to the total lands on the last positive weight, never a trailing zero.
    expect(cumulative.pick(() => 1)).toBe(4);
    expect(new CumulativeWeights([0, 5, 0]).pick(() => 0)).toBe(1);
  });
});
