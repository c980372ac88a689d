/**
 * Times the demo's phases for the summary. The clock is injected so tests can drive it; the demo
 * uses performance.now() (monotonic: a wall-clock jump must not make a phase negative).
 */

export interface PhaseTiming {
  /** `3/6` */
  label: string;
  title: string;
  ms: number;
}

interface OpenPhase {
  label: string;
  title: string;
  startedAt: number;
}

export class PhaseClock {
  readonly #now: () => number;
  readonly #startedAt: number;
  #open: OpenPhase | undefined;
  #done: PhaseTiming[] = [];

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
    this.#startedAt = now();
  }

  /** Starts a phase; the one still open ends now. */
  begin(label: string, title: string): void {
    this.end();
    this.#open = { label, title, startedAt: this.#now() };
  }

  /** Ends the open phase, if any. */
  end(): void {
    if (this.#open === undefined) return;
    const { label, title, startedAt } = this.#open;
    this.#done.push({ label, title, ms: this.#now() - startedAt });
    this.#open = undefined;
  }

  /** The phase running now (for "failed in phase 3/6 …"). */
  get current(): { label: string; title: string } | undefined {
    return this.#open === undefined
      ? undefined
      : { label: this.#open.label, title: this.#open.title };
  }

  /** Finished phases, in order. */
  get timings(): readonly PhaseTiming[] {
    return this.#done;
  }

  /** Milliseconds since the clock was made. */
  get elapsedMs(): number {
    return this.#now() - this.#startedAt;
  }
}
