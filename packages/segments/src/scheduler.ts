import { DecayingRate } from './decaying-rate.js';
import {
  InvalidArgumentError,
  SourceBusyError,
  UnknownAssignmentError,
  UnknownSourceError,
} from './errors.js';
import type { FragmentPlan } from './plan-fragments.js';

/** Identifies a source (a mirror, or one connection to it): the caller's choice, e.g. its URL. */
export type SourceId = string;
/** Sources of one group are connections to the same mirror: they share its verdicts. */
export type SourceGroup = string;

export interface AddSourceOptions {
  /** The mirror this source is a connection to (default: the source is its own group). */
  group?: SourceGroup;
}
/** Identifies one assignment; issued by the scheduler, increasing from 1. */
export type AssignmentId = number;

/** Why a transfer ended without a verified fragment; kept in the source's stats. */
export type FailReason =
  | 'closed'
  | 'refused'
  | 'reset'
  | 'timeout'
  | 'stalled'
  | 'bad-status'
  | 'removed'
  | (string & {});

/** Fetch fragment `index` (bytes `start`..`end` inclusive) from `sourceId`. */
export interface Assignment {
  readonly id: AssignmentId;
  readonly sourceId: SourceId;
  readonly index: number;
  readonly start: number;
  readonly end: number;
  readonly length: number;
  /** True for an endgame copy of a fragment another source is still fetching. */
  readonly duplicate: boolean;
  /** The `now` of the `next()` call that issued it. */
  readonly startedAt: number;
}

/** Endgame behaviour: what a free source does when no fragment is left unassigned. */
export interface EndgameOptions {
  /** Duplicate the in-flight fragment expected to finish last (default true). */
  duplicate?: boolean;
  /**
   * Duplicate only when the copy is expected to finish this many times sooner than the original's
   * remaining time (default 1.5): a copy that barely wins is mostly wasted bytes.
   */
  minSpeedup?: number;
  /**
   * Near the end, refuse a fragment to a source that, at the measured rates, would finish it after
   * the busy sources could (default true). Stops the slowest mirror from holding the last fragment.
   */
  holdBackSlow?: boolean;
}

/** When `stalled()` reports an assignment. */
export interface StallOptions {
  /** No byte for this long (default 5000 ms). */
  noBytesMs?: number;
  /** Slower than the median rate of the other sources divided by this (default 8)... */
  slowFactor?: number;
  /** ...once the assignment is this old (default 3000 ms). */
  graceMs?: number;
}

export interface SchedulerOptions {
  plan: FragmentPlan;
  /** Fragments already verified (from a manifest): never assigned. */
  done?: Iterable<number>;
  /** Sources to register now; more with `addSource`. */
  sources?: Iterable<SourceId>;
  endgame?: EndgameOptions;
  stall?: StallOptions;
  /** Half-life of the per-source rate estimate (default 1000 ms). */
  rateHalfLifeMs?: number;
}

/** What `complete()` decided. */
export interface CompleteResult {
  /**
   * True when this completion made the fragment done: its bytes are the ones to keep. False for a
   * hash mismatch, or for a copy that lost the endgame race or was already closed.
   */
  readonly accepted: boolean;
  /** Other copies of the fragment, now closed: abort their transfers. */
  readonly cancel: readonly Assignment[];
}

/** What `fail()` or `removeSource()` did. */
export interface FailResult {
  /** Fragments that went back to the pool (not those another copy is still fetching). */
  readonly requeued: readonly number[];
}

/** Counters of one source. Bytes are as reported through `progress`/`complete`. */
export interface SourceStats {
  readonly id: SourceId;
  readonly group: SourceGroup;
  readonly removed: boolean;
  /** The assignment the source holds, if any. */
  readonly activeAssignment: AssignmentId | undefined;
  readonly bytesReceived: number;
  readonly fragmentsDone: number;
  /** Bytes of endgame copies that lost the race and were cancelled. */
  readonly duplicateBytes: number;
  /** Bytes of transfers that failed or did not verify (fetched again elsewhere). */
  readonly wastedBytes: number;
  /** Fragments whose hash did not match. The caller drops a source at 2. */
  readonly badFragments: number;
  readonly failures: number;
  readonly lastFailure: FailReason | undefined;
  /** Decaying-average throughput while busy; undefined before any measurement. */
  readonly bytesPerSecond: number | undefined;
}

const FREE = 0;
const IN_FLIGHT = 1;
const DONE = 2;

