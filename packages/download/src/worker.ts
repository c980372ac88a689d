/**
 * One connection slot of one mirror: a keep-alive connection that pulls its next fragment from
 * the scheduler as soon as it is free (faster mirrors ask more often, so they do more) and turns
 * each transfer's outcome into the scheduler's, the store's and the mirror set's next state.
 *
 * A fragment's bytes are written at their place as they arrive and hashed on the way; only when
 * its SHA-256 matches the fragment map (or, without a map, when exactly the asked-for 206 arrived)
 * does it count. An endgame copy keeps its bytes in memory and writes only once it has won.
 */
import { performance } from 'node:perf_hooks';
import { ClientConnection } from '@lb/http-wire';
import type { Assignment, FragmentScheduler, SourceId } from '@lb/segments';
import type { ConnectionAutoscaler } from './connection-autoscaler.js';
import type { EngineControl } from './engine-control.js';
import { localFileError } from './errors.js';
import type { FragmentStore } from './fragment-store.js';
import { fetchFragment } from './fragment-transfer.js';
import type { DownloadLogger } from './logger.js';
import type { MirrorIdentity } from './mirror-probe.js';
import { type Mirror, type MirrorSet, sourceGroupOf } from './mirror-set.js';
import { describeNetworkFailure } from './network-failure.js';
import type { HeaderFields } from './request-headers.js';

/** Each connection's socket read buffer (the most a single read returns on Linux). */
const READ_BUFFER_BYTES = 64 * 1024;

/** A transfer in flight, so that the engine can cancel it. */
export interface ActiveTransfer {
  readonly mirror: Mirror;
  readonly controller: AbortController;
  cancelled: boolean;
  stalled: boolean;
}

/** What the workers share: the engine's parts once the file is chosen and the target open. */
export interface WorkerContext {
  readonly control: EngineControl;
  readonly mirrors: MirrorSet;
  readonly scheduler: FragmentScheduler;
  readonly store: FragmentStore;
  readonly identity: MirrorIdentity;
  readonly active: Map<number, ActiveTransfer>;
  readonly autoscaler: ConnectionAutoscaler | undefined;
  readonly logger: DownloadLogger;
  readonly headers: HeaderFields;
  readonly connectTimeoutMs: number;
  readonly stallTimeoutMs: number;
  readonly onBytesReceived: ((bytes: number) => void) | undefined;
  /** A mirror that was down when the file was chosen: probe it, and adopt or reject it. */
  reprobe(mirror: Mirror): Promise<void>;
}

/** Aborts a transfer (a lost endgame race, a dropped mirror, a stall, the engine stopping). */
export function cancelTransfer(active: ActiveTransfer | undefined, stalled = false): void {
  if (active === undefined || active.cancelled) return;
  active.stalled = stalled;
  active.cancelled = true;
  active.controller.abort();
}

export async function runWorker(
  context: WorkerContext,
  mirror: Mirror,
  slot: number,
  sourceId: SourceId,
): Promise<void> {
  const { control, scheduler } = context;
  let connection: ClientConnection | undefined;
  /** Only for endgame copies, which must not write before they win. */
  let copyBuffer: Uint8Array | undefined;
  let registered = false;
  try {
    while (!control.stopping && mirror.status !== 'dropped' && slot < mirror.connections) {
      const wait = mirror.retryAt - performance.now();
      if (wait > 0) {
        await control.sleep(wait);
        continue;
      }
      if (mirror.identity === undefined) {
        // One probe per mirror; its other connections wait for the verdict.
        if (slot === 0 && !mirror.probing) await context.reprobe(mirror);
        else await control.nextChange();
        continue;
      }
      if (connection === undefined || !connection.reusable) {
        connection?.destroy();
        connection = undefined;
        try {
          connection = await ClientConnection.connect({
            host: mirror.host,
            port: mirror.port,
            connectTimeoutMs: context.connectTimeoutMs,
            signal: control.signal,
            // Each chunk is written (or copied) before the next is read: reading into one
            // reused buffer keeps a fast download from allocating per read.
            readBufferSize: READ_BUFFER_BYTES,
          });
        } catch (error) {
          if (control.stopping) break;
          const now = performance.now();
          if (registered) scheduler.fail(sourceId, now, 'refused');
          context.mirrors.failed(mirror, describeNetworkFailure(error), now);
          continue;
        }
      }
      if (!registered) {
        scheduler.addSource(sourceId, { group: sourceGroupOf(mirror) });
        registered = true;
      }
      if (context.store.complete) break;
      const assignment = scheduler.next(sourceId, performance.now());
      if (assignment === null) {
        await control.nextChange();
        continue;
      }
      // The worker keeps its copy buffer, but only an endgame copy may use it.
      if (assignment.duplicate) copyBuffer ??= new Uint8Array(scheduler.plan.fragmentSize);
      const copy = assignment.duplicate ? copyBuffer : undefined;
      await transfer(context, mirror, slot, connection, assignment, copy);
    }
  } catch (error) {
    control.fail(error);
  } finally {
    connection?.destroy();
    mirror.slots.delete(slot);
    mirror.receiving.delete(slot);
    // A retired worker's source must not count as a free one in the scheduler's endgame.
    if (registered && !control.stopping) scheduler.removeSource(sourceId, performance.now());
  }
}

