import { checkNow } from '../sample-validation.js';
import type { StrategyEntry } from '../strategy-entry.js';
import type { PickContext, PickResult } from '../types.js';
import { activeExclude } from './endpoint-table-strategy.js';
import { EqualShareStrategy } from './equal-share-strategy.js';

/**
 * Fair round robin over the snapshot order: each pick returns the next eligible endpoint after the
 * previous pick, skipping excluded and drained (weight 0) ones. Weights otherwise do not matter
 * (see smooth-weighted-round-robin). Deterministic: it starts at the first endpoint and uses no
 * randomness.
 */
export class RoundRobinStrategy extends EqualShareStrategy {
  readonly name = 'round-robin';
  #cursor = 0;

  /** O(1) unless the cursor has to step over drained or excluded endpoints; no allocation. */
  pick(ctx: PickContext): PickResult {
    checkNow(ctx.now);
    const entries = this.table.entries;
    const n = entries.length;
    const exclude = activeExclude(ctx);
    // The cursor survives membership changes; modulo keeps it in range after removals.
    for (let step = 0; step < n; step++) {
      const index = (this.#cursor + step) % n;
      const entry = entries[index]!;
      if (entry.endpoint.weight > 0 && !exclude?.has(entry.endpoint.id)) {
        this.#cursor = (index + 1) % n;
        return entry.picked;
      }
    }
    return this.noCandidate(exclude);
  }
}

export const entry: StrategyEntry = {
  info: {
    name: 'round-robin',
    description: 'Each eligible endpoint in turn; equal shares, measurements ignored.',
    options: [],
    hashed: false,
  },
  create: () => new RoundRobinStrategy(),
};
