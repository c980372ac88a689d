import { checkNow } from '../sample-validation.js';
import type { StrategyEntry } from '../strategy-entry.js';
import type { PickContext, PickResult } from '../types.js';
import { EndpointTableStrategy } from './endpoint-table-strategy.js';
import { sharesMap } from './shares-map.js';

/**
 * Fair round robin over the snapshot order: each pick returns the next eligible endpoint after the
 * previous pick, skipping excluded and drained (weight 0) ones. Weights otherwise do not matter
 * (see smooth-weighted-round-robin). Deterministic: it starts at the first endpoint and uses no
 * randomness.
 */
export class RoundRobinStrategy extends EndpointTableStrategy<null> {
  readonly name = 'round-robin';
  #cursor = 0;

  constructor() {
    super(() => null);
  }

  pick(ctx: PickContext): PickResult {
    checkNow(ctx.now);
    const candidates = this.table.candidates(ctx.exclude);
    if (!candidates.ok) return candidates;
    const entries = this.table.entries;
    const n = entries.length;
    // The cursor survives membership changes; modulo keeps it in range after removals.
    for (let step = 0; step < n; step++) {
      const index = (this.#cursor + step) % n;
      const entry = entries[index]!;
      if (entry.endpoint.weight > 0 && !ctx.exclude?.has(entry.endpoint.id)) {
        this.#cursor = (index + 1) % n;
        return { ok: true, endpoint: entry.endpoint };
      }
    }
    // Unreachable: candidates() found an eligible entry.
    return { ok: false, reason: 'all-unavailable' };
  }

  shares(now: number): ReadonlyMap<string, number> {
    checkNow(now);
    const candidates = this.table.candidates(undefined);
    const eligible = new Map<string, number>();
    if (candidates.ok) {
      for (const entry of candidates.entries) {
        eligible.set(entry.endpoint.id, 1 / candidates.entries.length);
      }
    }
    return sharesMap(this.table.endpoints, eligible);
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