/** Past this many simulated fragments the hold-back check assumes there is plenty of work left. */
const HOLD_BACK_HORIZON = 256;

interface Transfer {
  readonly assignment: Assignment;
  readonly source: SourceState;
  received: number;
  /** Time up to which this transfer's activity has been fed to the rate estimate. */
  observedUntil: number;
  lastByteAt: number | undefined;
}

interface SourceState {
  readonly id: SourceId;
  readonly group: SourceGroup;
  removed: boolean;
  active: Transfer | undefined;
  readonly rate: DecayingRate;
  bytesReceived: number;
  fragmentsDone: number;
  duplicateBytes: number;
  wastedBytes: number;
  badFragments: number;
  failures: number;
  lastFailure: FailReason | undefined;
}

/**
 * Pull-based scheduling of one file's fragments across sources. A source asks for work with
 * `next()` as soon as it is free, so faster sources simply ask more often; nothing is split up
 * front. Pure: no I/O, no timers, no clock (every call takes `now`, in milliseconds, from a
 * monotonic clock such as `performance.now()`).
 *
 * Pick order: the lowest missing index not in flight. Each fragment is its own range request, so
 * per-source contiguity buys nothing on the wire; filling from the front keeps the `.part` file
 * a growing prefix plus a short frontier (sequential writes, a compact manifest) and leaves the
 * endgame at one place, the end.
 *
 * Endgame: when nothing is unassigned, a free source duplicates the in-flight fragment expected to
 * finish last, if it would finish it clearly sooner; at most two copies of a fragment; the first to
 * complete verified wins and `complete()` returns the other to cancel. A fragment is never split
 * between sources: the map has one digest per fragment, so a tail taken over from another source
 * could not be verified on its own. Duplication costs at most one fragment per straggler.
 *
 * Resume granularity is the fragment: a fragment is done only when its digest verified, so the
 * bytes of a failed or unverified transfer are fetched again in full.
 */
export class FragmentScheduler {
  readonly plan: FragmentPlan;
  readonly #state: Uint8Array;
  readonly #holders = new Map<number, Transfer[]>();
  readonly #transfers = new Map<AssignmentId, Transfer>();
  readonly #sources = new Map<SourceId, SourceState>();
  /** Fragments that went back to the pool; all below #cursor, kept sorted ascending. */
  readonly #returned: number[] = [];
  /** Fragments at or after the cursor have never been assigned. */
  #cursor = 0;
  #nextId = 1;
  #doneCount = 0;
  #missingBytes: number;
  /** Fragment index -> groups (mirrors) whose copy of it did not verify. */
  readonly #badGroups = new Map<number, Set<SourceGroup>>();
  readonly #duplicate: boolean;
  readonly #minSpeedup: number;
  readonly #holdBackSlow: boolean;
  readonly #noBytesMs: number;
  readonly #slowFactor: number;
  readonly #graceMs: number;
  readonly #rateHalfLifeMs: number;

  /**
   * @throws InvalidArgumentError (`LB_SEGMENTS_INVALID_ARGUMENT`) for a `done` index outside the plan or a
   *   bad option.
   */
  constructor(options: SchedulerOptions) {
    const { plan } = options;
    this.#duplicate = options.endgame?.duplicate ?? true;
    this.#minSpeedup = positive('endgame.minSpeedup', options.endgame?.minSpeedup ?? 1.5);
    this.#holdBackSlow = options.endgame?.holdBackSlow ?? true;
    this.#noBytesMs = positive('stall.noBytesMs', options.stall?.noBytesMs ?? 5000);
    this.#slowFactor = positive('stall.slowFactor', options.stall?.slowFactor ?? 8);
    this.#graceMs = nonNegative('stall.graceMs', options.stall?.graceMs ?? 3000);
    this.#rateHalfLifeMs = positive('rateHalfLifeMs', options.rateHalfLifeMs ?? 1000);

    const state = new Uint8Array(plan.count);
    let missingBytes = plan.size;
    let doneCount = 0;
    for (const index of options.done ?? []) {
      if (!Number.isInteger(index) || index < 0 || index >= plan.count) {
        throw new InvalidArgumentError('done', index, `done index ${index} is not in the plan`);
      }
      if (state[index] === DONE) continue;
      state[index] = DONE;
      doneCount++;
      missingBytes -= plan.fragments[index]!.length;
    }
    this.plan = plan;
    this.#state = state;
    this.#doneCount = doneCount;
    this.#missingBytes = missingBytes;
    for (const id of options.sources ?? []) this.addSource(id);
  }