async function transfer(
  context: WorkerContext,
  mirror: Mirror,
  slot: number,
  connection: ClientConnection,
  assignment: Assignment,
  copyBuffer: Uint8Array | undefined,
): Promise<void> {
  const { control, scheduler, store, autoscaler, onBytesReceived } = context;
  const part = store.part;
  const active: ActiveTransfer = {
    mirror,
    controller: new AbortController(),
    cancelled: false,
    stalled: false,
  };
  context.active.set(assignment.id, active);
  // The original writes each chunk at its place as it arrives (the hash decides later whether
  // the fragment counts); an endgame copy keeps its bytes until it wins.
  const fence = copyBuffer === undefined ? store.fence(assignment.index) : undefined;
  const keep = (offset: number, chunk: Uint8Array): void | Promise<void> => {
    if (active.cancelled) return;
    if (copyBuffer !== undefined) copyBuffer.set(chunk, offset);
    else return fence!.after.then(() => part.write(assignment.start + offset, chunk));
  };
  const outcome = await fetchFragment({
    connection,
    path: mirror.path,
    assignment,
    fileSize: context.identity.size,
    etag: mirror.identity?.etag,
    headers: context.headers,
    store: keep,
    signal: active.controller.signal,
    responseTimeoutMs: context.stallTimeoutMs,
    idleTimeoutMs: context.stallTimeoutMs,
    onAccepted: () => {
      mirror.receiving.add(slot);
      context.mirrors.up(mirror);
    },
    onBytes: (bytes) => {
      const now = performance.now();
      mirror.bytesReceived += bytes;
      onBytesReceived?.(bytes);
      autoscaler?.sample(mirror, now);
      return scheduler.progress(assignment.id, bytes, now);
    },
  });
  context.active.delete(assignment.id);
  fence?.release();
  if (control.stopping) return;
  const now = performance.now();
  switch (outcome.kind) {
    case 'store-failed':
      control.fail(localFileError(part.path, 'write', outcome.error));
      return;
    case 'received': {
      const map = context.identity.map;
      const verified = map === undefined || outcome.sha256 === map.fragments[assignment.index];
      const result = scheduler.complete(assignment.id, now, verified);
      for (const other of result.cancel) cancelTransfer(context.active.get(other.id));
      context.mirrors.served(mirror);
      context.logger.debug(
        { server: mirror.server, fragment: assignment.index, verified, accepted: result.accepted },
        'fragment received',
      );
      if (result.accepted) {
        await accept(context, assignment, copyBuffer?.subarray(0, assignment.length));
      } else if (!verified) {
        context.mirrors.badFragment(mirror, assignment.index, now);
      }
      break;
    }
    case 'cancelled':
      if (active.stalled) {
        scheduler.fail(assignment.id, now, 'stalled');
        context.mirrors.failed(
          mirror,
          `stalled (no byte for ${context.stallTimeoutMs / 1000} s, or far slower than the others)`,
          now,
        );
      } else if (scheduler.assignment(assignment.id) !== undefined) {
        scheduler.fail(assignment.id, now, 'cancelled');
      }
      break;
    case 'failed':
      scheduler.fail(assignment.id, now, outcome.reason);
      if (outcome.drop) {
        context.mirrors.drop(mirror, outcome.message, outcome.httpStatus !== undefined, now);
      } else {
        context.mirrors.failed(mirror, outcome.message, now, outcome.retryAfterMs);
      }
      break;
  }
  control.notifyChange();
}

/** A verified fragment goes to the store (an endgame copy is written now); done at the last one. */
async function accept(
  context: WorkerContext,
  assignment: Assignment,
  copy: Uint8Array | undefined,
): Promise<void> {
  try {
    await context.store.accept(assignment.index, copy);
  } catch (error) {
    context.control.fail(localFileError(context.store.part.path, 'write', error));
    return;
  }
  if (context.store.complete) context.control.finish();
}
