/**
 * The resume manifest's saves. A fragment written to the `.part` file is recorded only after the
 * next fsync of that file, so the manifest never lists bytes a crash could still lose; saves are
 * atomic (@lb/segments' `Manifest.save`) and never overlap.
 */
import type { FragmentPlan, Manifest, PartFile } from '@lb/segments';

export class Checkpointer {
  readonly #part: PartFile;
  readonly #manifest: Manifest | undefined;
  readonly #manifestPath: string;
  readonly #plan: FragmentPlan;
  /** Written, not yet fsynced and recorded. */
  #pending: number[] = [];
  #chain: Promise<void> = Promise.resolve();
  #savedBytes: number;

  /** `savedBytes`: the verified bytes the manifest already records (a resumed download's). */
  constructor(
    part: PartFile,
    manifest: Manifest | undefined,
    manifestPath: string,
    plan: FragmentPlan,
    savedBytes: number,
  ) {
    this.#part = part;
    this.#manifest = manifest;
    this.#manifestPath = manifestPath;
    this.#plan = plan;
    this.#savedBytes = savedBytes;
  }

  /** Verified bytes recorded in the last saved manifest. */
  get savedBytes(): number {
    return this.#savedBytes;
  }

  /** Fragment `index` is written; the next save records it. */
  written(index: number): void {
    this.#pending.push(index);
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
      await this.#part.sync();
      for (const index of batch) manifest.markDone(index);
      await manifest.save(this.#manifestPath);
      for (const index of batch) this.#savedBytes += this.#plan.fragments[index]!.length;
    });
    // One failed save must not stop the next from running.
    this.#chain = run.catch(() => {});
    return run;
  }
}
