import { toOpenUnitInterval } from './range-reduction.js';

/**
 * Weighted rendezvous (highest-random-weight) score of one (key, node) pair: -weight / ln(u) with u
 * the pair's hash mapped into (0, 1). The node with the highest score wins; -w/ln(u) is the
 * inverse of an exponential with rate w, so each node wins with probability weight / Σ weights
 * (Schindelhauer & Schomaker's logarithmic method) and changing one node's weight only moves keys to
 * or from that node.
 */
export function rendezvousScore(pairHash: number, weight: number): number {
  return -weight / Math.log(toOpenUnitInterval(pairHash));
}
