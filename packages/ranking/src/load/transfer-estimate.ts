import type { Sample } from '../types.js';
import { Ewma } from './ewma.js';

/**
 * What probes say about one endpoint: smoothed transfer time and throughput, and whether the
 * latest probe failed. Request samples are ignored: a request's latency depends on what was asked
 * for, while probes fetch the same object from every server, so only probes are comparable.
 */
export class TransferEstimate {
  readonly #totalMs: Ewma;
  readonly #bytesPerSec: Ewma;
  #failed = false;

  constructor(alpha: number) {
    this.#totalMs = new Ewma(alpha);
    this.#bytesPerSec = new Ewma(alpha);
  }

  /** True from a failed probe until the next successful one. */
  get failed(): boolean {
    return this.#failed;
  }

  get totalMs(): number | undefined {
    return this.#totalMs.value;
  }

  get bytesPerSec(): number | undefined {
    return this.#bytesPerSec.value;
  }

  observe(sample: Sample): void {
    if (sample.kind !== 'probe') return;
    if (!sample.ok) {
      this.#failed = true;
      return;
    }
    this.#failed = false;
    this.#totalMs.observe(sample.totalMs);
    this.#bytesPerSec.observe(sample.bytesPerSec);
  }
}
