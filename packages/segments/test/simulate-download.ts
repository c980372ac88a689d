/**
 * A deterministic discrete-event simulation of one download through FragmentScheduler: sources
 * with fixed rates deliver fragments in chunks in virtual time, the way the client app will drive
 * the scheduler (pull on free, progress per chunk, complete with the hash verdict, a periodic tick
 * that checks `stalled`). Used by the scheduler tests and by bench/scheduler.bench.ts.
 */
import type { FragmentPlan } from '../src/plan-fragments.js';
import {
  type Assignment,
  FragmentScheduler,
  type SchedulerOptions,
  type SourceStats,
} from '../src/scheduler.js';

export interface SimulatedSource {
  readonly id: string;
  readonly bytesPerSecond: number;
  /** Time from request to first byte, per fragment (default 0). */
  readonly latencyMs?: number;
  /** Progress granularity (default 64 KiB). */
  readonly chunkBytes?: number;
  /** The connection is reset at this time and the source never comes back. */
  readonly dieAtMs?: number;
  /** The source stops sending at this time without closing: only stall detection notices. */
  readonly hangAtMs?: number;
  /** Fragments this source serves corrupted (their hash does not verify). */
  readonly corrupt?: (index: number) => boolean;
}

export interface SimulationOptions {
  readonly plan: FragmentPlan;
  readonly sources: readonly SimulatedSource[];
  readonly scheduler?: Omit<SchedulerOptions, 'plan' | 'sources'>;
  /** Period of the stall check (default 250 ms). */
  readonly tickMs?: number;
  /** The client drops a source after this many bad fragments (default 2). */
  readonly maxBadFragments?: number;
}

export interface SimulationResult {
  readonly complete: boolean;
  /** Virtual time of the last accepted fragment (ms). */
  readonly finishedAtMs: number;
  /** How many times each fragment was accepted (must be exactly 1 each). */
  readonly acceptedPerFragment: readonly number[];
  readonly stats: readonly SourceStats[];
  readonly duplicateBytes: number;
  readonly wastedBytes: number;
  readonly duplicatesIssued: number;
  readonly scheduler: FragmentScheduler;
}

interface SourceRun {
  readonly spec: SimulatedSource;
  alive: boolean;
  hung: boolean;
  current: { assignment: Assignment; sent: number } | undefined;
}

type SimEvent =
  | { kind: 'chunk'; source: SourceRun; assignmentId: number }
  | { kind: 'die'; source: SourceRun }
  | { kind: 'hang'; source: SourceRun }
  | { kind: 'tick' };

interface Scheduled {
  readonly at: number;
  readonly seq: number;
  readonly event: SimEvent;
}

const DEFAULT_CHUNK = 64 * 1024;

