// The LCG multiplier 2862933555777941757 from Lamping & Veach, split into 32-bit halves and the low
// half further into 16-bit limbs so every partial product stays exact in a double.
const MULTIPLIER_HIGH = 0x27bb2ee6;
const MULTIPLIER_LOW = 0x87b0b0fd;
const MULTIPLIER_LOW_0 = MULTIPLIER_LOW & 0xffff;
const MULTIPLIER_LOW_1 = MULTIPLIER_LOW >>> 16;
const TWO_POW_16 = 0x10000;
const TWO_POW_31 = 2 ** 31;
const TWO_POW_32 = 2 ** 32;

/**
 * Lamping–Veach jump consistent hash ("A Fast, Minimal Memory, Consistent Hash Algorithm", 2014):
 * the bucket in [0, buckets) for a 64-bit key given as two uint32 halves; -1 when buckets is 0.
 *
 * Bit-exact with the paper's C++ without BigInt: the 64-bit LCG step `key = key * M + 1` is done on
 * (high, low) words — the low×low product through 16-bit limbs (exact in doubles), the cross terms
 * with `Math.imul` (only their low 32 bits survive mod 2^64). `key >> 33` is `high >>> 1`, and the
 * jump itself is the paper's double-precision division.
 */
export function jumpHash(keyHigh: number, keyLow: number, buckets: number): number {
  let high = keyHigh >>> 0;
  let low = keyLow >>> 0;
  let bucket = -1;
  let next = 0;
  while (next < buckets) {
    bucket = next;
    const low0 = low & 0xffff;
    const low1 = low >>> 16;
    const middle = low1 * MULTIPLIER_LOW_0 + low0 * MULTIPLIER_LOW_1;
    const lowSum = low0 * MULTIPLIER_LOW_0 + (middle % TWO_POW_16) * TWO_POW_16;
    const carry = Math.floor(lowSum / TWO_POW_32);
    const productHigh = low1 * MULTIPLIER_LOW_1 + Math.floor(middle / TWO_POW_16) + carry;
    high = (productHigh + Math.imul(high, MULTIPLIER_LOW) + Math.imul(low, MULTIPLIER_HIGH)) >>> 0;
    low = (lowSum % TWO_POW_32) + 1;
    if (low === TWO_POW_32) {
      low = 0;
      high = (high + 1) >>> 0;
    }
    next = Math.floor((bucket + 1) * (TWO_POW_31 / ((high >>> 1) + 1)));
  }
  return bucket;
}
