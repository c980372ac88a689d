import { checkNow } from '../sample-validation.js';
import { EndpointTableStrategy } from './endpoint-table-strategy.js';
import { proportionalShares } from './shares-map.js';

/**
 * Base of the strategies that keep no per-endpoint state and ignore measurements (random, round
 * robin): every eligible endpoint has an equal share; subclasses supply `pick`.
 */
export abstract class EqualShareStrategy extends EndpointTableStrategy<null> {
  constructor() {
    super(() => null);
  }

  shares(now: number): ReadonlyMap<string, number> {
    checkNow(now);
    return proportionalShares(this.table, () => 1);
  }
}
