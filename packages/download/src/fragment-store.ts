/**
 * The one record of which fragments are done, and the only writer of the `.part` file and the
 * manifest. Everything else reads "done" from here: the engine's completion and counters, the
 * whole-file hash (PrefixHasher reads the state array), the checkpoints and the manifest's bitmap.
 * (The scheduler only learns from it which fragments never to hand out.)
 *
 * A fragment is missing, then *written* (its bytes verified and in the `.part`), then *durable*
 * (the `.part` was fsynced after that and the manifest saying so was saved). The manifest only
 * ever lists durable fragments, so it never claims bytes a crash could still lose; saves are atomic
 * (@lb/segments' `Manifest.save`) and never overlap.
 *
 * Writers of one fragment's range take turns (`fence`): a new one starts writing only once the
 * previous one has returned (a cancelled original may still have a write in flight), so the last
 * bytes written are always the last writer's.
 */
import type { FragmentPlan, Manifest, PartFile } from '@lb/segments';
import { PrefixHasher } from './prefix-hasher.js';

const MISSING = 0;
const WRITTEN = 1;
const DURABLE = 2;

export interface FragmentStoreOptions {
  plan: FragmentPlan;
  part: PartFile;
  /** Undefined when the download cannot be resumed: nothing is recorded then. */
  manifest: Manifest | undefined;
  manifestPath: string;
  /** Fragments a resumed manifest records as durable. */
  done?: Iterable<number>;
  /** Hash the file's prefix as it fills in, for `digest()` (when a whole-file SHA-256 is known). */
  hashWholeFile?: boolean;
}

/** Settles when the previous writer of a range is done; call `release()` when this one is. */
export interface WriteFence {
  readonly after: Promise<void>;
  release(): void;
}

export class FragmentStore {
  readonly plan: FragmentPlan;
  readonly part: PartFile;
  readonly manifestPath: string;
  /** Bytes already durable when the download started. */
  readonly resumedBytes: number;
  readonly #manifest: Manifest | undefined;
  readonly #state: Uint8Array;
  readonly #writers = new Map<number, Promise<void>>();
  readonly #hasher: PrefixHasher | undefined;
  /** Written, not yet fsynced and recorded. */
  #pending: number[] = [];
  #chain: Promise<void> = Promise.resolve();
  #doneCount = 0;
  #doneBytes = 0;
  #durableBytes = 0;
  /** Endgame copies being written: the download is not complete before they are. */
  #copiesInFlight = 0;

  constructor(options: FragmentStoreOptions) {
    const { plan } = options;
    this.plan = plan;
    this.part = options.part;
    this.manifestPath = options.manifestPath;
    this.#manifest = options.manifest;
    this.#state = new Uint8Array(plan.count);
    for (const index of options.done ?? []) {
      if (this.#state[index] !== MISSING) continue;
      this.#state[index] = DURABLE;
      this.#doneCount++;
      this.#doneBytes += plan.fragments[index]!.length;
    }
    this.#durableBytes = this.#doneBytes;
    this.resumedBytes = this.#doneBytes;
    if (options.hashWholeFile) {
      this.#hasher = new PrefixHasher(options.part.path, plan, this.#state);
      this.#hasher.advance();
    }
  }

  /** True once fragment `index` is written (verified and in the `.part`). */
  isDone(index: number): boolean {
    return this.#state[index] !== MISSING;
  }

  /** Indexes of the written fragments, ascending. */
  doneFragments(): number[] {
    const done: number[] = [];
    for (let i = 0; i < this.#state.length; i++) if (this.#state[i] !== MISSING) done.push(i);
    return done;
  }

  /** Verified bytes in the `.part`. */
  get doneBytes(): number {
    return this.#doneBytes;
  }

  /** Verified bytes recorded in the last saved manifest. */
  get durableBytes(): number {
    return this.#durableBytes;
  }

  /** Every fragment written, no copy still being written. */
  get complete(): boolean {
    return this.#doneCount === this.plan.count && this.#copiesInFlight === 0;
  }

  /** Waits for the range's previous writer; see the class comment. */
  fence(index: number): WriteFence {
    const after = this.#writers.get(index) ?? Promise.resolve();
    let resolve!: () => void;
    const mine = new Promise<void>((r) => {
      resolve = r;
    });
    this.#writers.set(index, mine);
    return {
      after,
      release: () => {
        if (this.#writers.get(index) === mine) this.#writers.delete(index);
        resolve();
      },
    };
  }

  /**
   * Fragment `index` verified. An original's bytes are already in place; an endgame `copy` is
   * written now, after the writer it beat has stopped. Rejects with the file system's error.
   */
  async accept(index: number, copy?: Uint8Array): Promise<void> {
    if (copy !== undefined) {
      const fence = this.fence(index);
      this.#copiesInFlight++;
      try {
        await fence.after;
        await this.part.write(this.plan.fragments[index]!.start, copy);
      } finally {
        fence.release();
        this.#copiesInFlight--;
      }
    }
    this.markWritten(index);
  }

  /** Fragment `index`'s verified bytes are in the `.part`; the next save records it. */
  markWritten(index: number): void {
    if (this.#state[index] !== MISSING) return;
    this.#state[index] = WRITTEN;
    this.#doneCount++;
    this.#doneBytes += this.plan.fragments[index]!.length;
    this.#pending.push(index);
    this.#hasher?.advance();
  }

  /**
   * fsyncs the `.part`, records what that made durable, saves the manifest. Without anything new
   * it does nothing unless `force`. Rejects with the file system's error.
   */
  save(force: boolean): Promise<void> {
    const run = this.#chain.then(async () => {
      const manifest = this.#manifest;
      if (manifest === undefined) return;
      const batch = this.#pending;
      if (batch.length === 0 && !force) return;
      this.#pending = [];
      await this.part.sync();
      for (const index of batch) manifest.markDone(index);
      await manifest.save(this.manifestPath);
      for (const index of batch) {
        this.#state[index] = DURABLE;
        this.#durableBytes += this.plan.fragments[index]!.length;
      }
    });
    // One failed save must not stop the next from running.
    this.#chain = run.catch(() => {});
    return run;
  }

  /** The whole file's base64 SHA-256, read back from the `.part` (needs `hashWholeFile`). */
  digest(): Promise<string> {
    if (this.#hasher === undefined) throw new Error('the store was not asked to hash the file');
    return this.#hasher.digest();
  }

  /** Closes the files without finishing (a failed or aborted download keeps them for a resume). */
  async close(): Promise<void> {
    await this.#hasher?.close().catch(() => {});
    await this.part.close().catch(() => {});
  }
}
