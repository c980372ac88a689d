/**
 * Mode 2's engine: one file from many mirrors at once, verified, surviving failures, resumable.
 *
 * 1. Every mirror is probed (size, validators, digest, fragment map); mirrors that disagree are
 *    named and left out, the largest agreeing group is used (mirror-agreement.ts). Mirrors that do
 *    not answer are down and retried with backoff; when they answer later they are probed and must
 *    agree with the chosen file.
 * 2. The `.part` and manifest are opened fresh or resumed (download-target.ts).
 * 3. Each mirror gets workers, each a keep-alive connection that pulls its next fragment from
 *    @lb/segments' FragmentScheduler as soon as it is free (faster mirrors ask more often, so they
 *    do more); the scheduler's endgame duplicates the slowest tail fragment and the loser is
 *    cancelled here. How many workers: `connectionsPerMirror`, or with 'auto' a ConnectionRamp per
 *    mirror that adds connections while they raise that mirror's throughput.
 * 4. A fragment's bytes are written at their position as they arrive, and hashed on the way; only
 *    when its SHA-256 matches the fragment map (or, without a map, when exactly the asked-for 206
 *    arrived) does it count, and after the next fsync it is marked done in the manifest (saved
 *    atomically every second and on stop). Bytes that do not count are simply fetched again over
 *    them. Writers of one range take turns, and an endgame copy writes only once it has won, from
 *    memory. A mismatch goes back to the pool for another mirror; 2 bad fragments drop the mirror.
 * 5. A failure (refused, reset, closed, stalled, a 200 instead of a 206, 5xx, 429/503) returns the
 *    fragment to the pool and puts the mirror in backoff; it rejoins when it answers again. When
 *    no mirror is up the engine waits up to `waitMs`, then gives up with ServersLostError (the
 *    partial download stays resumable).
 * 6. At the end the whole file's SHA-256 is checked (when any mirror offered one) and the `.part`
 *    renamed to the final name.
 *
 * The engine prints nothing: it reports through `onEvent` and `snapshot()`, and the CLI decides.
 */
import { unlink } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { ClientConnection } from '@lb/http-wire';
import {
  type Assignment,
  Backoff,
  type FragmentPlan,
  FragmentScheduler,
  Manifest,
  type PartFile,
  planForMap,
  planFragments,
  type SourceId,
} from '@lb/segments';
import type { Logger } from 'pino';
import { Checkpointer } from './checkpointer.js';
import { ConnectionRamp } from './connection-ramp.js';
import { type OpenedTarget, openDownloadTarget, unresumableReason } from './download-target.js';
import {
  ClientAppError,
  interruption,
  localFileError,
  NoMirrorLeftError,
  ServersLostError,
  VerificationError,
} from './errors.js';
import { fetchFragment } from './fragment-transfer.js';
import { chooseAgreeingMirrors, disagreement, type MirrorCandidate } from './mirror-agreement.js';
import { type MirrorIdentity, type ProbeResult, probeMirror } from './mirror-probe.js';
import { describeNetworkFailure } from './network-errors.js';
import { fileNameFromUrl } from './output-path.js';
import { PrefixHasher } from './prefix-hasher.js';

export type MirrorStatus = 'unknown' | 'up' | 'down' | 'dropped';

/** Where the file goes: an exact path, or a directory where it keeps its remote name. */
export type Destination = { kind: 'file'; path: string } | { kind: 'directory'; path: string };

export interface MultiSourceOptions {
  /** Mirror URLs of the same file; the k-th is "Server k" in reports. */
  mirrors: readonly string[];
  destination: Destination;
  resume: boolean;
  /** How long to keep trying when no mirror answers. */
  waitMs: number;
  /** A fixed count, or 'auto': from 1 up to AUTO_CONNECTIONS.max while more raise the speed. */
  connectionsPerMirror: number | 'auto';
  connectTimeoutMs: number;
  /** No byte for this long and a transfer counts as stalled. */
  stallTimeoutMs: number;
  /** Manifest save period (default 1000 ms). */
  checkpointIntervalMs?: number;
  /**
   * How often stalls and the wait deadline are checked, idle workers re-ask and connection ramps
   * judge their window (default 50).
   */
  tickMs?: number;
  /** Backoff of a failed mirror (defaults 250 ms doubling to 2000 ms, full jitter). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Uniform [0, 1) for the backoff jitter; injectable for tests. */
  random?: () => number;
  /** Diagnostics (info: mirror state changes; debug: every fragment). People get `onEvent`. */
  logger?: Logger;
  onEvent?: (event: EngineEvent) => void;
  /** Told every body byte count received. */
  onBytesReceived?: (bytes: number) => void;
  /** Abort to stop (the reason, 'SIGINT' or 'SIGTERM', picks the exit code); the manifest is saved. */
  signal?: AbortSignal;
}

