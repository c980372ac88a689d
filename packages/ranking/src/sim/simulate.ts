import { createStrategy } from '../registry.js';
import { createSeededRandom } from '../seeded-random.js';
import type { Outcome, RandomSource, Sample } from '../types.js';
import { createArrivalClock } from './arrival-process.js';
import { deriveSeed, RandomStream } from './derive-seed.js';
import { EventQueue } from './event-queue.js';
import { createHashKeySampler } from './hash-key-distribution.js';
import { JoinShortestQueueOracle } from './join-shortest-queue-oracle.js';
import { summarizeLatencies } from './latency-summary.js';
import type { RequestRouter } from './request-router.js';
import {
  type ResolvedSimulationConfig,
  resolveSimulationConfig,
} from './resolve-simulation-config.js';
import { createServiceTimeSampler } from './service-time-distribution.js';
import { SimulatedServer } from './simulated-server.js';
import type { SelectorConfig, ServerDisruption, SimulationConfig } from './simulation-config.js';
import {
  RequestOutcomeCode,
  type ServerCounts,
  type SimulationResult,
} from './simulation-result.js';
import { StrategyRouter } from './strategy-router.js';
import { TrafficRecorder } from './traffic-recorder.js';

/**
 * Runs a discrete-event simulation of a balancer in front of `config.servers` and returns its
 * statistics. Synchronous and deterministic: the same config (seed included) always gives the same
 * result. Throws `SimulationConfigError` (code `LB_RANKING_SIM_CONFIG`) for an invalid config.
 */
export function simulate(config: SimulationConfig): SimulationResult {
  return new SimulationRun(resolveSimulationConfig(config)).run();
}

function createRouter(
  selector: SelectorConfig,
  servers: readonly SimulatedServer[],
  random: RandomSource,
): RequestRouter {
  switch (selector.kind) {
    case 'jsq-oracle':
      return new JoinShortestQueueOracle(servers, random);
    case 'factory':
      return new StrategyRouter(selector.create({ random }), servers);
    case 'strategy':
      // Invalid options surface as the registry's InvalidStrategyOptionError (LB_RANKING_INVALID_OPTION).
      return new StrategyRouter(
        createStrategy(selector.name, { ...selector.options }, { random }),
        servers,
      );
  }
}

const PENDING = 255;

type SimEvent =
  | { readonly type: 'arrival' }
  | { readonly type: 'reach-server'; readonly request: number; readonly server: number }
  | {
      readonly type: 'service-done';
      readonly request: number;
      readonly server: number;
      readonly epoch: number;
    }
  | { readonly type: 'response'; readonly request: number; readonly ok: boolean }
  | { readonly type: 'timeout'; readonly request: number }
  | { readonly type: 'probe'; readonly server: number }
  | { readonly type: 'probe-result'; readonly server: number; readonly sample: Sample }
  | {
      readonly type: 'disruption-begin';
      readonly server: number;
      readonly disruption: ServerDisruption;
    }
  | {
      readonly type: 'disruption-end';
      readonly server: number;
      readonly disruption: ServerDisruption;
    };

const ARRIVAL: SimEvent = { type: 'arrival' };

/** One run's mutable state. Requests are indices into parallel typed arrays, in arrival order. */
class SimulationRun {
  readonly #config: ResolvedSimulationConfig;
  readonly #queue = new EventQueue<SimEvent>();
  readonly #servers: SimulatedServer[];
  readonly #router: RequestRouter;
  readonly #traffic: TrafficRecorder;
  readonly #nextHashKey: (() => string) | undefined;
  readonly #requests: number;
  readonly #arrivalMs: Float64Array;
  readonly #latencyMs: Float64Array;
  readonly #serverOf: Int32Array;
  readonly #outcome: Uint8Array;
  readonly #done: (((outcome: Outcome) => void) | undefined)[];
  #issued = 0;
  #ended = 0;
  #now = 0;
  #events = 0;

