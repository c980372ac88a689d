import { equalsIgnoreAsciiCase } from './tokens.js';

/**
 * Header (or trailer) fields exactly as received: names keep their case and order, repeated fields
 * stay separate. Lookups ignore ASCII case. Stored as one flat array, never as an object keyed by
 * name, so names such as `__proto__` or `constructor` are ordinary fields.
 */
export class HeaderList implements Iterable<[name: string, value: string]> {
  /** Alternating names and values: `[name0, value0, name1, value1, ...]`. */
  readonly raw: string[];

  constructor(raw: string[] = []) {
    this.raw = raw;
  }

  /** Number of fields (not of distinct names). */
  get size(): number {
    return this.raw.length >> 1;
  }

  /** The field value, or every value of a repeated field joined with ', '; null when absent. */
  get(name: string): string | null {
    const raw = this.raw;
    let combined: string | null = null;
    for (let i = 0; i < raw.length; i += 2) {
      if (equalsIgnoreAsciiCase(raw[i]!, name)) {
        combined = combined === null ? raw[i + 1]! : `${combined}, ${raw[i + 1]!}`;
      }
    }
    return combined;
  }

  /** Every value of the field, in the order received. */
  getAll(name: string): string[] {
    const raw = this.raw;
    const values: string[] = [];
    for (let i = 0; i < raw.length; i += 2) {
      if (equalsIgnoreAsciiCase(raw[i]!, name)) values.push(raw[i + 1]!);
    }
    return values;
  }

  has(name: string): boolean {
    const raw = this.raw;
    for (let i = 0; i < raw.length; i += 2) {
      if (equalsIgnoreAsciiCase(raw[i]!, name)) return true;
    }
    return false;
  }

  *[Symbol.iterator](): IterableIterator<[name: string, value: string]> {
    const raw = this.raw;
    for (let i = 0; i < raw.length; i += 2) yield [raw[i]!, raw[i + 1]!];
  }
}
