/**
 * lb-client runs without V8's optimizing compiler (TurboFan) unless its node command line picks the
 * compiler tiers itself. Its work per byte is native code (SHA-256, copies, syscalls); its
 * JavaScript runs once per socket read, where optimized code saves little: 10 % more CPU time (6 %
 * wall) on a 1 GiB download from four local servers at ~350 MB/s, nothing measurable on a
 * rate-limited one.
 * TurboFan's memory weighs more for a download client: the code it makes and the working memory
 * of its compiles, which the malloc arenas of V8's background threads keep. Without it the peak
 * RSS of that 1 GiB download is 58 MiB instead of 67 (docs/benchmarks/client.md, (d)).
 */
import { setFlagsFromString } from 'node:v8';

/** Node options that choose V8's compiler tiers (V8 accepts `_` for `-` in its flag names). */
const TIER_OPTION = /^--(no[-_])?(opt|turbofan|maglev|sparkplug|jitless|max[-_]opt)(=|$)/;

/** False when the node command line chose the compiler tiers: that choice stands. */
export function shouldSkipOptimizingCompiler(execArgv: readonly string[]): boolean {
  return !execArgv.some((option) => TIER_OPTION.test(option));
}

/**
 * Turns TurboFan off for this process unless the node command line chose the tiers; returns
 * whether it did. Call it at start-up: a function already optimized stays optimized.
 */
export function skipOptimizingCompiler(execArgv: readonly string[] = process.execArgv): boolean {
  if (!shouldSkipOptimizingCompiler(execArgv)) return false;
  setFlagsFromString('--no-opt');
  return true;
}
