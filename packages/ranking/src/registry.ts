import { InvalidStrategyOptionError, UnknownStrategyError } from './errors.js';
import { strategyEntries } from './registry-entries.js';
import { createSeededRandom, DEFAULT_RANDOM_SEED } from './seeded-random.js';
import type { StrategyInfo, StrategyOptionInfo } from './strategy-entry.js';
import type { Strategy, StrategyDeps } from './types.js';

export type { StrategyInfo, StrategyOptionInfo } from './strategy-entry.js';

/** Describes every registered strategy, in registry order. */
export function listStrategies(): readonly StrategyInfo[] {
  return strategyEntries.map((entry) => entry.info);
}

/**
 * Creates a strategy by registry name with no endpoints yet (call `setEndpoints`).
 *
 * Options are checked against the strategy's declared options: unknown keys, wrong types and
 * values outside `choices` throw `InvalidStrategyOptionError`; omitted options take their
 * defaults. Because options often come from a command line, a number option also accepts a
 * numeric string ("5000") and a boolean option the strings "true"/"false".
 *
 * Without `deps.random` the strategy draws from `createSeededRandom(DEFAULT_RANDOM_SEED)`:
 * deterministic, never `Math.random`.
 */
export function createStrategy(
  name: string,
  options: Record<string, unknown> = {},
  deps: Partial<StrategyDeps> = {},
): Strategy {
  const entry = strategyEntries.find((candidate) => candidate.info.name === name);
  if (!entry) {
    throw new UnknownStrategyError(
      String(name),
      strategyEntries.map((candidate) => candidate.info.name),
    );
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidStrategyOptionError('options', options, 'must be an object');
  }
  const declared = entry.info.options;
  const resolved: Record<string, number | string | boolean> = {};
  for (const key of Object.keys(options)) {
    if (!declared.some((option) => option.name === key)) {
      const valid = declared.map((option) => option.name);
      throw new InvalidStrategyOptionError(
        key,
        options[key],
        `unknown option for strategy "${name}"; valid options: ${valid.length ? valid.join(', ') : '(none)'}`,
      );
    }
  }
  for (const option of declared) {
    resolved[option.name] = resolveOption(option, options[option.name]);
  }
  if (deps.random !== undefined && typeof deps.random !== 'function') {
    throw new InvalidStrategyOptionError('deps.random', deps.random, 'must be a function');
  }
  const random = deps.random ?? createSeededRandom(DEFAULT_RANDOM_SEED);
  return entry.create(resolved, { random });
}

function resolveOption(option: StrategyOptionInfo, value: unknown): number | string | boolean {
  if (value === undefined) return option.default;
  switch (option.type) {
    case 'number': {
      const number =
        typeof value === 'string' && value.trim() !== '' ? Number(value) : (value as unknown);
      if (typeof number !== 'number' || !Number.isFinite(number)) {
        throw new InvalidStrategyOptionError(option.name, value, 'must be a finite number');
      }
      return number;
    }
    case 'boolean': {
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false') return false;
      throw new InvalidStrategyOptionError(option.name, value, 'must be a boolean');
    }
    case 'string': {
      if (typeof value !== 'string') {
        throw new InvalidStrategyOptionError(option.name, value, 'must be a string');
      }
      if (option.choices && !option.choices.includes(value)) {
        throw new InvalidStrategyOptionError(
          option.name,
          value,
          `must be one of ${option.choices.join(', ')}`,
        );
      }
      return value;
    }
  }
}
