/**
 * `download()`: one file from many mirrors at once, verified, surviving failures, resumable.
 *
 * 1. The file is chosen: every mirror is probed, disagreeing ones are left out (choose-file.ts).
 * 2. The `.part` and manifest are opened fresh or resumed (download-target.ts); the FragmentStore
 *    is from then on the one record of which fragments are done.
 * 3. Each mirror gets workers (worker.ts), each a keep-alive connection pulling fragments from
 *    @lb/segments' FragmentScheduler, whose sources are grouped by mirror; the endgame duplicates
 *    the slowest tail fragment and the loser is cancelled. How many workers: a fixed count, or
 *    with 'auto' a ramp per mirror (connection-autoscaler.ts).
 * 4. Failures put a mirror in backoff or drop it (mirror-set.ts); with no mirror up for `waitMs`
 *    the download fails with ServersLostError and stays resumable.
 * 5. At the end the whole file's SHA-256 is checked (when any mirror offered one) and the `.part`
 *    is renamed to the final name.
 *
 * The engine prints nothing: it reports through `onEvent`, `onProgress` and `snapshot()`.
 */
import { unlink } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import {
  FragmentScheduler,
  Manifest,
  planForMap,
  planFragments,
  type SourceId,
} from '@lb/segments';
import { FileChooser } from './choose-file.js';
import { AUTO_CONNECTIONS, ConnectionAutoscaler } from './connection-autoscaler.js';
import { type OpenedTarget, openDownloadTarget, unresumableReason } from './download-target.js';
import { EngineControl } from './engine-control.js';
import { DownloadAbortedError, localFileError, VerificationError } from './errors.js';
import type { DownloadEvent, DownloadResult, DownloadSnapshot, Verification } from './events.js';
import { FragmentStore } from './fragment-store.js';
import { type DownloadLogger, SILENT_LOGGER } from './logger.js';
import type { MirrorIdentity } from './mirror-probe.js';
import { type Mirror, MirrorSet, sourceGroupOf } from './mirror-set.js';
import { checkOptions, type DownloadOptions } from './options.js';
import { fileNameFromUrl } from './remote-file-name.js';
import { baseRequestHeaders, type HeaderFields } from './request-headers.js';
import { type ActiveTransfer, cancelTransfer, runWorker, type WorkerContext } from './worker.js';

/** Downloads the file; rejects with a DownloadError (match on its `code`). */
export async function download(options: DownloadOptions): Promise<DownloadResult> {
  return new Download(options).run();
}

/** One download; `snapshot()` may be read at any time while `run()` is pending. */
export class Download {
  readonly #options: DownloadOptions;
  readonly #logger: DownloadLogger;
  readonly #headers: HeaderFields;
  readonly #control: EngineControl;
  readonly #mirrors: MirrorSet;
  readonly #chooser: FileChooser;
  readonly #active = new Map<number, ActiveTransfer>();
  /** Every worker started (the ramp adds some mid-download); awaited on shutdown. */
  readonly #workers: Promise<void>[] = [];
  #scheduler: FragmentScheduler | undefined;
  #store: FragmentStore | undefined;
  #context: WorkerContext | undefined;