export function simulateDownload(options: SimulationOptions): SimulationResult {
  const { plan } = options;
  const scheduler = new FragmentScheduler({
    ...options.scheduler,
    plan,
    sources: options.sources.map((s) => s.id),
  });
  const maxBad = options.maxBadFragments ?? 2;
  const tickMs = options.tickMs ?? 250;
  const accepted = new Array<number>(plan.count).fill(0);
  const queue = new EventQueue();
  const runs = options.sources.map(
    (spec): SourceRun => ({ spec, alive: true, hung: false, current: undefined }),
  );
  let finishedAtMs = 0;
  let duplicatesIssued = 0;

  const chunkOf = (run: SourceRun) => run.spec.chunkBytes ?? DEFAULT_CHUNK;
  const scheduleChunk = (run: SourceRun, at: number) => {
    const current = run.current!;
    const bytes = Math.min(chunkOf(run), current.assignment.length - current.sent);
    queue.push(at + (bytes / run.spec.bytesPerSecond) * 1000, {
      kind: 'chunk',
      source: run,
      assignmentId: current.assignment.id,
    });
  };
  const start = (run: SourceRun, now: number) => {
    if (!run.alive || run.hung || run.current) return;
    const assignment = scheduler.next(run.spec.id, now);
    if (!assignment) return;
    if (assignment.duplicate) duplicatesIssued++;
    run.current = { assignment, sent: 0 };
    scheduleChunk(run, now + (run.spec.latencyMs ?? 0));
  };
  const wakeIdle = (now: number) => {
    for (const run of runs) start(run, now);
  };
  const release = (assignmentId: number) => {
    for (const run of runs) {
      if (run.current?.assignment.id === assignmentId) run.current = undefined;
    }
  };
  const drop = (run: SourceRun, now: number) => {
    run.alive = false;
    run.current = undefined;
    scheduler.removeSource(run.spec.id, now);
  };

  for (const run of runs) {
    if (run.spec.dieAtMs !== undefined) queue.push(run.spec.dieAtMs, { kind: 'die', source: run });
    if (run.spec.hangAtMs !== undefined)
      queue.push(run.spec.hangAtMs, { kind: 'hang', source: run });
  }
  queue.push(tickMs, { kind: 'tick' });
  wakeIdle(0);

  let steps = 0;
  while (!scheduler.isComplete()) {
    const next = queue.pop();
    if (!next || ++steps > 10_000_000) break;
    const now = next.at;
    const event = next.event;
    if (event.kind === 'tick') {
      for (const id of scheduler.stalled(now)) {
        const assignment = scheduler.assignment(id)!;
        const run = runs.find((r) => r.spec.id === assignment.sourceId)!;
        run.current = undefined;
        scheduler.fail(id, now, 'stalled');
        if (run.hung) drop(run, now);
      }
      wakeIdle(now);
      if (runs.some((r) => r.alive && !r.hung)) queue.push(now + tickMs, { kind: 'tick' });
      continue;
    }
    const run = event.source;
    if (event.kind === 'die') {
      if (run.alive) {
        scheduler.fail(run.spec.id, now, 'reset');
        drop(run, now);
        wakeIdle(now);
      }
      continue;
    }
    if (event.kind === 'hang') {
      run.hung = true;
      continue;
    }
    // A chunk of a transfer that was cancelled, failed or belongs to a dead source is dropped.
    if (!run.alive || run.hung || run.current?.assignment.id !== event.assignmentId) continue;
    const current = run.current;
    const bytes = Math.min(chunkOf(run), current.assignment.length - current.sent);
    current.sent += bytes;
    if (!scheduler.progress(current.assignment.id, bytes, now)) {
      run.current = undefined;
      wakeIdle(now);
      continue;
    }
    if (current.sent < current.assignment.length) {
      scheduleChunk(run, now);
      continue;
    }
    const index = current.assignment.index;
    const verified = !(run.spec.corrupt?.(index) ?? false);
    const result = scheduler.complete(current.assignment.id, now, verified);
    run.current = undefined;
    if (result.accepted) {
      accepted[index]!++;
      finishedAtMs = now;
    }
    for (const cancelled of result.cancel) release(cancelled.id);
    if (scheduler.sourceStats(run.spec.id).badFragments >= maxBad) drop(run, now);
    // Like the client: the source that just finished asks first, then every idle one.
    start(run, now);
    wakeIdle(now);
  }

  const stats = scheduler.sources();
  return {
    complete: scheduler.isComplete(),
    finishedAtMs,
    acceptedPerFragment: accepted,
    stats,
    duplicateBytes: stats.reduce((sum, s) => sum + s.duplicateBytes, 0),
    wastedBytes: stats.reduce((sum, s) => sum + s.wastedBytes, 0),
    duplicatesIssued,
    scheduler,
  };
}

/** Min-heap on (time, insertion order): equal times pop in the order they were pushed. */
class EventQueue {
  readonly #heap: Scheduled[] = [];
  #seq = 0;

  push(at: number, event: SimEvent): void {
    const heap = this.#heap;
    heap.push({ at, seq: this.#seq++, event });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  pop(): Scheduled | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
