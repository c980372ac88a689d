/**
 * Writes one response (head and body) to a socket with backpressure and bounded memory.
 *
 * File data is read with `fs.read` into buffers from a {@link BufferPool} and handed to
 * `socket.write()` without copying; when `write()` returns false the writer waits for 'drain'
 * (at most `sendTimeoutMs`, then the connection is destroyed, like nginx's `send_timeout`).
 * The head is corked together with the first body chunk so small responses leave in one syscall.
 */
import { read, readSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { type BodyAids, corruptInPlace } from './body-aids.js';
import type { BufferPool } from './buffer-pool.js';

/** How the body ended: fully sent, deliberately cut (`--fail-after`), or the socket died. */
export type BodyOutcome = 'done' | 'cut' | 'aborted';

export interface BodyWriterOptions {
  socket: Duplex;
  pool: BufferPool;
  sendTimeoutMs: number;
  /** Testing aids; only passed for file-content responses. */
  aids?: BodyAids | undefined;
}

/** Reads up to this size use a buffer of their own and `readSync` (see writeFileRange). */
const SMALL_READ_BYTES = 64 * 1024;

function readChunk(fd: number, buffer: Buffer, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buffer, 0, length, position, (error, bytesRead) => {
      if (error) reject(error);
      else resolve(bytesRead);
    });
  });
}

export class BodyWriter {
  readonly #socket: Duplex;
  readonly #pool: BufferPool;
  readonly #sendTimeoutMs: number;
  readonly #aids: BodyAids | undefined;
  #pendingHead: Buffer | null = null;
  /** Body bytes handed to the socket so far. */
  bodyBytes = 0;
  /** File-data bytes handed to the socket so far (the offsets `--corrupt` counts in). */
  #fileBytes = 0;
  /** The error that aborted the body, if a read failed. */
  error: Error | undefined;

  constructor(options: BodyWriterOptions) {
    this.#socket = options.socket;
    this.#pool = options.pool;
    this.#sendTimeoutMs = options.sendTimeoutMs;
    this.#aids = options.aids;
  }

  /** Queues the head; it leaves with the first body bytes, or on {@link flushHead}. */
  setHead(head: Buffer): void {
    this.#pendingHead = head;
  }

  /** Sends a queued head on its own (bodiless responses). */
  async flushHead(): Promise<BodyOutcome> {
    if (this.#pendingHead === null) return 'done';
    return this.#write(Buffer.alloc(0), undefined);
  }

  /** Writes in-memory body bytes (small documents, multipart framing). */
  async writeBytes(data: Buffer): Promise<BodyOutcome> {
    const limited = this.#limit(data.length);
    if (limited < data.length) {
      const outcome = await this.#write(data.subarray(0, limited), undefined);
      return outcome === 'aborted' ? outcome : this.#cut();
    }
    return this.#write(data, undefined);
  }

  /** Streams bytes `start..end` (inclusive) of the open file `fd`. */
  async writeFileRange(fd: number, start: number, end: number): Promise<BodyOutcome> {
    const socket = this.#socket;
    const limiter = this.#aids?.rateLimiter;
    const maxChunk = limiter ? limiter.chunkSize(this.#pool.bufferSize) : this.#pool.bufferSize;
    let position = start;
    const stop = end + 1;
    while (position < stop) {
      if (socket.destroyed) return 'aborted';
      let length = Math.min(stop - position, maxChunk);
      const allowed = this.#limit(length);
      if (allowed === 0) return this.#cut();
      length = allowed;
      if (limiter) {
        const delay = limiter.reserve(length);
        if (delay > 0) await sleep(delay);
        if (socket.destroyed) {
          limiter.refund(length);
          return 'aborted';
        }
      }
      // Small reads get a buffer of their own size (from Node's slab) and are read synchronously:
      // a pooled 1 MiB buffer for 1 KiB would churn the pool, and for a few page-cache bytes the
      // threadpool round trip costs more than the read (see docs/benchmarks/server.md). Large
      // reads, where disk time may hide, go through the threadpool into pooled buffers.
      const pooled = length > SMALL_READ_BYTES;
      const buffer = pooled ? this.#pool.acquire() : Buffer.allocUnsafe(length);
      let bytesRead: number;
      try {
        bytesRead = pooled
          ? await readChunk(fd, buffer, length, position)
          : readSync(fd, buffer, 0, length, position);
      } catch (error) {
        if (pooled) this.#pool.release(buffer);
        return this.#abort(error as Error);
      }
      if (bytesRead === 0) {
        // The file shrank under us: the promised Content-Length can no longer be met.
        if (pooled) this.#pool.release(buffer);
        return this.#abort(new Error('file shrank while being sent'));
      }
      const data = buffer.subarray(0, bytesRead);
      if (this.#aids?.corrupt) corruptInPlace(data, this.#fileBytes);
      this.#fileBytes += bytesRead;
      position += bytesRead;
      const release = pooled ? () => this.#pool.release(buffer) : undefined;
      const outcome = await this.#write(data, release);
      if (outcome !== 'done') return outcome;
    }
    return 'done';
  }

  /** How many of `length` more body bytes `--fail-after` still allows. */
  #limit(length: number): number {
    const failAfter = this.#aids?.failAfterBytes;
    if (failAfter === undefined) return length;
    return Math.max(0, Math.min(length, failAfter - this.bodyBytes));
  }

  async #write(data: Buffer, onWritten: (() => void) | undefined): Promise<BodyOutcome> {
    const socket = this.#socket;
    if (socket.destroyed) {
      onWritten?.();
      return 'aborted';
    }
    const head = this.#pendingHead;
    this.#pendingHead = null;
    let flushed: boolean;
    if (head === null) {
      flushed = socket.write(data, onWritten);
    } else if (data.length === 0) {
      flushed = socket.write(head);
      onWritten?.();
    } else {
      socket.cork();
      socket.write(head);
      flushed = socket.write(data, onWritten);
      socket.uncork();
    }
    this.bodyBytes += data.length;
    if (flushed) return 'done';
    return (await this.#drained()) ? 'done' : 'aborted';
  }

  /** `--fail-after`: end the connection right after the allowed bytes, mid-body. */
  #cut(): BodyOutcome {
    const socket = this.#socket;
    if (this.#pendingHead !== null) {
      socket.write(this.#pendingHead);
      this.#pendingHead = null;
    }
    socket.end();
    // A client that stops reading must not keep the cut connection alive forever.
    const timer = setTimeout(() => socket.destroy(), this.#sendTimeoutMs).unref();
    socket.once('close', () => clearTimeout(timer));
    return 'cut';
  }

  #abort(error: Error): BodyOutcome {
    this.error = error;
    this.#socket.destroy();
    return 'aborted';
  }

  #drained(): Promise<boolean> {
    const socket = this.#socket;
    if (socket.destroyed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const finish = (drained: boolean) => {
        clearTimeout(timer);
        socket.off('drain', onDrain);
        socket.off('close', onClose);
        resolve(drained);
      };
      const onDrain = () => finish(true);
      const onClose = () => finish(false);
      const timer = setTimeout(() => {
        socket.destroy();
        finish(false);
      }, this.#sendTimeoutMs);
      socket.on('drain', onDrain);
      socket.on('close', onClose);
    });
  }
}
