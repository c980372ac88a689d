import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { captureError } from '../test/capture-error.js';
import { InvalidArgumentError, InvalidPlanError } from './errors.js';
import {
  DEFAULT_FRAGMENT_SIZE,
  fragmentAt,
  planFragments,
  planWithFragmentSize,
} from './plan-fragments.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('planFragments', () => {
  it('plans an empty file as zero fragments', () => {
    expect(planFragments(0)).toEqual({ size: 0, fragmentSize: MiB, count: 0, fragments: [] });
  });

  it('plans a 1-byte file as one 1-byte fragment', () => {
    expect(planFragments(1)).toEqual({
      size: 1,
      fragmentSize: MiB,
      count: 1,
      fragments: [{ index: 0, start: 0, end: 0, length: 1 }],
    });
  });

  it('plans fragmentSize - 1, fragmentSize and fragmentSize + 1 bytes', () => {
    expect(planFragments(MiB - 1).fragments).toEqual([
      { index: 0, start: 0, end: MiB - 2, length: MiB - 1 },
    ]);
    expect(planFragments(MiB).fragments).toEqual([
      { index: 0, start: 0, end: MiB - 1, length: MiB },
    ]);
    expect(planFragments(MiB + 1).fragments).toEqual([
      { index: 0, start: 0, end: MiB - 1, length: MiB },
      { index: 1, start: MiB, end: MiB, length: 1 },
    ]);
  });

  it('plans 1 GiB as 1024 fragments of 1 MiB by default', () => {
    const plan = planFragments(GiB);
    expect(plan.fragmentSize).toBe(DEFAULT_FRAGMENT_SIZE);
    expect(plan.count).toBe(1024);
    expect(plan.fragments[1023]).toEqual({
      index: 1023,
      start: 1023 * MiB,
      end: GiB - 1,
      length: MiB,
    });
  });

  it('doubles the fragment size until the count fits maxFragments', () => {
    const plan = planFragments(GiB, { maxFragments: 100 });
    expect(plan.fragmentSize).toBe(16 * MiB);
    expect(plan.count).toBe(64);
    // 100 GiB with the default bound of 10 000: 1 MiB -> 16 MiB, 6 400 fragments.
    const huge = planFragments(100 * GiB);
    expect(huge.fragmentSize).toBe(16 * MiB);
    expect(huge.count).toBe(6400);
    expect(planFragments(100 * GiB, { maxFragments: Number.POSITIVE_INFINITY }).count).toBe(
      102_400,
    );
  });

  it('raises the fragment size to minFragmentSize', () => {
    expect(planFragments(10, { fragmentSize: 1, minFragmentSize: 4 })).toMatchObject({
      fragmentSize: 4,
      count: 3,
    });
  });

  it('handles sizes near 2^53 without rounding errors', () => {
    const size = Number.MAX_SAFE_INTEGER;
    const plan = planFragments(size, { maxFragments: 1 });
    expect(plan.count).toBe(1);
    expect(plan.fragments[0]).toEqual({ index: 0, start: 0, end: size - 1, length: size });
    const two = planFragments(size, { fragmentSize: 2 ** 52, maxFragments: 2 });
    expect(two.count).toBe(2);
    expect(two.fragments[1]!.end).toBe(size - 1);
  });

  it('is deterministic', () => {
    expect(planFragments(123_456_789, { fragmentSize: 65_536 })).toEqual(
      planFragments(123_456_789, { fragmentSize: 65_536 }),
    );
  });

  it.each([
    ['size', -1, {}],
    ['size', Number.NaN, {}],
    ['size', 1.5, {}],
    ['size', 2 ** 53, {}],
    ['size', Number.POSITIVE_INFINITY, {}],
    ['fragmentSize', 10, { fragmentSize: 0 }],
    ['fragmentSize', 10, { fragmentSize: 1.5 }],
    ['fragmentSize', 10, { fragmentSize: -4 }],
    ['maxFragments', 10, { maxFragments: 0 }],
    ['maxFragments', 10, { maxFragments: Number.NaN }],
    ['minFragmentSize', 10, { minFragmentSize: 0 }],
  ])('rejects a bad %s with LB_SEGMENTS_INVALID_PLAN (%s, %j)', (field, size, policy) => {
    const error = captureError(() => planFragments(size, policy));
    expect(error).toBeInstanceOf(InvalidPlanError);
    expect(error).toMatchObject({ code: 'LB_SEGMENTS_INVALID_PLAN', field });
  });

  it('covers [0, size) exactly with ordered, disjoint fragments (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 5_000_000 }),
        fc.integer({ min: 1, max: 50_000 }),
        (size, fragmentSize, maxFragments) => {
          const plan = planFragments(size, { fragmentSize, maxFragments });
          expect(plan.count).toBe(plan.fragments.length);
          expect(plan.count).toBeLessThanOrEqual(maxFragments);
          let expectedStart = 0;
          for (const [i, f] of plan.fragments.entries()) {
            // Plain comparisons: tens of thousands of expect() calls would dominate the run time.
            const ok =
              f.index === i &&
              f.start === expectedStart &&
              f.length > 0 &&
              f.end === f.start + f.length - 1 &&
              (i === plan.count - 1 || f.length === plan.fragmentSize);
            if (!ok) expect.fail(`fragment ${i} of ${JSON.stringify(plan.fragments[i])} is wrong`);
            expectedStart = f.end + 1;
          }
          expect(expectedStart).toBe(size);
        },
      ),
    );
  });
});

describe('planWithFragmentSize', () => {
  it('uses exactly the given size, however many fragments that makes', () => {
    expect(planWithFragmentSize(10 * MiB, 1024).count).toBe(10 * 1024);
  });

  it('rejects a bad fragment size', () => {
    expect(() => planWithFragmentSize(10, 0)).toThrow(
      expect.objectContaining({ code: 'LB_SEGMENTS_INVALID_PLAN', field: 'fragmentSize' }),
    );
  });
});

describe('fragmentAt', () => {
  const plan = planFragments(10, { fragmentSize: 4 });

  it('finds the fragment containing an offset', () => {
    expect([0, 3, 4, 7, 8, 9].map((o) => fragmentAt(plan, o).index)).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it.each([-1, 10, 1.5, Number.NaN])(
    'rejects offset %s with LB_SEGMENTS_INVALID_ARGUMENT',
    (offset) => {
      const error = captureError(() => fragmentAt(plan, offset));
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error).toMatchObject({ code: 'LB_SEGMENTS_INVALID_ARGUMENT', argument: 'offset' });
    },
  );
});
