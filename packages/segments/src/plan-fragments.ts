import { InvalidArgumentError, InvalidPlanError } from './errors.js';

/** 1 MiB: big enough that per-request overhead is small, small enough to re-fetch cheaply. */
export const DEFAULT_FRAGMENT_SIZE = 1024 * 1024;
/** Bounds the fragment map (44 bytes of base64 per fragment) and scheduler state for huge files. */
export const DEFAULT_MAX_FRAGMENTS = 10_000;

/** How to cut a file into fragments. */
export interface FragmentPolicy {
  /** Preferred fragment size in bytes (default 1 MiB). */
  fragmentSize?: number;
  /**
   * Upper bound on the number of fragments (default 10 000; `Infinity` for no bound). When the file
   * would need more, the fragment size doubles until it does not.
   */
  maxFragments?: number;
  /** Floor for the fragment size (default 1): `fragmentSize` below it is raised to it. */
  minFragmentSize?: number;
}

/** One fragment: the byte range `[start, end]` (inclusive, as in an HTTP Range header). */
export interface Fragment {
  readonly index: number;
  readonly start: number;
  /** Inclusive, so `Range: bytes=${start}-${end}` asks for exactly this fragment. */
  readonly end: number;
  readonly length: number;
}

/** A file cut into consecutive fragments of `fragmentSize` bytes (the last may be shorter). */
export interface FragmentPlan {
  readonly size: number;
  readonly fragmentSize: number;
  readonly count: number;
  readonly fragments: readonly Fragment[];
}

/**
 * Cuts a file of `size` bytes into fragments. Deterministic: the server (building its fragment map)
 * and the client (scheduling downloads) must get the same plan from the same inputs. An empty file
 * has zero fragments; `fragmentSize` is still reported.
 *
 * @throws InvalidPlanError (`LB_SEGMENTS_INVALID_PLAN`) for a size or policy value that is not a safe
 *   non-negative integer (or positive, for sizes and counts).
 */
export function planFragments(size: number, policy: FragmentPolicy = {}): FragmentPlan {
  if (!Number.isSafeInteger(size) || size < 0) throw new InvalidPlanError('size', size);
  const preferred = policy.fragmentSize ?? DEFAULT_FRAGMENT_SIZE;
  if (!Number.isSafeInteger(preferred) || preferred < 1) {
    throw new InvalidPlanError('fragmentSize', preferred);
  }
  const minFragmentSize = policy.minFragmentSize ?? 1;
  if (!Number.isSafeInteger(minFragmentSize) || minFragmentSize < 1) {
    throw new InvalidPlanError('minFragmentSize', minFragmentSize);
  }
  const maxFragments = policy.maxFragments ?? DEFAULT_MAX_FRAGMENTS;
  if (
    !(maxFragments === Number.POSITIVE_INFINITY || Number.isSafeInteger(maxFragments)) ||
    maxFragments < 1
  ) {
    throw new InvalidPlanError('maxFragments', maxFragments);
  }

  let fragmentSize = Math.max(preferred, minFragmentSize);
  // Doubling keeps the size a power-of-two multiple of the preferred one. It ends at the latest when
  // one fragment covers the file; the clamp only matters for files near 2^53 bytes.
  while (countFragments(size, fragmentSize) > maxFragments) {
    fragmentSize = Math.min(fragmentSize * 2, Number.MAX_SAFE_INTEGER);
  }
  return planWithFragmentSize(size, fragmentSize);
}

/**
 * The plan with exactly this fragment size, no growth: what a client uses to follow a server's
 * fragment map (see `planForMap`).
 */
export function planWithFragmentSize(size: number, fragmentSize: number): FragmentPlan {
  if (!Number.isSafeInteger(size) || size < 0) throw new InvalidPlanError('size', size);
  if (!Number.isSafeInteger(fragmentSize) || fragmentSize < 1) {
    throw new InvalidPlanError('fragmentSize', fragmentSize);
  }
  const count = countFragments(size, fragmentSize);
  const fragments: Fragment[] = new Array(count);
  for (let index = 0; index < count; index++) {
    const start = index * fragmentSize;
    const length = Math.min(fragmentSize, size - start);
    fragments[index] = { index, start, end: start + length - 1, length };
  }
  return { size, fragmentSize, count, fragments };
}

/**
 * The fragment containing byte `offset`.
 *
 * @throws InvalidArgumentError (`LB_SEGMENTS_INVALID_ARGUMENT`) when offset is not an integer in [0, size).
 */
export function fragmentAt(plan: FragmentPlan, offset: number): Fragment {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset >= plan.size) {
    throw new InvalidArgumentError(
      'offset',
      offset,
      `Offset ${offset} is outside [0, ${plan.size})`,
    );
  }
  return plan.fragments[exactQuotient(offset, plan.fragmentSize)]!;
}

/** ceil(size / fragmentSize) without floating-point rounding near 2^53. */
function countFragments(size: number, fragmentSize: number): number {
  return exactQuotient(size, fragmentSize) + (size % fragmentSize === 0 ? 0 : 1);
}

/** floor(a / b) for non-negative integers: the subtraction makes the division exact. */
function exactQuotient(a: number, b: number): number {
  return (a - (a % b)) / b;
}
