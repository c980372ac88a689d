import { fmix32 } from '../hashing/murmur3.js';

/**
 * Independent random streams of one run, each seeded from the run's seed. Separate streams keep a
 * change in one place from reshuffling the others: turning probes on must not change the arrival times
 * or the service times the requests draw.
 */
export const RandomStream = {
  arrivals: 1,
  hashKeys: 2,
  selector: 3,
  /** Server `i` draws its requests' service times from stream `serverBase + i`… */
  serverBase: 1000,
  /** …and the service times its probes measure from stream `probeBase + i`. */
  probeBase: 1_000_000,
} as const;

/**
 * Mixes `seed` (any safe integer) and a stream number into a 32-bit seed with the murmur3 finaliser,
 * so neighbouring seeds and streams give unrelated generators.
 */
export function deriveSeed(seed: number, stream: number): number {
  const low = seed >>> 0;
  const high = Math.floor(seed / 0x1_0000_0000) >>> 0;
  let h = fmix32(low ^ 0x9e3779b9);
  h = fmix32(h ^ high ^ 0x85ebca6b);
  h = fmix32(h ^ Math.imul(stream + 1, 0xc2b2ae35));
  return h >>> 0;
}
