/**
 * Byte counts written the way people type them on a command line: `4M` is 4 MiB, `512K` is
 * 512 KiB, `1.5G` is 1.5 GiB. The suffixes are binary (powers of 1024) because the testing aids
 * that take them (`--rate`, `--fail-after`) are compared against file sizes, which are binary too.
 */

const MULTIPLIERS: Readonly<Record<string, number>> = {
  '': 1,
  K: 1024,
  M: 1024 ** 2,
  G: 1024 ** 3,
};

/** Digits with an optional fraction, then an optional K/M/G (any case) and an optional `B`/`iB`. */
const BYTE_SIZE = /^(\d+(?:\.\d+)?)\s*([KMG]?)(?:i?B)?$/i;

/**
 * Parses `text` into a whole number of bytes (fractions are rounded down); null when the text is
 * not a byte size or the result is not a safe integer.
 */
export function parseByteSize(text: string): number | null {
  const match = BYTE_SIZE.exec(text.trim());
  if (match === null) return null;
  const [, amount, suffix] = match as unknown as [string, string, string];
  const bytes = Math.floor(Number(amount) * MULTIPLIERS[suffix.toUpperCase()]!);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

/** `4194304` → `4 MiB`, for messages; exact values only (falls back to bytes). */
export function formatByteSize(bytes: number): string {
  for (const [suffix, unit] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= unit && bytes % unit === 0) return `${bytes / unit} ${suffix}`;
  }
  return `${bytes} B`;
}