  constructor(config: ResolvedSimulationConfig) {
    this.#config = config;
    const { seed } = config;
    const n = config.arrivals.requests;
    const slotOf = new Int32Array(n);
    this.#servers = config.servers.map(
      (server, index) =>
        new SimulatedServer(
          index,
          server,
          {
            request: createServiceTimeSampler(
              server.serviceTime,
              createSeededRandom(deriveSeed(seed, RandomStream.serverBase + index)),
            ),
            probe: createServiceTimeSampler(
              server.serviceTime,
              createSeededRandom(deriveSeed(seed, RandomStream.probeBase + index)),
            ),
          },
          slotOf,
        ),
    );
    const selectorRandom = createSeededRandom(deriveSeed(seed, RandomStream.selector));
    this.#router = createRouter(config.selector, this.#servers, selectorRandom);
    this.#traffic = new TrafficRecorder(config.trafficBucketMs, this.#servers.length);
    this.#nextHashKey =
      config.hashKeys === undefined
        ? undefined
        : createHashKeySampler(
            config.hashKeys,
            createSeededRandom(deriveSeed(seed, RandomStream.hashKeys)),
          );
    this.#requests = n;
    this.#arrivalMs = new Float64Array(n);
    this.#latencyMs = new Float64Array(n);
    this.#serverOf = new Int32Array(n).fill(-1);
    this.#outcome = new Uint8Array(n).fill(PENDING);
    this.#done = new Array(n);
  }

  run(): SimulationResult {
    this.#scheduleStart();
    const queue = this.#queue;
    while (this.#ended < this.#requests) {
      const time = queue.peekTime();
      // Validation guarantees every request ends (black-hole outages need a timeout), so running out
      // of events first would be a simulator bug, not a config problem.
      if (time === undefined)
        throw new Error('simulate: event queue drained with requests pending');
      this.#now = time;
      this.#events++;
      this.#dispatch(queue.pop()!);
    }
    return this.#result();
  }

  #scheduleStart(): void {
    // Push order settles ties at equal times. Windows are half-open, so every disruption end goes
    // first (back-to-back windows hand over cleanly, whatever their order in the config); then the
    // starts and the first probes, so a server goes down (or is probed) before a request at the
    // same instant is routed.
    this.#config.servers.forEach((server, index) => {
      for (const disruption of server.disruptions) {
        this.#queue.push(disruption.untilMs, { type: 'disruption-end', server: index, disruption });
      }
    });
    this.#config.servers.forEach((server, index) => {
      for (const disruption of server.disruptions) {
        this.#queue.push(disruption.fromMs, {
          type: 'disruption-begin',
          server: index,
          disruption,
        });
      }
      if (this.#config.probes !== undefined) this.#queue.push(0, { type: 'probe', server: index });
    });
    const arrivals = this.#config.arrivals;
    if (arrivals.kind === 'closed-loop') {
      for (let i = 0; i < arrivals.concurrency; i++) this.#queue.push(0, ARRIVAL);
    } else {
      const nextArrival = createArrivalClock(
        arrivals,
        createSeededRandom(deriveSeed(this.#config.seed, RandomStream.arrivals)),
      );
      this.#nextOpenArrival = () => {
        if (this.#issued < this.#requests) {
          this.#queue.push(nextArrival(this.#issued, this.#now), ARRIVAL);
        }
      };
      this.#nextOpenArrival();
    }
  }

  /** Schedules the next open-loop arrival; unset for closed loops (completions drive those). */
  #nextOpenArrival: (() => void) | undefined;

  #dispatch(event: SimEvent): void {
    switch (event.type) {
      case 'arrival':
        this.#issue();
        this.#nextOpenArrival?.();
        return;
      case 'reach-server':
        this.#reachServer(event.request, this.#servers[event.server]!);
        return;
      case 'service-done': {
        const server = this.#servers[event.server]!;
        if (event.epoch !== server.epoch) return;
        server.finishService(event.request);
        server.outstanding--;
        this.#respond(event.request, server, true);
        const next = server.dequeue();
        if (next !== undefined) this.#startService(next, server);
        return;
      }
      case 'response':
        this.#end(
          event.request,
          event.ok ? RequestOutcomeCode.succeeded : RequestOutcomeCode.failed,
        );
        return;
      case 'timeout':
        this.#end(event.request, RequestOutcomeCode.timedOut);
        return;
      case 'probe':
        this.#probe(this.#servers[event.server]!);
        return;
      case 'probe-result':
        this.#router.observeProbe(event.server, event.sample, this.#now);
        return;
      case 'disruption-begin': {
        const server = this.#servers[event.server]!;
        const dropped = server.beginDisruption(event.disruption);
        server.outstanding -= dropped.length;
        if (server.downMode === 'fail-fast') {
          for (const request of dropped) this.#respond(request, server, false);
        }
        // Black-holed requests are simply forgotten: their timeouts end them.
        return;
      }
      case 'disruption-end':
        this.#servers[event.server]!.endDisruption(event.disruption);
        return;
    }
  }

  #issue(): void {
    const request = this.#issued++;
    const now = this.#now;
    this.#arrivalMs[request] = now;
    const decision = this.#router.route(now, this.#nextHashKey?.());
    if (decision === undefined) {
      this.#end(request, RequestOutcomeCode.unrouted);
      return;
    }
    const server = this.#servers[decision.server]!;
    this.#serverOf[request] = server.index;
    this.#done[request] = decision.done;
    this.#traffic.record(now, server.index);
    if (Number.isFinite(this.#config.requestTimeoutMs)) {
      this.#queue.push(now + this.#config.requestTimeoutMs, { type: 'timeout', request });
    }
    server.outstanding++;
    if (server.oneWayMs === 0) this.#reachServer(request, server);
    else {
      this.#queue.push(now + server.oneWayMs, {
        type: 'reach-server',
        request,
        server: server.index,
      });
    }
  }

  #reachServer(request: number, server: SimulatedServer): void {
    if (server.downMode !== undefined) {
      server.outstanding--;
      if (server.downMode === 'fail-fast') this.#respond(request, server, false);
      return;
    }
    if (server.hasFreeSlot) this.#startService(request, server);
    else server.enqueue(request);
    // A request whose client already timed out is still served: the server cannot know the client
    // left, so abandoned work keeps occupying slots, as it does on a real server.
  }

  #startService(request: number, server: SimulatedServer): void {
    const serviceMs = server.startService(request);
    this.#queue.push(this.#now + serviceMs, {
      type: 'service-done',
      request,
      server: server.index,
      epoch: server.epoch,
    });
  }

  #respond(request: number, server: SimulatedServer, ok: boolean): void {
    if (server.oneWayMs === 0) {
      this.#end(request, ok ? RequestOutcomeCode.succeeded : RequestOutcomeCode.failed);
    } else {
      this.#queue.push(this.#now + server.oneWayMs, { type: 'response', request, ok });
    }
  }

  /** Records how `request` ended (first outcome wins) and tells the strategy. */
  #end(request: number, code: RequestOutcomeCode): void {
    if (this.#outcome[request] !== PENDING) return;
    this.#outcome[request] = code;
    const latencyMs =
      code === RequestOutcomeCode.timedOut
        ? this.#config.requestTimeoutMs
        : this.#now - this.#arrivalMs[request]!;
    this.#latencyMs[request] = latencyMs;
    this.#ended++;
    const done = this.#done[request];
    if (done !== undefined) {
      this.#done[request] = undefined;
      done({ ok: code === RequestOutcomeCode.succeeded, latencyMs, now: this.#now });
    }
    if (this.#nextOpenArrival === undefined && this.#issued < this.#requests) {
      this.#queue.push(this.#now, ARRIVAL);
    }
  }

  #probe(server: SimulatedServer): void {
    const probes = this.#config.probes!;
    this.#queue.push(this.#now + probes.intervalMs, { type: 'probe', server: server.index });
    const now = this.#now;
    const roundTripMs = 2 * server.oneWayMs;
    let sample: Sample;
    let reportAt: number;
    if (server.downMode === 'black-hole') {
      sample = { kind: 'probe', ok: false };
      reportAt = now + probes.timeoutMs;
    } else if (server.downMode === 'fail-fast') {
      sample = { kind: 'probe', ok: false };
      reportAt = now + Math.min(roundTripMs, probes.timeoutMs);
    } else {
      const totalMs = roundTripMs + server.probeServiceTime();
      if (totalMs > probes.timeoutMs) {
        sample = { kind: 'probe', ok: false };
        reportAt = now + probes.timeoutMs;
      } else {
        // A zero-time probe would claim infinite throughput; floor the duration at 1 µs.
        const bytesPerSec = (probes.bytes * 1000) / Math.max(totalMs, 0.001);
        sample = { kind: 'probe', ok: true, totalMs, bytes: probes.bytes, bytesPerSec };
        reportAt = now + totalMs;
      }
    }
    this.#queue.push(reportAt, { type: 'probe-result', server: server.index, sample });
  }

  #result(): SimulationResult {
    const n = this.#requests;
    const warmupMs = this.#config.warmupMs;
    // Arrival times never decrease, so the measured requests are a suffix of the arrays.
    let first = 0;
    while (first < n && this.#arrivalMs[first]! < warmupMs) first++;
    const latenciesMs = this.#latencyMs.slice(first);
    const outcomes = this.#outcome.slice(first);
    const perServer = this.#servers.map(() => ({
      requests: 0,
      succeeded: 0,
      failed: 0,
      timedOut: 0,
    }));
    const byCode = [0, 0, 0, 0];
    let succeededCount = 0;
    for (let i = first; i < n; i++) {
      const code = this.#outcome[i]!;
      byCode[code]!++;
      if (code === RequestOutcomeCode.succeeded) succeededCount++;
      const serverIndex = this.#serverOf[i]!;
      if (serverIndex < 0) continue;
      const counts = perServer[serverIndex]!;
      counts.requests++;
      if (code === RequestOutcomeCode.succeeded) counts.succeeded++;
      else if (code === RequestOutcomeCode.failed) counts.failed++;
      else if (code === RequestOutcomeCode.timedOut) counts.timedOut++;
    }
    const measured = n - first;
    const latency = summarizeLatencies(latenciesMs);
    // Sorting millions of latencies twice is the costliest step of a large run: skip it when every
    // measured request succeeded and the two summaries are the same.
    let successLatency = latency;
    if (succeededCount !== measured) {
      const successLatencies = new Float64Array(succeededCount);
      let k = 0;
      for (let i = 0; i < latenciesMs.length; i++) {
        if (outcomes[i] === RequestOutcomeCode.succeeded) successLatencies[k++] = latenciesMs[i]!;
      }
      successLatency = summarizeLatencies(successLatencies);
    }
    return {
      serverIds: this.#servers.map((s) => s.endpoint.id),
      totalRequests: n,
      latenciesMs,
      outcomes,
      counts: {
        measured,
        succeeded: byCode[RequestOutcomeCode.succeeded]!,
        failed: byCode[RequestOutcomeCode.failed]!,
        timedOut: byCode[RequestOutcomeCode.timedOut]!,
        unrouted: byCode[RequestOutcomeCode.unrouted]!,
      },
      successRate: measured === 0 ? Number.NaN : succeededCount / measured,
      latency,
      successLatency,
      perServer: perServer.map(
        (counts, index): ServerCounts => ({ id: this.#servers[index]!.endpoint.id, ...counts }),
      ),
      traffic: { bucketMs: this.#config.trafficBucketMs, buckets: this.#traffic.buckets() },
      endTimeMs: this.#now,
      events: this.#events,
    };
  }
}
