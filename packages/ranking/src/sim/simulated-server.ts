import type { Endpoint } from '../types.js';
import type { ResolvedServerConfig } from './resolve-simulation-config.js';
import type { ServiceTimeSampler } from './service-time-distribution.js';
import type { ServerDisruption } from './simulation-config.js';

/**
 * Mutable state of one simulated server: its service slots, its FIFO queue and the disruptions in
 * force. It holds request indices, not request objects; the simulator owns the requests and decides
 * what happens to them.
 */
export class SimulatedServer {
  readonly index: number;
  readonly endpoint: Endpoint;
  readonly concurrency: number;
  /** One-way network delay: half the configured round trip. */
  readonly oneWayMs: number;
  /**
   * Outstanding requests as an omniscient observer counts them: in transit to the server, queued or in
   * service. Kept as a counter (the simulator updates it) because the JSQ oracle reads it for every
   * server on every pick.
   */
  outstanding = 0;
  /**
   * Incremented when the server goes down. A service completion scheduled under an older epoch belongs
   * to a request the outage already disposed of and is ignored.
   */
  epoch = 0;
  /** How requests are treated while down; `undefined` while up. */
  downMode: 'fail-fast' | 'black-hole' | undefined;

  /** Requests in service, unordered; `#slotOf[request]` is each one's position (O(1) removal). */
  readonly #inService: number[] = [];
  readonly #slotOf: Int32Array;
  #queue: number[] = [];
  #queueHead = 0;
  readonly #sampleServiceTime: ServiceTimeSampler;
  readonly #sampleProbeTime: ServiceTimeSampler;
  readonly #slowFactors: number[] = [];
  #slowFactor = 1;
  #pinnedMs: number | undefined;

  /**
   * Requests and probes draw service times from separate samplers (same distribution, different
   * random streams) so enabling probes does not change what requests experience. `slotOf` is scratch
   * space shared by all servers of a run, one entry per request: a request is in service on at most
   * one server at a time.
   */
  constructor(
    index: number,
    config: ResolvedServerConfig,
    samplers: { readonly request: ServiceTimeSampler; readonly probe: ServiceTimeSampler },
    slotOf: Int32Array,
  ) {
    this.index = index;
    this.endpoint = {
      id: config.id,
      address: `sim://${config.id}`,
      weight: config.weight,
      ...(config.region === undefined ? {} : { region: config.region }),
    };
    this.concurrency = config.concurrency;
    this.oneWayMs = config.rttMs / 2;
    this.#sampleServiceTime = samplers.request;
    this.#sampleProbeTime = samplers.probe;
    this.#slotOf = slotOf;
  }

  /** Requests in service. */
  get busy(): number {
    return this.#inService.length;
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.#queue.length - this.#queueHead;
  }

  get hasFreeSlot(): boolean {
    return this.#inService.length < this.concurrency;
  }

  /** Takes a slot for `request` and returns how long its service lasts under current conditions. */
  startService(request: number): number {
    this.#slotOf[request] = this.#inService.length;
    this.#inService.push(request);
    return this.#withDisruptions(this.#sampleServiceTime());
  }

  /** Frees the slot of `request`. */
  finishService(request: number): void {
    const slot = this.#slotOf[request]!;
    const last = this.#inService.pop()!;
    if (last !== request) {
      this.#inService[slot] = last;
      this.#slotOf[last] = slot;
    }
  }

  enqueue(request: number): void {
    this.#queue.push(request);
  }

  /** Next waiting request, or `undefined`. */
  dequeue(): number | undefined {
    if (this.#queueHead >= this.#queue.length) return undefined;
    const request = this.#queue[this.#queueHead++]!;
    // Compact now and then so a long run does not keep every request it ever queued.
    if (this.#queueHead > 1024 && this.#queueHead * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#queueHead);
      this.#queueHead = 0;
    }
    return request;
  }

  /** What a probe sent now would measure as service time (slow-downs and pin applied). */
  probeServiceTime(): number {
    return this.#withDisruptions(this.#sampleProbeTime());
  }

  #withDisruptions(drawnMs: number): number {
    // The draw happens even when pinned so the stream stays aligned with the unpinned timeline.
    if (this.#pinnedMs !== undefined) return this.#pinnedMs;
    return drawnMs * this.#slowFactor;
  }

  /**
   * Applies the start of `disruption`. When the server goes down it drops everything it holds and
   * returns those requests (in service first, then in queue order) so the simulator can fail them.
   */
  beginDisruption(disruption: ServerDisruption): number[] {
    switch (disruption.kind) {
      case 'down': {
        this.downMode = disruption.mode ?? 'fail-fast';
        this.epoch++;
        const dropped = [...this.#inService, ...this.#queue.slice(this.#queueHead)];
        this.#inService.length = 0;
        this.#queue = [];
        this.#queueHead = 0;
        return dropped;
      }
      case 'slow':
        this.#slowFactors.push(disruption.factor);
        this.#slowFactor = product(this.#slowFactors);
        return [];
      case 'pinned':
        this.#pinnedMs = disruption.latencyMs;
        return [];
    }
  }

  /** Applies the end of `disruption`. */
  endDisruption(disruption: ServerDisruption): void {
    switch (disruption.kind) {
      case 'down':
        this.downMode = undefined;
        return;
      case 'slow':
        this.#slowFactors.splice(this.#slowFactors.indexOf(disruption.factor), 1);
        // Recomputed rather than divided so the factor returns to exactly 1.
        this.#slowFactor = product(this.#slowFactors);
        return;
      case 'pinned':
        this.#pinnedMs = undefined;
        return;
    }
  }
}

function product(values: readonly number[]): number {
  let p = 1;
  for (const v of values) p *= v;
  return p;
}