/** What the engine tells the CLI. `server` is the 1-based position in `mirrors`. */
export type EngineEvent =
  | { event: 'mirror-rejected'; server: number; url: string; reason: string }
  | { event: 'mirror-down'; server: number; url: string; reason: string; retryInMs: number }
  | { event: 'mirror-up'; server: number; url: string }
  | { event: 'mirror-dropped'; server: number; url: string; reason: string }
  | { event: 'fragment-corrupt'; server: number; url: string; index: number }
  | { event: 'waiting'; waitMs: number }
  | { event: 'wait-over'; server: number }
  | { event: 'notice'; message: string }
  | {
      event: 'started';
      path: string;
      size: number;
      fragmentSize: number;
      fragments: number;
      resumedBytes: number;
      /** 'fragments': per-fragment SHA-256 from a fragment map; 'digest': whole file only;
       * 'validators': size and ETag/Last-Modified only. */
      verification: 'fragments' | 'digest' | 'validators';
    }
  | { event: 'verifying'; path: string };

/** Counters at one instant (for metrics, progress bars and --json). */
export interface EngineSnapshot {
  atMs: number;
  size: number;
  verifiedBytes: number;
  /** Verified bytes recorded in the last saved manifest. */
  checkpointedBytes: number;
  resumedBytes: number;
  serverBytes: number[];
  serverStatus: MirrorStatus[];
  /** Connections each mirror should have now (0 once dropped). */
  serverConnections: number[];
  duplicateBytes: number;
  wastedBytes: number;
}

export interface DownloadResult {
  path: string;
  size: number;
  sha256: string | undefined;
  resumedBytes: number;
  serverBytes: number[];
  duplicateBytes: number;
  wastedBytes: number;
  verification: 'fragments' | 'digest' | 'validators';
}

interface MirrorState {
  readonly index: number;
  readonly server: number;
  /** As given; the probe may move it (redirects). */
  url: string;
  host: string;
  port: number;
  path: string;
  identity: MirrorIdentity | undefined;
  status: MirrorStatus;
  dropReason: string | undefined;
  dropForHttpStatus: boolean;
  readonly backoff: Backoff;
  retryAt: number;
  probing: boolean;
  everUp: boolean;
  bytesReceived: number;
  badFragments: number;
  readonly sourceIds: SourceId[];
  /** Undefined for a fixed connection count. */
  readonly ramp: ConnectionRamp | undefined;
  /** Connections it should have now; workers above it retire after their fragment. */
  connections: number;
  /** Slots of the workers running now. */
  readonly slots: Set<number>;
  /** Slots whose connection has had a 206 accepted since the mirror last failed (for the ramp). */
  readonly receiving: Set<number>;
}

interface ActiveTransfer {
  readonly assignment: Assignment;
  readonly mirror: MirrorState;
  readonly controller: AbortController;
  cancelled: boolean;
  stalled: boolean;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function locate(url: string): { host: string; port: number; path: string } {
  const parsed = new URL(url);
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  return {
    host,
    port: parsed.port === '' ? 80 : Number(parsed.port),
    path: `${parsed.pathname}${parsed.search}`,
  };
}

/** Shortest pause between two attempts on a dead mirror, whatever the jitter draws. */
const MIN_RETRY_MS = 50;
const MAX_BAD_FRAGMENTS = 2;
/** Each connection's socket read buffer (the most a single read returns on Linux). */
const READ_BUFFER_BYTES = 64 * 1024;
/**
 * `connectionsPerMirror: 'auto'`: up to 4 per mirror (browsers allow 6 per host); each count
 * measured over 1 MiB per connection or 100 ms, whichever comes first, but at least 50 ms; a
 * doubling kept when it brought 60 % more: a noisy window on a busy machine must not pass for a
 * gain (docs/apps/client.md).
 */
export const AUTO_CONNECTIONS = {
  max: 4,
  windowBytes: 1024 * 1024,
  windowMs: 100,
  minWindowMs: 50,
  minGain: 1.6,
} as const;
/** With 'auto', no more connections than this over all mirrors. */
const AUTO_TOTAL_MAX = 16;
/** With 'auto', connections are only added while this much work is left at the current speed... */
const RAMP_MIN_WORK_LEFT_MS = 1000;
/** ...measured over about this long. */
const RAMP_RATE_SPAN_MS = 500;

export class MultiSourceDownload {
  readonly #options: MultiSourceOptions;
  readonly #mirrors: MirrorState[];
  readonly #log: Logger | undefined;
  readonly #active = new Map<number, ActiveTransfer>();
  /** Aborted when the engine stops: wakes every sleep and pending connect. */
  readonly #stop = new AbortController();
  readonly #finished = deferred<void>();
  #wake = deferred<void>();
  #error: ClientAppError | undefined;
  #stopping = false;
  #waitingSince: number | undefined;

