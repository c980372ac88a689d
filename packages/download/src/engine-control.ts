/**
 * The engine's shared control: the first failure (later ones are consequences), the stop signal
 * that wakes every sleep and pending connect, and a "something changed" pulse idle workers wait
 * on (a completion, a failure, a tick).
 */
import { DownloadError, InternalDownloadError } from './errors.js';
import type { DownloadLogger } from './logger.js';

export class EngineControl {
  readonly #logger: DownloadLogger;
  readonly #stop = new AbortController();
  readonly #finished: Promise<void>;
  #finish!: () => void;
  #wake: Promise<void>;
  #pulse!: () => void;
  #error: DownloadError | undefined;
  #stopping = false;

  constructor(logger: DownloadLogger) {
    this.#logger = logger;
    this.#finished = new Promise((resolve) => {
      this.#finish = resolve;
    });
    this.#wake = this.#nextWake();
  }

  /** Aborted when the engine stops. */
  get signal(): AbortSignal {
    return this.#stop.signal;
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  get error(): DownloadError | undefined {
    return this.#error;
  }

  /** Settles when the download is complete or failed (`finish`/`fail`). */
  get finished(): Promise<void> {
    return this.#finished;
  }

  finish(): void {
    this.#finish();
  }

  /** Stops the engine with `error` (the first one wins); anything not a DownloadError is a bug. */
  fail(error: unknown): void {
    if (this.#error !== undefined) return;
    if (error instanceof DownloadError) this.#error = error;
    else {
      this.#logger.error({ err: error }, 'unexpected engine failure');
      this.#error = new InternalDownloadError(error);
    }
    this.stop();
    this.#finish();
  }

  /** Stops every worker, sleep and connect (also on success, before the final steps). */
  stop(): void {
    this.#stopping = true;
    this.#stop.abort();
    this.notifyChange();
  }

  throwIfFailed(): void {
    if (this.#error !== undefined) throw this.#error;
  }

  notifyChange(): void {
    const pulse = this.#pulse;
    this.#wake = this.#nextWake();
    pulse();
  }

  /** Resolves at the next completion, failure or tick, or when the engine stops. */
  nextChange(): Promise<void> {
    return this.#wake;
  }

  sleep(ms: number): Promise<void> {
    const signal = this.#stop.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  #nextWake(): Promise<void> {
    return new Promise((resolve) => {
      this.#pulse = resolve;
    });
  }
}
