/**
 * A per-sample exponentially weighted moving average: `value ← alpha·x + (1 − alpha)·value`.
 * `alpha = 1` keeps only the latest sample. Undefined until the first sample.
 */
export class Ewma {
  readonly alpha: number;
  #value: number | undefined;

  constructor(alpha: number) {
    this.alpha = alpha;
  }

  get value(): number | undefined {
    return this.#value;
  }

  observe(x: number): void {
    this.#value = this.#value === undefined ? x : this.alpha * x + (1 - this.alpha) * this.#value;
  }
}
