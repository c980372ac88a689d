import { entry as random } from './strategies/random.js';
import type { StrategyEntry } from './strategy-entry.js';

/**
 * Every strategy the registry can create, in listing order. To add one: export an `entry`
 * (`StrategyEntry`) from the strategy's file, import it here and append it to the array.
 */
export const strategyEntries: readonly StrategyEntry[] = [random];
