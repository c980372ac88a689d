/**
 * The servers the balancer knows, their state and their counters, and the strategy that chooses
 * among the live ones. The strategy only ever holds the servers that are up: a server going down is
 * a `remove`, coming back an `add`, so no strategy can pick a dead server whatever it does.
 *
 * Everything the request path reads (the rank order, the per-region exclusion sets) is rebuilt
 * here when membership or probe figures change, never per request.
 */
import type { ProbeResult } from '@lb/probe';
import type { Endpoint, Sample, Strategy } from '@lb/ranking';
import { DuplicateServerError } from './errors.js';
import type { ServerSpec } from './server-spec.js';

/**
 * - `pending`: added, not probed yet: receives no traffic.
 * - `up`: passed its probes; in the strategy.
 * - `down`: failed; out of the strategy (probed again only with `--readmit`).
 */
export type ServerState = 'pending' | 'up' | 'down';

export interface PoolServer {
  readonly id: string;
  readonly spec: ServerSpec;
  /** `http://host:port`: the prefix of every Location pointing at this server. */
  readonly origin: string;
  /** 1-based position within its region, fixed for the server's lifetime; undefined without a region. */
  readonly machine: number | undefined;
  /** Process id when the balancer spawned this server as a managed replica. */
  readonly replicaPid: number | undefined;
  state: ServerState;
  lastProbe: ProbeResult | undefined;
  /** Wall-clock time (epoch ms) of `lastProbe`. */
  lastProbeAt: number | undefined;
  /** Clients redirected to this server. */
  redirects: number;
}

export interface AddServerOptions {
  replicaPid?: number;
}

export interface ServerPoolOptions {
  /** Monotonic milliseconds for the strategy; defaults to `performance.now`. */
  now?: () => number;
  /** Wall-clock milliseconds for `lastProbeAt`; defaults to `Date.now`. */
  wallClock?: () => number;
}

function toEndpoint(server: PoolServer): Endpoint {
  const { spec } = server;
  return spec.region === undefined
    ? { id: server.id, address: server.id, weight: spec.weight }
    : { id: server.id, address: server.id, weight: spec.weight, region: spec.region };
}

function toSample(result: ProbeResult): Sample {
  return result.ok
    ? {
        kind: 'probe',
        ok: true,
        totalMs: result.totalMs,
        bytes: result.bytes,
        bytesPerSec: result.bytesPerSec,
      }
    : { kind: 'probe', ok: false };
}

/** Fastest successful probe first; servers without figures after, in the order they were added. */
function rankOrder(a: PoolServer, b: PoolServer, order: Map<string, number>): number {
  const aMs = a.lastProbe?.ok ? a.lastProbe.totalMs : Number.POSITIVE_INFINITY;
  const bMs = b.lastProbe?.ok ? b.lastProbe.totalMs : Number.POSITIVE_INFINITY;
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  return (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0);
}

export class ServerPool {
  readonly strategy: Strategy;
  readonly #now: () => number;
  readonly #wallClock: () => number;
  readonly #servers = new Map<string, PoolServer>();
  /** Insertion sequence, for stable ordering. */
  readonly #order = new Map<string, number>();
  #sequence = 0;
  /** Highest machine number handed out per region; numbers are never reused. */
  readonly #lastMachine = new Map<string, number>();
  #ranked: readonly PoolServer[] = [];
  /** Per region: ids of live servers outside it, to pass as `exclude` when routing into the region. */
  #outsideRegion = new Map<string, ReadonlySet<string>>();
  readonly #listeners = new Set<() => void>();

  constructor(strategy: Strategy, options: ServerPoolOptions = {}) {
    this.strategy = strategy;
    this.#now = options.now ?? (() => performance.now());
    this.#wallClock = options.wallClock ?? Date.now;
  }

  /** Called after any change of membership, state or probe figures (not after redirect counts). */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get size(): number {
    return this.#servers.size;
  }

  get(id: string): PoolServer | undefined {
    return this.#servers.get(id);
  }

