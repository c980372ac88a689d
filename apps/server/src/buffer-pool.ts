/**
 * Reusable read buffers for streaming files to sockets. A buffer handed to `socket.write()` stays
 * owned by the kernel write queue until the write callback runs, so it is released there and only
 * then reused. Allocating a fresh buffer per chunk would make every megabyte sent a megabyte of
 * garbage; the pool keeps memory flat while many clients download large files.
 */
export class BufferPool {
  readonly bufferSize: number;
  /** Free buffers kept for reuse; beyond this, released buffers are left to the GC. */
  readonly maxFree: number;
  readonly #free: Buffer[] = [];

  constructor(bufferSize: number, maxFree: number) {
    if (!Number.isSafeInteger(bufferSize) || bufferSize <= 0) {
      throw new RangeError(`bufferSize must be a positive integer, got ${bufferSize}`);
    }
    this.bufferSize = bufferSize;
    this.maxFree = maxFree;
  }

  /** A buffer of exactly `bufferSize` bytes (contents unspecified). */
  acquire(): Buffer {
    return this.#free.pop() ?? Buffer.allocUnsafeSlow(this.bufferSize);
  }

  release(buffer: Buffer): void {
    if (buffer.length === this.bufferSize && this.#free.length < this.maxFree) {
      this.#free.push(buffer);
    }
  }

  /** Buffers waiting for reuse (for tests and metrics). */
  get freeCount(): number {
    return this.#free.length;
  }
}