  /** @throws InvalidOptionError (`LB_DOWNLOAD_INVALID_OPTION`) for no mirrors or a bad URL. */
  constructor(options: DownloadOptions) {
    checkOptions(options);
    this.#options = options;
    this.#logger = options.logger ?? SILENT_LOGGER;
    this.#headers = baseRequestHeaders(options.userAgent);
    this.#control = new EngineControl(this.#logger);
    const connections = options.connectionsPerMirror ?? 'auto';
    this.#mirrors = new MirrorSet(options.mirrors, {
      connections: connections === 'auto' ? AUTO_CONNECTIONS : connections,
      backoffBaseMs: options.backoffBaseMs ?? 250,
      backoffMaxMs: options.backoffMaxMs ?? 2000,
      random: options.random ?? Math.random,
      waitMs: options.waitMs ?? 60_000,
      logger: this.#logger,
      emit: (event) => options.onEvent?.(event),
      onDropped: (mirror) => this.#dropped(mirror),
      onExhausted: (error) => this.#control.fail(error),
    });
    this.#chooser = new FileChooser({
      control: this.#control,
      mirrors: this.#mirrors,
      headers: this.#headers,
      connectTimeoutMs: this.#connectTimeoutMs,
      stallTimeoutMs: this.#stallTimeoutMs,
    });
  }

  get #connectTimeoutMs(): number {
    return this.#options.connectTimeoutMs ?? 5000;
  }

  get #stallTimeoutMs(): number {
    return this.#options.stallTimeoutMs ?? 5000;
  }

  /** Counters now; cheap enough to call every report. */
  snapshot(): DownloadSnapshot {
    let duplicateBytes = 0;
    let wastedBytes = 0;
    for (const stats of this.#scheduler?.sources() ?? []) {
      duplicateBytes += stats.duplicateBytes;
      wastedBytes += stats.wastedBytes;
    }
    const mirrors = this.#mirrors.all;
    return {
      atMs: performance.now(),
      size: this.#chooser.identity?.size ?? 0,
      verifiedBytes: this.#store?.doneBytes ?? 0,
      checkpointedBytes: this.#store?.durableBytes ?? 0,
      resumedBytes: this.#store?.resumedBytes ?? 0,
      serverBytes: mirrors.map((m) => m.bytesReceived),
      serverStatus: mirrors.map((m) => m.status),
      serverConnections: mirrors.map((m) => (m.status === 'dropped' ? 0 : m.connections)),
      duplicateBytes,
      wastedBytes,
    };
  }

  /** Downloads the file; resolves with where it is, or rejects with a DownloadError. */
  async run(): Promise<DownloadResult> {
    const { signal } = this.#options;
    if (signal?.aborted) throw new DownloadAbortedError(signal.reason);
    const onAbort = () => this.#control.fail(new DownloadAbortedError(signal!.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    const ticker = setInterval(() => this.#tick(), this.#options.tickMs ?? 50);
    try {
      const identity = await this.#chooser.choose();
      this.#control.throwIfFailed();
      return await this.#download(identity);
    } finally {
      clearInterval(ticker);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  #emit(event: DownloadEvent): void {
    this.#options.onEvent?.(event);
  }

  async #download(identity: MirrorIdentity): Promise<DownloadResult> {
    const options = this.#options;
    const plan = identity.map ? planForMap(identity.map) : planFragments(identity.size);
    const name = identity.map?.name ?? fileNameFromUrl(identity.url);
    const destination = options.destination;
    const finalPath =
      typeof destination === 'string'
        ? destination
        : destination.kind === 'file'
          ? destination.path
          : `${destination.path.replace(/\/+$/, '')}/${name}`;
    const target = await openDownloadTarget({
      finalPath,
      name,
      identity,
      plan,
      resume: options.resume ?? false,
      sources: this.#mirrors.all.map((m) => m.url),
    });
    if (target.notice !== undefined) this.#emit({ event: 'notice', ...target.notice });
    const unresumable = unresumableReason(identity);
    if (unresumable !== undefined) {
      this.#emit({ event: 'notice', kind: 'unresumable', message: unresumable });
    }
    if (target.alreadyComplete) {
      return {
        path: finalPath,
        size: identity.size,
        sha256: identity.sha256,
        resumedBytes: identity.size,
        serverBytes: this.#mirrors.all.map(() => 0),
        duplicateBytes: 0,
        wastedBytes: 0,
        verification: identity.map ? 'fragments' : 'digest',
      };
    }
    const store = new FragmentStore({
      plan,
      part: target.part,
      manifest: target.manifest,
      manifestPath: target.manifestPath,
      done: target.done,
      hashWholeFile: identity.sha256 !== undefined,
    });
    this.#store = store;
    const verification = identity.map ? 'fragments' : identity.sha256 ? 'digest' : 'validators';
    const scheduler = new FragmentScheduler({
      plan,
      done: store.doneFragments(),
      stall: { noBytesMs: this.#stallTimeoutMs },
    });
    this.#scheduler = scheduler;
    this.#emit({
      event: 'started',
      path: finalPath,
      size: identity.size,
      fragmentSize: plan.fragmentSize,
      fragments: plan.count,
      resumedBytes: store.resumedBytes,
      verification,
    });
    this.#context = this.#workerContext(identity, scheduler, store);
    const timers = [
      setInterval(() => void this.#checkpoint(false), options.checkpointIntervalMs ?? 1000),
    ];
    if (options.onProgress !== undefined) {
      const report = options.onProgress;
      timers.push(setInterval(() => report(this.snapshot()), options.progressIntervalMs ?? 1000));
    }
    for (const mirror of this.#mirrors.all) this.#staff(mirror);
    if (store.complete) this.#control.finish();
    try {
      await this.#control.finished;
    } finally {
      for (const timer of timers) clearInterval(timer);
      await this.#shutdown();
    }
    if (this.#control.error !== undefined) {
      await store.close();
      throw this.#control.error;
    }
    return this.#finish(identity, target, finalPath, verification);
  }

  #workerContext(
    identity: MirrorIdentity,
    scheduler: FragmentScheduler,
    store: FragmentStore,
  ): WorkerContext {
    const options = this.#options;
    const auto = (options.connectionsPerMirror ?? 'auto') === 'auto';
    return {
      control: this.#control,
      mirrors: this.#mirrors,
      scheduler,
      store,
      identity,
      active: this.#active,
      autoscaler: auto
        ? new ConnectionAutoscaler(this.#mirrors.all, this.#logger, (m) => this.#staff(m))
        : undefined,
      logger: this.#logger,
      headers: this.#headers,
      connectTimeoutMs: this.#connectTimeoutMs,
      stallTimeoutMs: this.#stallTimeoutMs,
      onBytesReceived: options.onBytesReceived,
      reprobe: (mirror) => this.#chooser.reprobe(mirror),
    };
  }

  async #finish(
    identity: MirrorIdentity,
    target: OpenedTarget,
    finalPath: string,
    verification: Verification,
  ): Promise<DownloadResult> {
    const store = this.#store!;
    const { part } = target;
    if (identity.sha256 !== undefined) {
      this.#emit({ event: 'verifying', path: finalPath });
      let actual: string;
      try {
        actual = await store.digest();
      } catch (error) {
        await store.close();
        throw localFileError(part.path, 'read', error);
      }
      if (actual !== identity.sha256) {
        await part.close().catch(() => {});
        await unlink(part.path).catch(() => {});
        await Manifest.remove(target.manifestPath).catch(() => {});
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
      resumedBytes: store.resumedBytes,
      serverBytes: snapshot.serverBytes,
      duplicateBytes: snapshot.duplicateBytes,
      wastedBytes: snapshot.wastedBytes,
      verification,
    };
  }

  /** Starts a worker for every slot below the mirror's connection count that has none. */
  #staff(mirror: Mirror): void {
    const context = this.#context!;
    for (let slot = 0; slot < mirror.connections; slot++) {
      if (mirror.slots.has(slot)) continue;
      const sourceId: SourceId = slot === 0 ? `${mirror.server}` : `${mirror.server}.${slot + 1}`;
      mirror.slots.add(slot);
      this.#workers.push(runWorker(context, mirror, slot, sourceId));
    }
  }

  /** Saves the manifest (see FragmentStore); a failure to save stops the download. */
  async #checkpoint(force: boolean): Promise<void> {
    const store = this.#store!;
    try {
      await store.save(force);
    } catch (error) {
      this.#control.fail(localFileError(store.manifestPath, 'save', error));
    }
  }

  async #shutdown(): Promise<void> {
    for (const active of this.#active.values()) cancelTransfer(active);
    this.#control.stop();
    await Promise.allSettled(this.#workers);
    await this.#checkpoint(true);
  }

  #dropped(mirror: Mirror): void {
    this.#scheduler?.removeGroup(sourceGroupOf(mirror), performance.now());
    for (const active of this.#active.values()) {
      if (active.mirror === mirror) cancelTransfer(active);
    }
    this.#control.notifyChange();
  }

  #tick(): void {
    const control = this.#control;
    if (control.stopping) return;
    const now = performance.now();
    for (const id of this.#scheduler?.stalled(now) ?? [])
      cancelTransfer(this.#active.get(id), true);
    const lost = this.#mirrors.waitExpired(now, this.#store?.part.path);
    if (lost !== undefined) {
      control.fail(lost);
      return;
    }
    const store = this.#store;
    if (store !== undefined) {
      this.#context?.autoscaler?.tick(now, store.plan.size - store.doneBytes);
    }
    control.notifyChange();
  }
}
