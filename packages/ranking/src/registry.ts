import { InvalidStrategyOptionError, UnknownStrategyError } from './errors.js';
import { checkNumberOption } from './option-checks.js';
import { strategyEntries } from './registry-entries.js';
import { createSeededRandom, DEFAULT_RANDOM_SEED } from './seeded-random.js';
import type { StrategyInfo, StrategyOptionInfo } from './strategy-entry.js';
import type { Strategy, StrategyDeps } from './types.js';
import { withHealth } from './wrappers/with-health.js';
import { withSlowStart } from './wrappers/with-slow-start.js';

export type { StrategyInfo, StrategyOptionInfo } from './strategy-entry.js';

/**
 * Options every strategy accepts besides its own: they wrap the strategy with `withHealth` and
 * `withSlowStart` (health inside, slow start outside). The wrapped strategy keeps the inner name.
 */
export const WRAPPER_OPTIONS: readonly StrategyOptionInfo[] = Object.freeze([
  {
    name: 'health',
    type: 'boolean',
    default: false,
    description: 'Passive health: exclude endpoints after healthFall consecutive failures.',
  },
  {
    name: 'healthRise',
    type: 'number',
    default: 2,
    description: 'Consecutive successes that bring a down endpoint back (needs health).',
  },
  {
    name: 'healthFall',
    type: 'number',
    default: 3,
    description: 'Consecutive failures that take an endpoint down (needs health).',
  },
  {
    name: 'slowStartMs',
    type: 'number',
    default: 0,
    description: "Ramp a new endpoint's share linearly over this many ms; 0 = off.",
  },
] satisfies StrategyOptionInfo[]);

/** The wrapper options `createStrategy` accepts for every strategy. */
export function listWrapperOptions(): readonly StrategyOptionInfo[] {
  return WRAPPER_OPTIONS;
}

/** Describes every registered strategy, in registry order. */
export function listStrategies(): readonly StrategyInfo[] {
  return strategyEntries.map((entry) => entry.info);
}

/**
 * Creates a strategy by registry name with no endpoints yet (call `setEndpoints`).
 *
 * Options are checked against the strategy's declared options plus `WRAPPER_OPTIONS`: unknown keys, wrong types and
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
  const wrapper: Record<string, number | string | boolean> = {};
  for (const key of Object.keys(options)) {
    if (!declared.some((option) => option.name === key) && !isWrapperOption(key)) {
      const valid = [...declared, ...WRAPPER_OPTIONS].map((option) => option.name);
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
  for (const option of WRAPPER_OPTIONS) {
    wrapper[option.name] = resolveOption(option, options[option.name]);
  }
  if (wrapper['health']) {
    checkNumberOption('healthRise', wrapper['healthRise'], 2, { min: 1, integer: true });
    checkNumberOption('healthFall', wrapper['healthFall'], 3, { min: 1, integer: true });
  } else {
    for (const key of ['healthRise', 'healthFall']) {
      if (options[key] !== undefined) {
        throw new InvalidStrategyOptionError(
          key,
          options[key],
          'has no effect without health: true',
        );
      }
    }
  }
  const slowStartMs = wrapper['slowStartMs'] as number;
  if (slowStartMs < 0) {
    throw new InvalidStrategyOptionError('slowStartMs', slowStartMs, 'must be >= 0');
  }
  if (deps.random !== undefined && typeof deps.random !== 'function') {
    throw new InvalidStrategyOptionError('deps.random', deps.random, 'must be a function');
  }
  const random = deps.random ?? createSeededRandom(DEFAULT_RANDOM_SEED);
  let strategy = entry.create(resolved, { random });
  if (wrapper['health']) {
    strategy = withHealth(strategy, {
      rise: wrapper['healthRise'] as number,
      fall: wrapper['healthFall'] as number,
    });
  }
  if (slowStartMs > 0) strategy = withSlowStart(strategy, { windowMs: slowStartMs }, { random });
  return strategy;
}

function isWrapperOption(key: string): boolean {
  return WRAPPER_OPTIONS.some((option) => option.name === key);
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
