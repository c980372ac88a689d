import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FragmentBitmap } from './fragment-bitmap.js';

describe('FragmentBitmap', () => {
  it('puts fragment 0 in the high bit of byte 0 (BitTorrent bitfield layout)', () => {
    expect(new FragmentBitmap(8, [0]).toBase64()).toBe(Buffer.from([0x80]).toString('base64'));
    expect(new FragmentBitmap(10, [7, 8]).toBase64()).toBe(
      Buffer.from([0x01, 0x80]).toString('base64'),
    );
    expect(new FragmentBitmap(0).toBase64()).toBe('');
  });

  it('round-trips through base64 (property)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 300 })
          .chain((count) =>
            fc.tuple(
              fc.constant(count),
              fc.uniqueArray(fc.nat(Math.max(0, count - 1)), { maxLength: count }),
            ),
          ),
        ([count, indexes]) => {
          const bitmap = new FragmentBitmap(count, indexes);
          const decoded = FragmentBitmap.fromBase64(bitmap.toBase64(), count)!;
          expect(decoded.indexes()).toEqual([...indexes].sort((a, b) => a - b));
          expect(decoded.size).toBe(indexes.length);
        },
      ),
    );
  });

  it('refuses a wrong length, non-canonical base64 or set spare bits', () => {
    expect(FragmentBitmap.fromBase64('gA==', 16)).toBeUndefined(); // 1 byte for 2
    expect(FragmentBitmap.fromBase64('gA', 8)).toBeUndefined(); // missing padding
    expect(FragmentBitmap.fromBase64('gB==', 8)).toBeUndefined(); // non-zero pad bits
    expect(FragmentBitmap.fromBase64('gA==', 1)).toBeDefined();
    expect(FragmentBitmap.fromBase64('wA==', 1)).toBeUndefined(); // bit 1 set, count 1
  });

  it('counts each index once and rejects one outside the bitmap', () => {
    const bitmap = new FragmentBitmap(4);
    expect(bitmap.add(2)).toBe(true);
    expect(bitmap.add(2)).toBe(false);
    expect(bitmap.size).toBe(1);
    expect(() => bitmap.add(4)).toThrow(RangeError);
    expect(bitmap.has(4)).toBe(false);
    expect(bitmap.indexes()).toEqual([2]);
  });
});