  /** Every server, in the order it was added. */
  all(): PoolServer[] {
    return [...this.#servers.values()];
  }

  /** Live servers in rank order (fastest last probe first). */
  ranked(): readonly PoolServer[] {
    return this.#ranked;
  }

  /** Servers of a region in machine order, or undefined when no server ever had that region. */
  region(name: string): PoolServer[] | undefined {
    if (!this.#lastMachine.has(name)) return undefined;
    return this.all()
      .filter((server) => server.spec.region === name)
      .sort((a, b) => (a.machine ?? 0) - (b.machine ?? 0));
  }

  /** Adds a server in state `pending`; it gets traffic once a probe marks it up. */
  add(spec: ServerSpec, options: AddServerOptions = {}): PoolServer {
    if (this.#servers.has(spec.id)) throw new DuplicateServerError(spec.id);
    let machine: number | undefined;
    if (spec.region !== undefined) {
      machine = (this.#lastMachine.get(spec.region) ?? 0) + 1;
      this.#lastMachine.set(spec.region, machine);
    }
    const server: PoolServer = {
      id: spec.id,
      spec,
      origin: `http://${spec.id}`,
      machine,
      replicaPid: options.replicaPid,
      state: 'pending',
      lastProbe: undefined,
      lastProbeAt: undefined,
      redirects: 0,
    };
    this.#servers.set(spec.id, server);
    this.#order.set(spec.id, this.#sequence++);
    this.#changed();
    return server;
  }

  /** Removes a server for good; returns it, or undefined when it was not in the pool. */
  remove(id: string): PoolServer | undefined {
    const server = this.#servers.get(id);
    if (server === undefined) return undefined;
    if (server.state === 'up') this.strategy.apply({ type: 'remove', id });
    this.#servers.delete(id);
    this.#order.delete(id);
    this.#changed();
    return server;
  }

  /**
   * Records a probe result: the figures shown in /rep and, for a live server, a sample for the
   * strategy. State changes are separate ({@link setState}): rise/fall counting is the prober's job.
   */
  recordProbe(id: string, result: ProbeResult): void {
    const server = this.#servers.get(id);
    if (server === undefined) return;
    server.lastProbe = result;
    server.lastProbeAt = this.#wallClock();
    if (server.state === 'up') this.strategy.observe(id, toSample(result), this.#now());
    this.#changed();
  }

  setState(id: string, state: 'up' | 'down'): void {
    const server = this.#servers.get(id);
    if (server === undefined || server.state === state) return;
    const wasUp = server.state === 'up';
    server.state = state;
    if (state === 'up') {
      this.strategy.apply({ type: 'add', endpoint: toEndpoint(server) });
      // A fresh endpoint starts without estimates: give it the probe that brought it up.
      if (server.lastProbe?.ok) this.strategy.observe(id, toSample(server.lastProbe), this.#now());
    } else if (wasUp) {
      this.strategy.apply({ type: 'remove', id });
    }
    this.#changed();
  }

  /**
   * Chooses a live server, optionally only within `region`. Returns undefined when there is none.
   * `hashKey` is used by hashed strategies (the request path), ignored by the others.
   */
  pick(hashKey: string, region?: string): PoolServer | undefined {
    const exclude = region === undefined ? undefined : this.#outsideRegion.get(region);
    const result = this.strategy.pick(
      exclude === undefined || exclude.size === 0
        ? { now: this.#now(), hashKey }
        : { now: this.#now(), hashKey, exclude },
    );
    if (!result.ok) return undefined;
    // A redirect is over as soon as it is written; load-aware strategies get their slot back at once.
    result.done?.({ ok: true, latencyMs: 0, now: this.#now() });
    const server = this.#servers.get(result.endpoint.id);
    if (server === undefined) return undefined;
    // With `exclude` a strategy may still return an outside server when nothing else is eligible.
    if (region !== undefined && server.spec.region !== region) return undefined;
    return server;
  }

  /** Expected traffic share per server id, from the strategy. */
  shares(): ReadonlyMap<string, number> {
    return this.strategy.shares(this.#now());
  }

  #changed(): void {
    const live = [...this.#servers.values()].filter((server) => server.state === 'up');
    this.#ranked = live.sort((a, b) => rankOrder(a, b, this.#order));
    const outside = new Map<string, ReadonlySet<string>>();
    for (const region of this.#lastMachine.keys()) {
      outside.set(
        region,
        new Set(live.filter((server) => server.spec.region !== region).map((server) => server.id)),
      );
    }
    this.#outsideRegion = outside;
    for (const listener of this.#listeners) listener();
  }
}