  #identity: MirrorIdentity | undefined;
  #plan: FragmentPlan | undefined;
  #scheduler: FragmentScheduler | undefined;
  #target: OpenedTarget | undefined;
  /** `written[i]` is 1 once fragment i's verified bytes are in the `.part` file. */
  #written: Uint8Array = new Uint8Array(0);
  #hasher: PrefixHasher | undefined;
  #verifiedBytes = 0;
  #resumedBytes = 0;
  #pendingWrites = 0;
  #checkpointer: Checkpointer | undefined;
  /** Total bytes received at recent ticks, for the ramp's speed estimate. */
  readonly #recentBytes: Array<{ at: number; bytes: number }> = [];
  /** Whether ramps may still add connections (#judgeWorkLeft); false until the first tick. */
  #workLeft = false;
  /** Per fragment index, settles when its latest writer is done (#fenceWrites). */
  readonly #writers = new Map<number, Promise<void>>();
  /** Every worker started (the ramp adds some mid-download); awaited on shutdown. */
  readonly #workers: Promise<void>[] = [];

  constructor(options: MultiSourceOptions) {
    this.#options = options;
    this.#log = options.logger;
    const random = options.random ?? Math.random;
    this.#mirrors = options.mirrors.map((url, index) => ({
      index,
      server: index + 1,
      url,
      ...locate(url),
      identity: undefined,
      status: 'unknown',
      dropReason: undefined,
      dropForHttpStatus: false,
      backoff: new Backoff({
        baseMs: options.backoffBaseMs ?? 250,
        maxMs: options.backoffMaxMs ?? 2000,
        random,
      }),
      retryAt: 0,
      probing: false,
      everUp: false,
      bytesReceived: 0,
      badFragments: 0,
      sourceIds: [],
      ramp:
        options.connectionsPerMirror === 'auto' ? new ConnectionRamp(AUTO_CONNECTIONS) : undefined,
      connections: options.connectionsPerMirror === 'auto' ? 1 : options.connectionsPerMirror,
      slots: new Set(),
      receiving: new Set(),
    }));
  }

  /** Counters now; cheap enough to call every report. */
  snapshot(): EngineSnapshot {
    let duplicateBytes = 0;
    let wastedBytes = 0;
    for (const stats of this.#scheduler?.sources() ?? []) {
      duplicateBytes += stats.duplicateBytes;
      wastedBytes += stats.wastedBytes;
    }
    return {
      atMs: performance.now(),
      size: this.#identity?.size ?? 0,
      verifiedBytes: this.#verifiedBytes,
      checkpointedBytes: this.#checkpointer?.savedBytes ?? 0,
      resumedBytes: this.#resumedBytes,
      serverBytes: this.#mirrors.map((m) => m.bytesReceived),
      serverStatus: this.#mirrors.map((m) => m.status),
      serverConnections: this.#mirrors.map((m) => (m.status === 'dropped' ? 0 : m.connections)),
      duplicateBytes,
      wastedBytes,
    };
  }

  /** Downloads the file; resolves with the final path, or rejects with a ClientAppError. */
  async run(): Promise<DownloadResult> {
    const signal = this.#options.signal;
    const onAbort = () => this.#fail(interruption(signal!));
    if (signal?.aborted) throw interruption(signal);
    signal?.addEventListener('abort', onAbort, { once: true });
    const ticker = setInterval(() => this.#tick(), this.#options.tickMs ?? 50);
    try {
      const identity = await this.#establishIdentity();
      this.#throwIfFailed();
      return await this.#download(identity);
    } finally {
      clearInterval(ticker);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  // ---- phase 1: which file ------------------------------------------------------------------

  async #establishIdentity(): Promise<MirrorIdentity> {
    for (;;) {
      this.#throwIfFailed();
      const now = performance.now();
      const due = this.#mirrors.filter((m) => m.status !== 'dropped' && m.retryAt <= now);
      const results = await Promise.all(due.map((m) => this.#probe(m)));
      this.#throwIfFailed();
      const candidates: MirrorCandidate[] = [];
      for (const [i, result] of results.entries()) {
        const mirror = due[i]!;
        if (result.kind === 'ok')
          candidates.push({ index: mirror.index, identity: result.identity });
        else this.#onProbeProblem(mirror, result);
      }
      if (candidates.length > 0) {
        const agreement = chooseAgreeingMirrors(candidates);
        for (const { candidate, reason } of agreement.rejected) {
          const mirror = this.#mirrors[candidate.index]!;
          this.#emit({ event: 'mirror-rejected', server: mirror.server, url: mirror.url, reason });
          this.#drop(mirror, `disagrees with the other mirrors: ${reason}`, false, false);
        }
        for (const { index, identity } of agreement.chosen)
          this.#adopt(this.#mirrors[index]!, identity);
        this.#identity = agreement.identity;
        return agreement.identity;
      }
      this.#checkMirrorsLeft();
      this.#throwIfFailed();
      const next = Math.min(
        ...this.#mirrors.filter((m) => m.status !== 'dropped').map((m) => m.retryAt),
      );
      await this.#sleep(Math.max(MIN_RETRY_MS, next - performance.now()));
    }
  }

  #probe(mirror: MirrorState): Promise<ProbeResult> {
    return probeMirror(mirror.url, {
      connectTimeoutMs: this.#options.connectTimeoutMs,
      responseTimeoutMs: Math.max(this.#options.stallTimeoutMs, this.#options.connectTimeoutMs),
      signal: this.#stop.signal,
    });
  }

  #onProbeProblem(mirror: MirrorState, result: Exclude<ProbeResult, { kind: 'ok' }>): void {
    if (result.kind === 'unusable') this.#drop(mirror, result.reason, result.httpStatus);
    else this.#mirrorFailed(mirror, result.reason, result.retryAfterMs);
  }

  #adopt(mirror: MirrorState, identity: MirrorIdentity): void {
    mirror.identity = identity;
    mirror.url = identity.url;
    Object.assign(mirror, locate(identity.url));
    this.#mirrorUp(mirror);
  }

  /** A mirror that was down when the file was chosen answers now: it must hold the same file. */
  async #reprobe(mirror: MirrorState): Promise<void> {
    mirror.probing = true;
    const result = await this.#probe(mirror);
    mirror.probing = false;
    if (this.#stopping) return;
    if (result.kind !== 'ok') {
      this.#onProbeProblem(mirror, result);
      return;
    }
    const why = disagreement(this.#identity!, result.identity);
    if (why !== undefined) {
      this.#emit({ event: 'mirror-rejected', server: mirror.server, url: mirror.url, reason: why });
      this.#drop(mirror, `disagrees with the other mirrors: ${why}`, false, false);
      return;
    }
    this.#adopt(mirror, result.identity);
  }

  // ---- phase 2 and 3: the transfer ------------------------------------------------------------

  async #download(identity: MirrorIdentity): Promise<DownloadResult> {
    const options = this.#options;
    const plan = identity.map ? planForMap(identity.map) : planFragments(identity.size);
    this.#plan = plan;
    const name = identity.map?.name ?? fileNameFromUrl(identity.url);
    const finalPath =
      options.destination.kind === 'file'
        ? options.destination.path
        : `${options.destination.path.replace(/\/+$/, '')}/${name}`;
    const target = await openDownloadTarget({
      finalPath,
      name,
      identity,
      plan,
      resume: options.resume,
      sources: this.#mirrors.map((m) => m.url),
    });
    if (target.notice !== undefined) this.#emit({ event: 'notice', message: target.notice });
    const unresumable = unresumableReason(identity);
    if (unresumable !== undefined) this.#emit({ event: 'notice', message: unresumable });
    if (target.alreadyComplete) {
      return {
        path: finalPath,
        size: identity.size,
        sha256: identity.sha256,
        resumedBytes: identity.size,
        serverBytes: this.#mirrors.map(() => 0),
        duplicateBytes: 0,
        wastedBytes: 0,
        verification: identity.map ? 'fragments' : 'digest',
      };
    }
    this.#target = target;
    this.#written = new Uint8Array(plan.count);
    for (const index of target.done) this.#written[index] = 1;
    if (identity.sha256 !== undefined) {
      this.#hasher = new PrefixHasher(target.part.path, plan, this.#written);
      this.#hasher.advance();
    }
    const verification = identity.map ? 'fragments' : identity.sha256 ? 'digest' : 'validators';

    const scheduler = new FragmentScheduler({
      plan,
      done: target.done,
      stall: { noBytesMs: options.stallTimeoutMs },
    });
    this.#scheduler = scheduler;
    for (const index of target.done) this.#verifiedBytes += plan.fragments[index]!.length;
    this.#resumedBytes = this.#verifiedBytes;
    this.#checkpointer = new Checkpointer(
      target.part,
      target.manifest,
      target.manifestPath,
      plan,
      this.#verifiedBytes,
    );
    this.#emit({
      event: 'started',
      path: finalPath,
      size: identity.size,
      fragmentSize: plan.fragmentSize,
      fragments: plan.count,
      resumedBytes: this.#resumedBytes,
      verification,
    });

    const checkpointer = setInterval(
      () => void this.#checkpoint(false),
      options.checkpointIntervalMs ?? 1000,
    );
    for (const mirror of this.#mirrors) this.#staff(mirror);
    this.#checkComplete();
    try {
      await this.#finished.promise;
    } finally {
      clearInterval(checkpointer);
      await this.#shutdown();
    }
    if (this.#error !== undefined) {
      await this.#hasher?.close().catch(() => {});
      await target.part.close().catch(() => {});
      throw this.#error;
    }
    return this.#finish(target, finalPath, verification);
  }

  async #finish(
    target: OpenedTarget,
    finalPath: string,
    verification: DownloadResult['verification'],
  ): Promise<DownloadResult> {
    const identity = this.#identity!;
    const { part } = target;
    if (this.#hasher !== undefined) {
      this.#emit({ event: 'verifying', path: finalPath });
      let actual: string;
      try {
        actual = await this.#hasher.digest();
      } catch (error) {
        await this.#hasher.close().catch(() => {});
        await part.close().catch(() => {});
        throw localFileError(part.path, 'read', error);
      }
      if (actual !== identity.sha256) {
        await this.#discard(part, target.manifestPath);
        throw new VerificationError(
          `the downloaded file's SHA-256 is ${actual}, the servers say ${identity.sha256}; ` +
            `${part.path} was removed`,
        );
      }
    }
    try {
      await part.finalize();
      await Manifest.remove(target.manifestPath);
    } catch (error) {
      throw localFileError(finalPath, 'write', error);
    }
    const snapshot = this.snapshot();
    return {
      path: finalPath,
      size: identity.size,
      sha256: identity.sha256,
      resumedBytes: this.#resumedBytes,
      serverBytes: snapshot.serverBytes,
      duplicateBytes: snapshot.duplicateBytes,
      wastedBytes: snapshot.wastedBytes,
      verification,
    };
  }

  async #discard(part: PartFile, manifestPath: string): Promise<void> {
    await part.close().catch(() => {});
    await unlink(part.path).catch(() => {});
    await Manifest.remove(manifestPath).catch(() => {});
  }

  /** Starts a worker for every slot below the mirror's connection count that has none. */
  #staff(mirror: MirrorState): void {
    for (let slot = 0; slot < mirror.connections; slot++) {
      if (mirror.slots.has(slot)) continue;
      const sourceId = slot === 0 ? `${mirror.server}` : `${mirror.server}.${slot + 1}`;
      if (!mirror.sourceIds.includes(sourceId)) mirror.sourceIds.push(sourceId);
      mirror.slots.add(slot);
      this.#workers.push(this.#worker(mirror, slot, sourceId));
    }
  }

  /**
   * With 'auto' connections, every tick: whether the ramps may still grow. Probing only pays while
   * at least a second of work is left at the current speed: near the end (or for a small file) new
   * connections would only split the last fragments and add endgame copies.
   */
  #judgeWorkLeft(now: number): void {
    const scheduler = this.#scheduler;
    if (scheduler === undefined) return;
    let received = 0;
    for (const mirror of this.#mirrors) received += mirror.bytesReceived;
    const recent = this.#recentBytes;
    recent.push({ at: now, bytes: received });
    while (recent.length > 2 && now - recent[1]!.at >= RAMP_RATE_SPAN_MS) recent.shift();
    const first = recent[0]!;
    const bytesPerMs = now > first.at ? (received - first.bytes) / (now - first.at) : 0;
    this.#workLeft = scheduler.missingBytes() > bytesPerMs * RAMP_MIN_WORK_LEFT_MS;
  }

  /** With 'auto' connections: feeds the mirror's ramp (on every chunk received and every tick). */
  #ramp(mirror: MirrorState, now: number): void {
    const ramp = mirror.ramp;
    if (ramp === undefined || ramp.settled || mirror.status !== 'up') return;
    let total = 0;
    for (const other of this.#mirrors) total += other.connections;
    const before = mirror.connections;
    let receiving = 0;
    for (const slot of mirror.receiving) if (slot < before) receiving++;
    const canGrow = this.#workLeft && total + before <= AUTO_TOTAL_MAX;
    mirror.connections = ramp.sample(now, mirror.bytesReceived, receiving >= before, canGrow);
    if (mirror.connections === before) return;
    this.#log?.info(
      { server: mirror.server, from: before, to: mirror.connections },
      'connections per server changed',
    );
    this.#staff(mirror);
  }

  async #worker(mirror: MirrorState, slot: number, sourceId: SourceId): Promise<void> {
    const scheduler = this.#scheduler!;
    let connection: ClientConnection | undefined;
    /** Only for endgame copies, which must not write before they win. */
    let copyBuffer: Uint8Array | undefined;
    let registered = false;
    try {
      while (!this.#stopping && mirror.status !== 'dropped' && slot < mirror.connections) {
        const wait = mirror.retryAt - performance.now();
        if (wait > 0) {
          await this.#sleep(wait);
          continue;
        }
        if (mirror.identity === undefined) {
          // One probe per mirror; its other connections wait for the verdict.
          if (slot === 0 && !mirror.probing) await this.#reprobe(mirror);
          else await this.#nextChange();
          continue;
        }
        if (connection === undefined || !connection.reusable) {
          connection?.destroy();
          connection = undefined;
          try {
            connection = await ClientConnection.connect({
              host: mirror.host,
              port: mirror.port,
              connectTimeoutMs: this.#options.connectTimeoutMs,
              signal: this.#stop.signal,
              // Each chunk is written (or copied) before the next is read: reading into one
              // reused buffer keeps a fast download from allocating per read.
              readBufferSize: READ_BUFFER_BYTES,
            });
          } catch (error) {
            if (this.#stopping) break;
            if (registered) scheduler.fail(sourceId, performance.now(), 'refused');
            this.#mirrorFailed(mirror, describeNetworkFailure(error));
            continue;
          }
        }
        if (!registered) {
          scheduler.addSource(sourceId);
          registered = true;
        }
        if (scheduler.isComplete()) break;
        const assignment = scheduler.next(sourceId, performance.now());
        if (assignment === null) {
          await this.#nextChange();
          continue;
        }
        // The worker keeps its copy buffer, but only an endgame copy may use it.
        if (assignment.duplicate) copyBuffer ??= new Uint8Array(this.#plan!.fragmentSize);
        const copy = assignment.duplicate ? copyBuffer : undefined;
        await this.#transfer(mirror, slot, connection, assignment, copy);
      }
    } catch (error) {
      this.#fail(error);
    } finally {
      connection?.destroy();
      mirror.slots.delete(slot);
      mirror.receiving.delete(slot);
      // A retired worker's source must not count as a free one in the scheduler's endgame.
      if (registered && !this.#stopping) scheduler.removeSource(sourceId, performance.now());
    }
  }

  async #transfer(
    mirror: MirrorState,
    slot: number,
    connection: ClientConnection,
    assignment: Assignment,
    copyBuffer: Uint8Array | undefined,
  ): Promise<void> {
    const scheduler = this.#scheduler!;
    const part = this.#target!.part;
    const active: ActiveTransfer = {
      assignment,
      mirror,
      controller: new AbortController(),
      cancelled: false,
      stalled: false,
    };
    this.#active.set(assignment.id, active);
    // The original writes each chunk at its place as it arrives (the hash decides later whether
    // the fragment counts); an endgame copy keeps its bytes until it wins (#accept).
    const fence = copyBuffer === undefined ? this.#fenceWrites(assignment.index) : undefined;
    const store = (offset: number, chunk: Uint8Array): void | Promise<void> => {
      if (active.cancelled) return;
      if (copyBuffer !== undefined) copyBuffer.set(chunk, offset);
      else return fence!.after.then(() => part.write(assignment.start + offset, chunk));
    };
    const outcome = await fetchFragment({
      connection,
      path: mirror.path,
      assignment,
      fileSize: this.#identity!.size,
      etag: mirror.identity?.etag,
      store,
      signal: active.controller.signal,
      responseTimeoutMs: this.#options.stallTimeoutMs,
      idleTimeoutMs: this.#options.stallTimeoutMs,
      onAccepted: () => {
        mirror.receiving.add(slot);
        this.#mirrorUp(mirror);
      },
      onBytes: (bytes) => {
        const now = performance.now();
        mirror.bytesReceived += bytes;
        this.#options.onBytesReceived?.(bytes);
        this.#ramp(mirror, now);
        return scheduler.progress(assignment.id, bytes, now);
      },
    });
    this.#active.delete(assignment.id);
    fence?.release();
    if (this.#stopping) return;
    const now = performance.now();
    switch (outcome.kind) {
      case 'store-failed':
        this.#fail(localFileError(part.path, 'write', outcome.error));
        return;
      case 'received': {
        const map = this.#identity!.map;
        const verified = map === undefined || outcome.sha256 === map.fragments[assignment.index];
        const result = scheduler.complete(assignment.id, now, verified);
        for (const other of result.cancel) this.#cancel(other.id);
        mirror.backoff.reset();
        this.#log?.debug(
          {
            server: mirror.server,
            fragment: assignment.index,
            verified,
            accepted: result.accepted,
          },
          'fragment received',
        );
        if (result.accepted) {
          await this.#accept(assignment, copyBuffer?.subarray(0, assignment.length));
        } else if (!verified) {
          mirror.badFragments++;
          this.#log?.info(
            { server: mirror.server, fragment: assignment.index },
            'fragment failed verification',
          );
          this.#emit({
            event: 'fragment-corrupt',
            server: mirror.server,
            url: mirror.url,
            index: assignment.index,
          });
          if (mirror.badFragments >= MAX_BAD_FRAGMENTS) {
            this.#drop(
              mirror,
              `${mirror.badFragments} fragments failed SHA-256 verification`,
              false,
            );
          }
        }
        break;
      }
      case 'cancelled':
        if (active.stalled) {
          scheduler.fail(assignment.id, now, 'stalled');
          this.#mirrorFailed(
            mirror,
            `stalled (no byte for ${this.#options.stallTimeoutMs / 1000} s, or far slower than the others)`,
          );
        } else if (scheduler.assignment(assignment.id) !== undefined) {
          scheduler.fail(assignment.id, now, 'cancelled');
        }
        break;
      case 'failed':
        scheduler.fail(assignment.id, now, outcome.reason);
        if (outcome.drop) this.#drop(mirror, outcome.message, outcome.httpStatus !== undefined);
        else this.#mirrorFailed(mirror, outcome.message, outcome.retryAfterMs);
        break;
    }
    this.#notifyChange();
  }

  /**
   * Writers of one fragment's range take turns: a new one starts writing only once the previous
   * one has returned (a cancelled original may still have a write in flight), so the last bytes
   * written are always the last writer's. `after` settles when the previous writer is done;
   * call `release()` when this one is.
   */
  #fenceWrites(index: number): { after: Promise<void>; release: () => void } {
    const after = this.#writers.get(index) ?? Promise.resolve();
    const mine = deferred<void>();
    this.#writers.set(index, mine.promise);
    return {
      after,
      release: () => {
        if (this.#writers.get(index) === mine.promise) this.#writers.delete(index);
        mine.resolve();
      },
    };
  }

  /**
   * A verified fragment: an original's bytes are already in place; an endgame copy's are written
   * now, after the original it beat has stopped writing. It is recorded in the manifest after the
   * next fsync.
   */
  async #accept(assignment: Assignment, copy: Uint8Array | undefined): Promise<void> {
    if (copy !== undefined) {
      const part = this.#target!.part;
      const fence = this.#fenceWrites(assignment.index);
      this.#pendingWrites++;
      try {
        await fence.after;
        await part.write(assignment.start, copy);
      } catch (error) {
        this.#fail(localFileError(part.path, 'write', error));
        return;
      } finally {
        fence.release();
        this.#pendingWrites--;
      }
    }
    this.#verifiedBytes += assignment.length;
    this.#written[assignment.index] = 1;
    this.#hasher?.advance();
    this.#checkpointer?.written(assignment.index);
    this.#checkComplete();
  }

  #checkComplete(): void {
    if (this.#scheduler?.isComplete() && this.#pendingWrites === 0) this.#finished.resolve();
  }

  #cancel(assignmentId: number): void {
    const active = this.#active.get(assignmentId);
    if (active === undefined || active.cancelled) return;
    active.cancelled = true;
    active.controller.abort();
  }

  /** Saves the manifest (see Checkpointer); a failure to save stops the download. */
  async #checkpoint(force: boolean): Promise<void> {
    try {
      await this.#checkpointer?.save(force);
    } catch (error) {
      this.#fail(localFileError(this.#target!.manifestPath, 'save', error));
    }
  }

  async #shutdown(): Promise<void> {
    this.#stopping = true;
    for (const active of this.#active.values()) {
      active.cancelled = true;
      active.controller.abort();
    }
    this.#stop.abort();
    this.#notifyChange();
    await Promise.allSettled(this.#workers);
    await this.#checkpoint(true);
  }

  // ---- mirror states --------------------------------------------------------------------------

  #mirrorUp(mirror: MirrorState): void {
    if (mirror.status === 'up' || mirror.status === 'dropped') return;
    const wasDown = mirror.status === 'down';
    mirror.status = 'up';
    mirror.everUp = true;
    mirror.retryAt = 0;
    if (wasDown) {
      this.#log?.info({ server: mirror.server }, 'mirror is back');
      this.#emit({ event: 'mirror-up', server: mirror.server, url: mirror.url });
    }
    if (this.#waitingSince !== undefined) {
      this.#waitingSince = undefined;
      this.#emit({ event: 'wait-over', server: mirror.server });
    }
  }

  #mirrorFailed(mirror: MirrorState, reason: string, retryAfterMs?: number): void {
    if (mirror.status === 'dropped') return;
    if (mirror.ramp !== undefined) {
      mirror.ramp.reset();
      mirror.connections = mirror.ramp.target;
      mirror.receiving.clear();
    }
    const delay = Math.max(MIN_RETRY_MS, mirror.backoff.next(), retryAfterMs ?? 0);
    mirror.retryAt = performance.now() + delay;
    if (mirror.status !== 'down') {
      mirror.status = 'down';
      this.#log?.info({ server: mirror.server, reason }, 'mirror failed');
      this.#emit({
        event: 'mirror-down',
        server: mirror.server,
        url: mirror.url,
        reason,
        retryInMs: Math.round(delay),
      });
    }
    this.#checkMirrorsLeft();
  }

  #drop(mirror: MirrorState, reason: string, forHttpStatus: boolean, announce = true): void {
    if (mirror.status === 'dropped') return;
    mirror.status = 'dropped';
    mirror.dropReason = reason;
    mirror.dropForHttpStatus = forHttpStatus;
    this.#log?.info({ server: mirror.server, reason }, 'mirror dropped');
    if (announce) {
      this.#emit({ event: 'mirror-dropped', server: mirror.server, url: mirror.url, reason });
    }
    const scheduler = this.#scheduler;
    if (scheduler !== undefined) {
      const now = performance.now();
      for (const sourceId of mirror.sourceIds) {
        try {
          scheduler.removeSource(sourceId, now);
        } catch {
          // Never registered (it never connected): nothing to remove.
        }
      }
    }
    for (const active of this.#active.values()) {
      if (active.mirror === mirror) {
        active.cancelled = true;
        active.controller.abort();
      }
    }
    this.#notifyChange();
    this.#checkMirrorsLeft();
  }

  /** Every mirror dropped: fail. Every remaining mirror down: start the --wait clock. */
  #checkMirrorsLeft(): void {
    const left = this.#mirrors.filter((m) => m.status !== 'dropped');
    if (left.length === 0) {
      const reasons = this.#mirrors.map((m) => `Server ${m.server} (${m.url}): ${m.dropReason}`);
      this.#fail(
        new NoMirrorLeftError(
          `no usable mirror left:\n  ${reasons.join('\n  ')}`,
          this.#mirrors.every((m) => m.dropForHttpStatus),
        ),
      );
      return;
    }
    const anyAlive = left.some((m) => m.status === 'up' || m.status === 'unknown');
    if (!anyAlive && this.#waitingSince === undefined) {
      this.#waitingSince = performance.now();
      this.#emit({ event: 'waiting', waitMs: this.#options.waitMs });
    }
  }

  #tick(): void {
    if (this.#stopping) return;
    const now = performance.now();
    for (const id of this.#scheduler?.stalled(now) ?? []) {
      const active = this.#active.get(id);
      if (active === undefined || active.cancelled) continue;
      active.stalled = true;
      active.cancelled = true;
      active.controller.abort();
    }
    if (this.#waitingSince !== undefined && now - this.#waitingSince >= this.#options.waitMs) {
      const everConnected = this.#mirrors.some((m) => m.everUp);
      const seconds = Number((this.#options.waitMs / 1000).toFixed(3));
      const where = this.#target?.part.path;
      this.#fail(
        new ServersLostError(
          everConnected
            ? `all servers unreachable for ${seconds} s; the partial download is kept` +
                `${where === undefined ? '' : ` in ${where}`}: rerun with -r to resume`
            : `no server answered within ${seconds} s: ${this.#mirrors.map((m) => m.url).join(', ')}`,
          everConnected,
        ),
      );
      return;
    }
    if (this.#options.connectionsPerMirror === 'auto') {
      this.#judgeWorkLeft(now);
      for (const mirror of this.#mirrors) this.#ramp(mirror, now);
    }
    this.#notifyChange();
  }

  // ---- plumbing -------------------------------------------------------------------------------

  #fail(error: unknown): void {
    if (this.#error !== undefined) return;
    if (error instanceof ClientAppError) this.#error = error;
    else {
      this.#log?.error({ err: error }, 'unexpected engine failure');
      this.#error = new ClientAppError(`internal error: ${(error as Error)?.message ?? error}`, {
        cause: error,
      });
    }
    this.#stopping = true;
    this.#stop.abort();
    this.#finished.resolve();
    this.#notifyChange();
  }

  #throwIfFailed(): void {
    if (this.#error !== undefined) throw this.#error;
  }

  #emit(event: EngineEvent): void {
    this.#options.onEvent?.(event);
  }

  #notifyChange(): void {
    const wake = this.#wake;
    this.#wake = deferred();
    wake.resolve();
  }

  /** Resolves at the next completion, failure or tick, or when the engine stops. */
  #nextChange(): Promise<void> {
    return this.#wake.promise;
  }

  #sleep(ms: number): Promise<void> {
    if (this.#stop.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#stop.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#stop.signal.addEventListener('abort', done, { once: true });
    });
  }
}
