/**
 * Probes a set of targets in rounds — all of them, a bounded number at a time — then again every
 * interval, and turns results into up/down transitions with rise/fall counting (HAProxy's model):
 *
 * - a new target is `unknown`; its first result decides (`up` on success, `down` on failure);
 * - an `up` target goes `down` after `fall` failures in a row;
 * - a `down` target comes back `up` after `rise` successes in a row.
 *
 * Rounds never overlap and never block anything else: probes are plain async I/O. The next round
 * starts `intervalMs` after the previous one started, or at once if it took longer than that.
 * The timer functions and the clock are injectable so the schedule can be tested without waiting.
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { InvalidProbeOptionError, PROBE_FAILURE_CODES } from './errors.js';
import { type ProbeOptions, probe } from './probe.js';
import type { ProbeResult } from './probe-result.js';
import { type ProbeTarget, type ResolvedTarget, resolveTarget } from './probe-target.js';

export type TargetState = 'unknown' | 'up' | 'down';

export interface TargetStatus {
  /** `host:port`. */
  id: string;
  state: TargetState;
  /** Successes in a row (0 after a failure). */
  okStreak: number;
  /** Failures in a row (0 after a success). */
  failStreak: number;
  last: ProbeResult | undefined;
}

/** Performs one check of a target; must resolve (a failure is a result), never reject. */
export type CheckFunction = (
  target: ProbeTarget & { id: string },
  signal: AbortSignal,
) => Promise<ProbeResult>;

export interface ProberTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ProberOptions {
  /** Initial targets (more with `add`). */
  targets?: Iterable<ProbeTarget | string>;
  /** Time between the starts of two rounds once `start()` was called. */
  intervalMs: number;
  /** Targets probed at the same time. Default 8. */
  concurrency?: number;
  /** Successes in a row that bring a down target up. Default 2. */
  rise?: number;
  /** Failures in a row that take an up target down. Default 1. */
  fall?: number;
  /** Options of the default check, {@link probe} (path, timeoutMs, samples). */
  probe?: Omit<ProbeOptions, 'signal'>;
  /** Replaces the default check (a timed transfer with `probe` options). */
  check?: CheckFunction;
  timers?: ProberTimers;
  /** Monotonic milliseconds. Default `performance.now`. */
  now?: () => number;
}

export interface ProberEvents {
  /** Every result, after the target's status was updated. */
  result: [result: ProbeResult, status: TargetStatus];
  /** A target became up (first success, or `rise` successes after being down). */
  up: [id: string, result: ProbeResult];
  /** A target became down (first failure, or `fall` failures after being up). */
  down: [id: string, result: ProbeResult];
  /** A round finished; results of targets removed meanwhile are left out. */
  round: [results: ProbeResult[]];
}

interface Entry {
  target: ResolvedTarget;
  status: TargetStatus;
  /** Aborts this target's probe in flight (remove, stop). */
  controller: AbortController | null;
  inFlight: Promise<ProbeResult> | null;
}

const realTimers: ProberTimers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // A schedule of probes must not keep a process alive on its own.
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < 1) {
    throw new InvalidProbeOptionError(name, value, 'expected a positive integer');
  }
  return resolved;
}

export class Prober extends EventEmitter<ProberEvents> {
  readonly intervalMs: number;
  readonly concurrency: number;
  readonly rise: number;
  readonly fall: number;
  readonly #check: CheckFunction;
  readonly #timers: ProberTimers;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  #round: Promise<ProbeResult[]> | null = null;
  #timer: unknown = null;
  #running = false;

  constructor(options: ProberOptions) {
    super();
    const { intervalMs } = options;
    if (typeof intervalMs !== 'number' || !(intervalMs > 0) || !Number.isFinite(intervalMs)) {
      throw new InvalidProbeOptionError(
        'intervalMs',
        intervalMs,
        'expected a positive number of milliseconds',
      );
    }
    this.intervalMs = intervalMs;
    this.concurrency = positiveInteger('concurrency', options.concurrency, 8);
    this.rise = positiveInteger('rise', options.rise, 2);
    this.fall = positiveInteger('fall', options.fall, 1);
    const probeOptions = options.probe ?? {};
    this.#check = options.check ?? ((target, signal) => probe(target, { ...probeOptions, signal }));
    this.#timers = options.timers ?? realTimers;
    this.#now = options.now ?? (() => performance.now());
    for (const target of options.targets ?? []) this.add(target);
  }

