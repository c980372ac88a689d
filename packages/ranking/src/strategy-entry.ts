import type { Strategy, StrategyDeps } from './types.js';

/** One option a strategy accepts, described as data so a CLI can build flags and help from it. */
export interface StrategyOptionInfo {
  name: string;
  type: 'number' | 'string' | 'boolean';
  default: number | string | boolean;
  description: string;
  choices?: readonly string[];
}

export interface StrategyInfo {
  name: string;
  description: string;
  options: readonly StrategyOptionInfo[];
  /** True when `PickContext.hashKey` drives the choice (affinity strategies). */
  hashed: boolean;
}

/**
 * Options after the registry checked types and choices and filled defaults: every declared option
 * is present and nothing else, so a strategy whose option names are its constructor's can pass
 * them on as its options type.
 */
export type ResolvedOptions = Readonly<Record<string, number | string | boolean>>;

/**
 * A registry entry: data plus a factory. `create` receives resolved options (types and choices
 * already checked by the registry); range checks live in the strategy's constructor so direct
 * construction is validated too.
 */
export interface StrategyEntry {
  readonly info: StrategyInfo;
  create(options: ResolvedOptions, deps: StrategyDeps): Strategy;
}
