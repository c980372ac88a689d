import type { Sample, Strategy } from '../types.js';
import type { RequestRouter, RouteDecision } from './request-router.js';
import type { SimulatedServer } from './simulated-server.js';

/**
 * Drives a strategy: routes with `pick`, feeds probe samples to `observe`. Outcomes reach the strategy
 * through the `done` callback its pick returned, exactly as in the real balancer.
 */
export class StrategyRouter implements RequestRouter {
  readonly strategy: Strategy;
  readonly #servers: readonly SimulatedServer[];
  readonly #indexById: ReadonlyMap<string, number>;

  constructor(strategy: Strategy, servers: readonly SimulatedServer[]) {
    this.strategy = strategy;
    this.strategy.setEndpoints(servers.map((s) => s.endpoint));
    this.#servers = servers;
    this.#indexById = new Map(servers.map((s) => [s.endpoint.id, s.index]));
  }

  route(now: number, hashKey: string | undefined): RouteDecision | undefined {
    const picked = this.strategy.pick(hashKey === undefined ? { now } : { now, hashKey });
    if (!picked.ok) return undefined;
    const server = this.#indexById.get(picked.endpoint.id);
    if (server === undefined) {
      throw new Error(
        `strategy ${this.strategy.name} picked unknown endpoint ${picked.endpoint.id}`,
      );
    }
    return { server, done: picked.done };
  }

  observeProbe(server: number, sample: Sample, now: number): void {
    this.strategy.observe(this.#servers[server]!.endpoint.id, sample, now);
  }
}