  /**
   * Registers a source (again, after `removeSource`); a no-op for a registered one. A source keeps
   * the group it was first added with.
   */
  addSource(sourceId: SourceId, options: AddSourceOptions = {}): void {
    const existing = this.#sources.get(sourceId);
    if (existing) {
      existing.removed = false;
      return;
    }
    this.#sources.set(sourceId, {
      id: sourceId,
      group: options.group ?? sourceId,
      removed: false,
      active: undefined,
      rate: new DecayingRate(this.#rateHalfLifeMs),
      bytesReceived: 0,
      fragmentsDone: 0,
      duplicateBytes: 0,
      wastedBytes: 0,
      badFragments: 0,
      failures: 0,
      lastFailure: undefined,
    });
  }

  /**
   * Unregisters a source (e.g. after 2 bad fragments); its transfer, if any, fails with reason
   * `'removed'`. Its stats stay readable. A no-op for a source already removed.
   *
   * @throws UnknownSourceError (`LB_SEGMENTS_UNKNOWN_SOURCE`) for a source never added.
   */
  removeSource(sourceId: SourceId, now: number): FailResult {
    checkTime(now);
    const source = this.#knownSource(sourceId);
    if (source.removed) return { requeued: [] };
    const result = source.active ? this.#failTransfer(source.active, now, 'removed') : [];
    source.removed = true;
    return { requeued: result };
  }

  /**
   * Unregisters every source of `group` (a mirror dropped for good), as `removeSource` does each.
   * A no-op for a group with no registered source.
   */
  removeGroup(group: SourceGroup, now: number): FailResult {
    checkTime(now);
    const requeued: number[] = [];
    for (const source of this.#sources.values()) {
      if (source.group !== group || source.removed) continue;
      if (source.active) requeued.push(...this.#failTransfer(source.active, now, 'removed'));
      source.removed = true;
    }
    return { requeued };
  }

  /**
   * Work for a free source: a missing fragment, an endgame copy, or null for "nothing for you now"
   * (all done, or everything left is better served by the busy sources). After null, ask again
   * after the next `complete`/`fail`/`removeSource` of any source, or on a periodic tick.
   *
   * @throws UnknownSourceError (`LB_SEGMENTS_UNKNOWN_SOURCE`) for a source not registered,
   *   SourceBusyError (`LB_SEGMENTS_SOURCE_BUSY`) while the source still holds an assignment.
   */
  next(sourceId: SourceId, now: number): Assignment | null {
    checkTime(now);
    const source = this.#registeredSource(sourceId);
    if (source.active) throw new SourceBusyError(sourceId, source.active.assignment.id);
    if (this.isComplete()) return null;
    if (this.#freeCount() > 0) {
      if (this.#holdBackSlow && this.#othersFinishTailSooner(source, now)) return null;
      const index = this.#takeFree(source);
      if (index !== undefined) return this.#assign(source, index, now, false);
    }
    if (!this.#duplicate) return null;
    const index = this.#duplicateCandidate(source, now);
    return index === undefined ? null : this.#assign(source, index, now, true);
  }

  /**
   * `bytes` more of the assignment arrived (the caller stores them). Returns false when the
   * assignment is no longer active (cancelled, failed, completed): stop that transfer.
   *
   * @throws UnknownAssignmentError (`LB_SEGMENTS_UNKNOWN_ASSIGNMENT`) for an id never issued;
   *   InvalidArgumentError (`LB_SEGMENTS_INVALID_ARGUMENT`) for a negative or non-integer count or one
   *   that takes the assignment past its length (nothing is recorded then).
   */
  progress(assignmentId: AssignmentId, bytes: number, now: number): boolean {
    checkTime(now);
    const transfer = this.#transfer(assignmentId);
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new InvalidArgumentError('bytes', bytes);
    if (!transfer) return false;
    if (transfer.received + bytes > transfer.assignment.length) {
      throw new InvalidArgumentError(
        'bytes',
        bytes,
        `Assignment ${assignmentId} has ${transfer.assignment.length - transfer.received} bytes left, got ${bytes}`,
      );
    }
    this.#record(transfer, bytes, now);
    return true;
  }

  /**
   * The transfer ended with all bytes of the fragment (any not yet reported count as arriving now).
   * `verified`: its SHA-256 matched the fragment map. Verified: the fragment is done and other
   * copies are returned in `cancel`. Not verified: it goes back to the pool (unless another copy
   * is still running), `badFragments` of the source grows, and no source of its group is offered
   * this fragment again while a source of another group could fetch it.
   *
   * @throws UnknownAssignmentError (`LB_SEGMENTS_UNKNOWN_ASSIGNMENT`) for an id never issued.
   */
  complete(assignmentId: AssignmentId, now: number, verified: boolean): CompleteResult {
    checkTime(now);
    const transfer = this.#transfer(assignmentId);
    if (!transfer) return { accepted: false, cancel: [] };
    const { assignment, source } = transfer;
    this.#record(transfer, assignment.length - transfer.received, now);
    this.#release(transfer);
    if (!verified) {
      source.badFragments++;
      source.wastedBytes += assignment.length;
      const bad = this.#badGroups.get(assignment.index) ?? new Set<SourceGroup>();
      bad.add(source.group);
      this.#badGroups.set(assignment.index, bad);
      this.#requeueIfOrphaned(assignment.index);
      return { accepted: false, cancel: [] };
    }
    source.fragmentsDone++;
    const cancel: Assignment[] = [];
    for (const other of this.#holders.get(assignment.index) ?? []) {
      other.source.duplicateBytes += other.received;
      other.source.active = undefined;
      this.#transfers.delete(other.assignment.id);
      cancel.push(other.assignment);
    }
    this.#holders.delete(assignment.index);
    this.#badGroups.delete(assignment.index);
    this.#state[assignment.index] = DONE;
    this.#doneCount++;
    this.#missingBytes -= assignment.length;
    return { accepted: true, cancel };
  }

  /**
   * A transfer ended without the fragment (connection closed, refused, reset, stalled, a 200
   * instead of a 206...). Given an assignment id, that transfer fails; given a source id, the
   * source's transfer fails if it has one, and the failure is counted either way. The fragment
   * goes back to the pool; its partial bytes are fetched again (they cannot be verified alone).
   *
   * @throws UnknownAssignmentError / UnknownSourceError for an id never issued / registered.
   */
  fail(target: AssignmentId | SourceId, now: number, reason: FailReason): FailResult {
    checkTime(now);
    if (typeof target === 'number') {
      const transfer = this.#transfer(target);
      return { requeued: transfer ? this.#failTransfer(transfer, now, reason) : [] };
    }
    const source = this.#knownSource(target);
    if (source.active) return { requeued: this.#failTransfer(source.active, now, reason) };
    source.failures++;
    source.lastFailure = reason;
    return { requeued: [] };
  }

  /**
   * Active assignments the caller should abort and then `fail(id, now, 'stalled')`: no byte for
   * `stall.noBytesMs`, or, once older than `stall.graceMs`, an average rate below the median rate
   * of the other sources divided by `stall.slowFactor`. A query: calling it changes nothing.
   */
  stalled(now: number): AssignmentId[] {
    checkTime(now);
    const result: AssignmentId[] = [];
    for (const transfer of this.#transfers.values()) {
      const { assignment } = transfer;
      const quietMs = now - (transfer.lastByteAt ?? assignment.startedAt);
      if (quietMs >= this.#noBytesMs) {
        result.push(assignment.id);
        continue;
      }
      const ageMs = now - assignment.startedAt;
      if (ageMs < this.#graceMs || ageMs <= 0) continue;
      const others = this.#knownRates(transfer.source);
      if (others.length === 0) continue;
      if ((transfer.received / ageMs) * this.#slowFactor < median(others)) {
        result.push(assignment.id);
      }
    }
    return result;
  }

  /** True when every fragment is done. */
  isComplete(): boolean {
    return this.#doneCount === this.plan.count;
  }

  isDone(index: number): boolean {
    return this.#state[index] === DONE;
  }

  /** How many fragments are done. */
  get doneCount(): number {
    return this.#doneCount;
  }

  /** Indexes of the done fragments, ascending. */
  doneFragments(): number[] {
    const done: number[] = [];
    for (let i = 0; i < this.#state.length; i++) if (this.#state[i] === DONE) done.push(i);
    return done;
  }

  /** Bytes of the fragments not done yet (in flight or not). */
  missingBytes(): number {
    return this.#missingBytes;
  }

  /** The active assignment with this id, or undefined once it ended. */
  assignment(assignmentId: AssignmentId): Assignment | undefined {
    return this.#transfers.get(assignmentId)?.assignment;
  }

  /** All active assignments, oldest first. */
  activeAssignments(): Assignment[] {
    return [...this.#transfers.values()].map((t) => t.assignment);
  }

  /** Stats of one source (also after removal). @throws UnknownSourceError when never added. */
  sourceStats(sourceId: SourceId): SourceStats {
    return snapshot(this.#knownSource(sourceId));
  }

  /** Stats of every source ever added, in insertion order. */
  sources(): SourceStats[] {
    return [...this.#sources.values()].map(snapshot);
  }

  #freeCount(): number {
    return this.plan.count - this.#doneCount - this.#holders.size;
  }

  #knownSource(sourceId: SourceId): SourceState {
    const source = this.#sources.get(sourceId);
    if (!source) throw new UnknownSourceError(sourceId);
    return source;
  }

  #registeredSource(sourceId: SourceId): SourceState {
    const source = this.#sources.get(sourceId);
    if (!source || source.removed) throw new UnknownSourceError(sourceId);
    return source;
  }

  /** The active transfer, undefined for one that ended; throws for an id never issued. */
  #transfer(assignmentId: AssignmentId): Transfer | undefined {
    if (!Number.isSafeInteger(assignmentId) || assignmentId < 1 || assignmentId >= this.#nextId) {
      throw new UnknownAssignmentError(assignmentId);
    }
    return this.#transfers.get(assignmentId);
  }

  #assign(source: SourceState, index: number, now: number, duplicate: boolean): Assignment {
    const fragment = this.plan.fragments[index]!;
    const assignment: Assignment = Object.freeze({
      id: this.#nextId++,
      sourceId: source.id,
      index,
      start: fragment.start,
      end: fragment.end,
      length: fragment.length,
      duplicate,
      startedAt: now,
    });
    const transfer: Transfer = {
      assignment,
      source,
      received: 0,
      observedUntil: now,
      lastByteAt: undefined,
    };
    this.#state[index] = IN_FLIGHT;
    const holders = this.#holders.get(index);
    if (holders) holders.push(transfer);
    else this.#holders.set(index, [transfer]);
    this.#transfers.set(assignment.id, transfer);
    source.active = transfer;
    return assignment;
  }

  #record(transfer: Transfer, bytes: number, now: number): void {
    transfer.received += bytes;
    transfer.source.bytesReceived += bytes;
    // A clock that steps back contributes no time rather than negative time.
    const elapsed = Math.max(0, now - transfer.observedUntil);
    transfer.source.rate.observe(bytes, elapsed);
    transfer.observedUntil = Math.max(transfer.observedUntil, now);
    if (bytes > 0) transfer.lastByteAt = now;
  }

  /** Detaches a transfer from its source and fragment; the fragment's state is the caller's job. */
  #release(transfer: Transfer): void {
    const { assignment, source } = transfer;
    this.#transfers.delete(assignment.id);
    source.active = undefined;
    const holders = this.#holders.get(assignment.index)!;
    holders.splice(holders.indexOf(transfer), 1);
    if (holders.length === 0) this.#holders.delete(assignment.index);
  }

  #failTransfer(transfer: Transfer, now: number, reason: FailReason): number[] {
    const { source, assignment } = transfer;
    // The dead time counts against the source's rate: a source that hangs is a slow source.
    this.#record(transfer, 0, now);
    source.failures++;
    source.lastFailure = reason;
    source.wastedBytes += transfer.received;
    this.#release(transfer);
    return this.#requeueIfOrphaned(assignment.index) ? [assignment.index] : [];
  }

  /** Puts a fragment no transfer holds any more back in the pool. */
  #requeueIfOrphaned(index: number): boolean {
    if (this.#holders.has(index)) return false;
    this.#state[index] = FREE;
    const returned = this.#returned;
    let lo = 0;
    let hi = returned.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (returned[mid]! < index) lo = mid + 1;
      else hi = mid;
    }
    returned.splice(lo, 0, index);
    return true;
  }

  /** Lowest free fragment this source may take, removed from the pool; undefined if none. */
  #takeFree(source: SourceState): number | undefined {
    const returned = this.#returned;
    for (let i = 0; i < returned.length; i++) {
      const index = returned[i]!;
      if (!this.#excluded(source, index)) {
        returned.splice(i, 1);
        return index;
      }
    }
    const state = this.#state;
    while (this.#cursor < state.length && state[this.#cursor] !== FREE) this.#cursor++;
    return this.#cursor < state.length ? this.#cursor++ : undefined;
  }

  /**
   * A mirror whose copy of a fragment failed verification is not offered it again, on any of its
   * connections, while a source of another mirror could fetch it (a mirror with a corrupt file
   * fails the same way twice).
   */
  #excluded(source: SourceState, index: number): boolean {
    const bad = this.#badGroups.get(index);
    if (!bad?.has(source.group)) return false;
    for (const other of this.#sources.values()) {
      if (!other.removed && !bad.has(other.group)) return true;
    }
    return false;
  }

  /**
   * Near the end, would the busy sources finish all free fragments before this one could finish a
   * single one? Greedy list scheduling at the measured rates: each free fragment goes to whoever
   * would finish it first (ties to the asking source). Only sources that are busy count: they are
   * sure to ask again, whereas an idle one may be backing off.
   */
  #othersFinishTailSooner(source: SourceState, now: number): boolean {
    const free = this.#freeCount();
    if (free >= HOLD_BACK_HORIZON) return false;
    const ownRate = source.rate.bytesPerMs;
    if (ownRate === undefined) return false;
    const length = this.plan.fragmentSize;
    const ownFinish = now + (ownRate > 0 ? length / ownRate : Number.POSITIVE_INFINITY);
    const others: { freeAt: number; rate: number }[] = [];
    for (const other of this.#sources.values()) {
      if (other === source || other.removed || !other.active) continue;
      const rate = currentRate(other.active, now);
      if (!rate) continue;
      const left = other.active.assignment.length - other.active.received;
      others.push({ freeAt: now + left / rate, rate });
    }
    if (others.length === 0) return false;
    for (let k = 0; k < free; k++) {
      let best = others[0]!;
      for (const other of others) {
        if (other.freeAt + length / other.rate < best.freeAt + length / best.rate) best = other;
      }
      const bestFinish = best.freeAt + length / best.rate;
      if (ownFinish <= bestFinish) return false;
      best.freeAt = bestFinish;
    }
    return true;
  }

  /** The single-copy in-flight fragment expected to finish last, if a copy here would win. */
  #duplicateCandidate(source: SourceState, now: number): number | undefined {
    const ownRate = source.rate.bytesPerMs;
    if (!ownRate) return undefined;
    let bestIndex: number | undefined;
    let bestRemainingMs = -1;
    for (const [index, holders] of this.#holders) {
      if (holders.length !== 1) continue;
      const holder = holders[0]!;
      if (holder.source === source || this.#excluded(source, index)) continue;
      const rate = currentRate(holder, now);
      const left = holder.assignment.length - holder.received;
      const remainingMs = rate ? left / rate : Number.POSITIVE_INFINITY;
      if (
        remainingMs > bestRemainingMs ||
        (remainingMs === bestRemainingMs && index < bestIndex!)
      ) {
        bestIndex = index;
        bestRemainingMs = remainingMs;
      }
    }
    if (bestIndex === undefined) return undefined;
    const copyMs = this.plan.fragments[bestIndex]!.length / ownRate;
    return bestRemainingMs > copyMs * this.#minSpeedup ? bestIndex : undefined;
  }

  /** Rates (bytes/ms) of the other registered sources that have been measured. */
  #knownRates(except: SourceState): number[] {
    const rates: number[] = [];
    for (const other of this.#sources.values()) {
      const rate = other.rate.bytesPerMs;
      if (other !== except && !other.removed && rate !== undefined) rates.push(rate);
    }
    return rates;
  }
}

/** The holder's rate, lowered by the time it has been silent since its last report. */
function currentRate(transfer: Transfer, now: number): number | undefined {
  return transfer.source.rate.bytesPerMsAfter(now - transfer.observedUntil);
}

function snapshot(source: SourceState): SourceStats {
  const rate = source.rate.bytesPerMs;
  return {
    id: source.id,
    group: source.group,
    removed: source.removed,
    activeAssignment: source.active?.assignment.id,
    bytesReceived: source.bytesReceived,
    fragmentsDone: source.fragmentsDone,
    duplicateBytes: source.duplicateBytes,
    wastedBytes: source.wastedBytes,
    badFragments: source.badFragments,
    failures: source.failures,
    lastFailure: source.lastFailure,
    bytesPerSecond: rate === undefined ? undefined : rate * 1000,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function checkTime(now: number): void {
  if (!Number.isFinite(now)) throw new InvalidArgumentError('now', now);
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError(name, value);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new InvalidArgumentError(name, value);
  return value;
}
