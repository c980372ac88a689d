/**
 * The whole-file SHA-256 check, computed while the download runs. The scheduler fills the file
 * from the front, so the stretch of fragments already on disk from byte 0 grows steadily; this
 * reads that stretch back from the `.part` file (from the page cache, in practice) and hashes it
 * as it grows, so at the end only the last fragments remain to be read instead of the whole file.
 * It is still a check of the bytes on disk, read back, exactly as a final pass would be.
 *
 * One reusable buffer, one read-only handle of its own: bounded memory whatever the file size.
 */
import { createHash, type Hash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import type { FragmentPlan } from '@lb/segments';

const READ_BYTES = 512 * 1024;

export class PrefixHasher {
  readonly #path: string;
  readonly #plan: FragmentPlan;
  readonly #written: Uint8Array;
  readonly #hash: Hash = createHash('sha256');
  readonly #buffer = new Uint8Array(READ_BYTES);
  #handle: FileHandle | undefined;
  /** Fragments before this index are hashed. */
  #next = 0;
  #running: Promise<void> | undefined;
  #error: unknown;

  /** `written[i]` is non-zero once fragment i's verified bytes are in the file. */
  constructor(path: string, plan: FragmentPlan, written: Uint8Array) {
    this.#path = path;
    this.#plan = plan;
    this.#written = written;
  }

  /** Hashes whatever new prefix is on disk, in the background. Call after each write. */
  advance(): void {
    if (this.#running !== undefined || this.#error !== undefined) return;
    if (this.#next >= this.#plan.count || !this.#written[this.#next]) return;
    this.#running = this.#drain().then(
      () => {
        this.#running = undefined;
        // Fragments written while the last read was in flight.
        this.advance();
      },
      (error) => {
        this.#running = undefined;
        this.#error = error;
      },
    );
  }

  /** Once every fragment is written: hashes the rest and returns the base64 digest. */
  async digest(): Promise<string> {
    while (this.#running !== undefined) await this.#running;
    if (this.#error !== undefined) throw this.#error;
    await this.#drain();
    if (this.#next < this.#plan.count) {
      throw new Error(`fragment ${this.#next} is not written: cannot hash the whole file`);
    }
    await this.close();
    return this.#hash.digest('base64');
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close();
  }

  async #drain(): Promise<void> {
    while (this.#next < this.#plan.count && this.#written[this.#next]) {
      const fragment = this.#plan.fragments[this.#next]!;
      this.#handle ??= await open(this.#path, 'r');
      for (let offset = 0; offset < fragment.length; ) {
        const length = Math.min(READ_BYTES, fragment.length - offset);
        const { bytesRead } = await this.#handle.read(
          this.#buffer,
          0,
          length,
          fragment.start + offset,
        );
        if (bytesRead === 0) throw new Error(`${this.#path} ended at ${fragment.start + offset}`);
        this.#hash.update(this.#buffer.subarray(0, bytesRead));
        offset += bytesRead;
      }
      this.#next++;
    }
  }
}
