/**
 * A strategy wrapper that reports every pick as finished at once, with latency 0 — exactly what
 * lb-balancer does: a redirect is over when it is written, so the balancer never sees the transfer
 * and calls `done` right after `pick` (apps/balancer/src/server-pool.ts). Simulating a strategy
 * through this wrapper shows it as the balancer runs it; without it, the simulator gives the
 * strategy completion feedback a proxy would have.
 */
import type { PickContext, PickResult, Strategy } from '@lb/ranking';

export function withImmediateDone(inner: Strategy): Strategy {
  return {
    get name() {
      return inner.name;
    },
    get endpoints() {
      return inner.endpoints;
    },
    setEndpoints: (endpoints) => inner.setEndpoints(endpoints),
    apply: (change) => inner.apply(change),
    observe: (id, sample, now) => inner.observe(id, sample, now),
    shares: (now) => inner.shares(now),
    pick(ctx: PickContext): PickResult {
      const result = inner.pick(ctx);
      if (!result.ok) return result;
      result.done?.({ ok: true, latencyMs: 0, now: ctx.now });
      return { ok: true, endpoint: result.endpoint };
    },
  };
}
