/**
 * lb-server's `--rate` values (`2M`, `512K`: binary suffixes, as lb-server reads them), turned
 * into numbers for the demo's deadlines and into words for its output.
 */

const RATE = /^(\d+(?:\.\d+)?)([KMG]?)$/;
const SCALE = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 } as const;

export function rateBytesPerSecond(rate: string): number {
  const match = RATE.exec(rate);
  if (match === null) throw new RangeError(`not an lb-server rate: "${rate}"`);
  return Number(match[1]) * SCALE[match[2] as keyof typeof SCALE];
}

/** `4M` → `4 MiB/s` */
export function formatRate(rate: string): string {
  const match = RATE.exec(rate);
  if (match === null) return `${rate}/s`;
  return `${match[1]} ${match[2] === '' ? 'B' : `${match[2]}iB`}/s`;
}
