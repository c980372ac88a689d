import { InvalidStrategyOptionError } from './errors.js';

export interface NumberBounds {
  /** Smallest allowed value (inclusive unless `minExclusive`). */
  min?: number;
  minExclusive?: boolean;
  max?: number;
  integer?: boolean;
}

/** Returns `value ?? fallback` after checking it is a finite number within `bounds`. */
export function checkNumberOption(
  name: string,
  value: unknown,
  fallback: number,
  bounds: NumberBounds = {},
): number {
  const resolved = value === undefined ? fallback : value;
  if (typeof resolved !== 'number' || !Number.isFinite(resolved)) {
    throw new InvalidStrategyOptionError(name, resolved, 'must be a finite number');
  }
  if (bounds.integer && !Number.isInteger(resolved)) {
    throw new InvalidStrategyOptionError(name, resolved, 'must be an integer');
  }
  if (bounds.min !== undefined) {
    if (bounds.minExclusive ? resolved <= bounds.min : resolved < bounds.min) {
      throw new InvalidStrategyOptionError(
        name,
        resolved,
        `must be ${bounds.minExclusive ? '>' : '>='} ${bounds.min}`,
      );
    }
  }
  if (bounds.max !== undefined && resolved > bounds.max) {
    throw new InvalidStrategyOptionError(name, resolved, `must be <= ${bounds.max}`);
  }
  return resolved;
}

/** Returns `value ?? fallback` after checking it is one of `choices`. */
export function checkChoiceOption<T extends string>(
  name: string,
  value: unknown,
  fallback: T,
  choices: readonly T[],
): T {
  const resolved = value === undefined ? fallback : value;
  if (typeof resolved !== 'string' || !(choices as readonly string[]).includes(resolved)) {
    throw new InvalidStrategyOptionError(name, resolved, `must be one of ${choices.join(', ')}`);
  }
  return resolved as T;
}

export function checkBooleanOption(name: string, value: unknown, fallback: boolean): boolean {
  const resolved = value === undefined ? fallback : value;
  if (typeof resolved !== 'boolean') {
    throw new InvalidStrategyOptionError(name, resolved, 'must be a boolean');
  }
  return resolved;
}
