import { checkChoiceOption } from '../option-checks.js';
import { fnv1a } from './fnv1a.js';
import { murmur3 } from './murmur3.js';
import { sha256Hash } from './sha256-hash.js';

/**
 * A 32-bit hash of a string's UTF-8 bytes, as an unsigned integer in [0, 2^32).
 * `seed` selects an independent member of the family; 0 (the default) is the published algorithm.
 */
export type HashFunction = (key: string, seed?: number) => number;

/** The hash functions a hashed strategy can be configured with, by option value. */
export const hashFunctions = {
  fnv1a,
  murmur3,
  sha256: sha256Hash,
} as const satisfies Record<string, HashFunction>;

export type HashFunctionName = keyof typeof hashFunctions;

export const hashFunctionNames = Object.keys(hashFunctions) as HashFunctionName[];

export function isHashFunctionName(name: unknown): name is HashFunctionName {
  return typeof name === 'string' && Object.hasOwn(hashFunctions, name);
}

/** The hash function a strategy's `hash` option names (`fallback` when absent); throws on others. */
export function hashOption(value: unknown, fallback: HashFunctionName): HashFunction {
  return hashFunctions[checkChoiceOption('hash', value, fallback, hashFunctionNames)];
}
