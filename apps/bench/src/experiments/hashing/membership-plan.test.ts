import { describe, expect, it } from 'vitest';
import { membershipPlan, variantName } from './hash-scaling-experiment.js';

describe('membershipPlan', () => {
  it('grows from min to all, then removes the oldest down to min', () => {
    expect(membershipPlan(['h1', 'h2', 'h3', 'h4'], 2)).toEqual([
      { kind: 'add', label: 'h3' },
      { kind: 'add', label: 'h4' },
      { kind: 'remove', label: 'h1' },
      { kind: 'remove', label: 'h2' },
    ]);
  });

  it('names variants for tables', () => {
    expect(variantName({ hash: 'fnv1a', vnodes: 10 })).toBe('fnv1a, 10 vnodes');
  });
});