  /** Adds a target in state `unknown`; returns its id. Adding a present target changes nothing. */
  add(target: ProbeTarget | string): string {
    const resolved = resolveTarget(target);
    if (!this.#entries.has(resolved.id)) {
      this.#entries.set(resolved.id, {
        target: resolved,
        status: { id: resolved.id, state: 'unknown', okStreak: 0, failStreak: 0, last: undefined },
        controller: null,
        inFlight: null,
      });
    }
    return resolved.id;
  }

  /** Stops probing a target (its probe in flight is aborted and its result dropped). */
  remove(id: string): boolean {
    const entry = this.#entries.get(id);
    if (entry === undefined) return false;
    this.#entries.delete(id);
    entry.controller?.abort();
    return true;
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  /** Ids of the targets, in the order they were added. */
  targets(): string[] {
    return [...this.#entries.keys()];
  }

  status(id: string): TargetStatus | undefined {
    const entry = this.#entries.get(id);
    return entry === undefined ? undefined : { ...entry.status };
  }

  /**
   * Probes every target now and resolves with the results, in target order. While a round is
   * running, returns that round instead of starting another.
   */
  runRound(): Promise<ProbeResult[]> {
    if (this.#round !== null) return this.#round;
    const round = this.#runRound().finally(() => {
      this.#round = null;
    });
    this.#round = round;
    return round;
  }

  /** Probes one target now (joining its probe in flight, if any). */
  async probeNow(id: string): Promise<ProbeResult | undefined> {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    return this.#probeEntry(entry);
  }

  /** Runs a round every `intervalMs`, the first one `intervalMs` from now. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule(this.intervalMs);
  }

  /** Stops the schedule and aborts every probe in flight. Targets and their status are kept. */
  stop(): void {
    this.#running = false;
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
    for (const entry of this.#entries.values()) entry.controller?.abort();
  }

  get running(): boolean {
    return this.#running;
  }

  #schedule(delayMs: number): void {
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = null;
      if (!this.#running) return;
      const startedAt = this.#now();
      void this.runRound().then(() => {
        if (!this.#running) return;
        this.#schedule(Math.max(0, this.intervalMs - (this.#now() - startedAt)));
      });
    }, delayMs);
  }

  async #runRound(): Promise<ProbeResult[]> {
    const entries = [...this.#entries.values()];
    const queue = [...entries];
    const results = new Map<Entry, ProbeResult>();
    const worker = async () => {
      for (let entry = queue.shift(); entry !== undefined; entry = queue.shift()) {
        if (!this.#entries.has(entry.target.id)) continue;
        results.set(entry, await this.#probeEntry(entry));
      }
    };
    const workers = Math.min(this.concurrency, queue.length);
    await Promise.all(Array.from({ length: workers }, worker));
    const ordered: ProbeResult[] = [];
    for (const entry of entries) {
      const result = results.get(entry);
      if (result !== undefined && this.#entries.get(entry.target.id) === entry)
        ordered.push(result);
    }
    this.emit('round', ordered);
    return ordered;
  }

  #probeEntry(entry: Entry): Promise<ProbeResult> {
    if (entry.inFlight !== null) return entry.inFlight;
    const controller = new AbortController();
    entry.controller = controller;
    const { connectHost, port, id } = entry.target;
    const inFlight = this.#check({ host: connectHost, port, id }, controller.signal)
      .catch(
        (error: unknown): ProbeResult => ({
          ok: false,
          target: id,
          error: {
            code: PROBE_FAILURE_CODES.unexpected,
            message: error instanceof Error ? error.message : String(error),
          },
          totalMs: 0,
        }),
      )
      .then((result) => {
        entry.inFlight = null;
        entry.controller = null;
        // A removed (or removed and re-added) target's late result must not touch its status.
        if (this.#entries.get(id) === entry && !controller.signal.aborted)
          this.#record(entry, result);
        return result;
      });
    entry.inFlight = inFlight;
    return inFlight;
  }

  #record(entry: Entry, result: ProbeResult): void {
    const status = entry.status;
    status.last = result;
    if (result.ok) {
      status.okStreak++;
      status.failStreak = 0;
    } else {
      status.failStreak++;
      status.okStreak = 0;
    }
    let transition: 'up' | 'down' | null = null;
    if (status.state === 'unknown') transition = result.ok ? 'up' : 'down';
    else if (status.state === 'up' && status.failStreak >= this.fall) transition = 'down';
    else if (status.state === 'down' && status.okStreak >= this.rise) transition = 'up';
    if (transition !== null) status.state = transition;
    this.emit('result', result, { ...status });
    if (transition !== null) this.emit(transition, status.id, result);
  }
}
