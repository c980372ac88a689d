import type { RandomSource } from '../types.js';
import type { RequestRouter, RouteDecision } from './request-router.js';
import type { SimulatedServer } from './simulated-server.js';

/**
 * Join-the-shortest-queue with perfect knowledge: every pick scans the servers' true outstanding
 * request counts and skips servers that are down. It exists only in the simulator, as the yardstick the
 * adaptive strategies (P2C peak-EWMA, least-pending P2C) are measured against. Ties are broken
 * uniformly at random — always taking the first would pile idle-time traffic onto server 0.
 */
export class JoinShortestQueueOracle implements RequestRouter {
  readonly #servers: readonly SimulatedServer[];
  readonly #random: RandomSource;
  readonly #decisions: RouteDecision[];

  constructor(servers: readonly SimulatedServer[], random: RandomSource) {
    this.#servers = servers;
    this.#random = random;
    // The oracle needs no completion callback, so one frozen decision per server serves every pick.
    this.#decisions = servers.map((s) => Object.freeze({ server: s.index, done: undefined }));
  }

  route(): RouteDecision | undefined {
    let best = -1;
    let bestLoad = Number.POSITIVE_INFINITY;
    let ties = 0;
    for (const server of this.#servers) {
      if (server.downMode !== undefined) continue;
      const load = server.outstanding;
      if (load < bestLoad) {
        best = server.index;
        bestLoad = load;
        ties = 1;
      } else if (load === bestLoad) {
        // Reservoir sampling: the k-th tied server replaces the choice with probability 1/k.
        ties++;
        if (this.#random() * ties < 1) best = server.index;
      }
    }
    return best < 0 ? undefined : this.#decisions[best];
  }

  observeProbe(): void {
    // The oracle already knows the truth; probes add nothing.
  }
}
