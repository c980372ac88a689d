/**
 * Which fragments are done, one bit each, in BitTorrent's `bitfield` layout: fragment 0 is the
 * high bit of byte 0, spare bits of the last byte are zero. As base64 it stays small: 172
 * characters for 1 024 fragments, 16 668 for 100 000.
 */
export class FragmentBitmap {
  readonly count: number;
  readonly #bits: Uint8Array;
  #size = 0;

  constructor(count: number, indexes: Iterable<number> = []) {
    this.count = count;
    this.#bits = new Uint8Array(Math.ceil(count / 8));
    for (const index of indexes) this.add(index);
  }

  /**
   * Decodes the base64 form; undefined unless it is canonical base64 of exactly ceil(count/8) bytes
   * with zero spare bits (a torn or edited value is not silently reinterpreted).
   */
  static fromBase64(text: string, count: number): FragmentBitmap | undefined {
    const bitmap = new FragmentBitmap(count);
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length !== bitmap.#bits.length || bytes.toString('base64') !== text) return undefined;
    const spare = bitmap.#bits.length * 8 - count;
    if (spare > 0 && (bytes[bytes.length - 1]! & ((1 << spare) - 1)) !== 0) return undefined;
    bitmap.#bits.set(bytes);
    for (const byte of bytes) bitmap.#size += popcount(byte);
    return bitmap;
  }

  /** Number of fragments marked done. */
  get size(): number {
    return this.#size;
  }

  has(index: number): boolean {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return false;
    return (this.#bits[index >> 3]! & (0x80 >> (index & 7))) !== 0;
  }

  /** Marks `index` done; false if it already was. @throws RangeError outside [0, count). */
  add(index: number): boolean {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) {
      throw new RangeError(`Fragment index ${index} is outside [0, ${this.count})`);
    }
    if (this.has(index)) return false;
    this.#bits[index >> 3]! |= 0x80 >> (index & 7);
    this.#size++;
    return true;
  }

  /** Done indexes, ascending. */
  indexes(): number[] {
    const result: number[] = [];
    for (let i = 0; i < this.count; i++) if (this.has(i)) result.push(i);
    return result;
  }

  toBase64(): string {
    return Buffer.from(this.#bits.buffer, this.#bits.byteOffset, this.#bits.length).toString(
      'base64',
    );
  }
}

function popcount(byte: number): number {
  let count = 0;
  for (let b = byte; b !== 0; b &= b - 1) count++;
  return count;
}
