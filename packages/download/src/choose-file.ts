/**
 * Which file to download. Every mirror is probed (size, validators, digest, fragment map); mirrors
 * that disagree are named and left out, and the largest agreeing group is used
 * (mirror-agreement.ts). Mirrors that do not answer are down and retried with backoff; when one
 * answers later it is probed again and must hold the chosen file (`reprobe`).
 */
import { performance } from 'node:perf_hooks';
import type { EngineControl } from './engine-control.js';
import { chooseAgreeingMirrors, disagreement, type MirrorCandidate } from './mirror-agreement.js';
import { type MirrorIdentity, type ProbeResult, probeMirror } from './mirror-probe.js';
import type { Mirror, MirrorSet } from './mirror-set.js';
import type { HeaderFields } from './request-headers.js';

/** Shortest pause between two probing rounds while no mirror answers. */
const MIN_ROUND_MS = 50;

export interface ChooserOptions {
  control: EngineControl;
  mirrors: MirrorSet;
  headers: HeaderFields;
  connectTimeoutMs: number;
  stallTimeoutMs: number;
}

export class FileChooser {
  readonly #options: ChooserOptions;
  #identity: MirrorIdentity | undefined;

  constructor(options: ChooserOptions) {
    this.#options = options;
  }

  /** The chosen file, once `choose` resolved. */
  get identity(): MirrorIdentity | undefined {
    return this.#identity;
  }

  /** Probes until some mirror answers; resolves with the file the agreeing group holds. */
  async choose(): Promise<MirrorIdentity> {
    const { control, mirrors } = this.#options;
    for (;;) {
      control.throwIfFailed();
      const now = performance.now();
      const due = mirrors.usable().filter((m) => m.retryAt <= now);
      const results = await Promise.all(due.map((m) => this.#probe(m)));
      control.throwIfFailed();
      const candidates: MirrorCandidate[] = [];
      for (const [i, result] of results.entries()) {
        const mirror = due[i]!;
        if (result.kind === 'ok') {
          candidates.push({ index: mirror.index, identity: result.identity });
        } else this.#onProblem(mirror, result);
      }
      if (candidates.length > 0) {
        const agreement = chooseAgreeingMirrors(candidates);
        for (const { candidate, reason } of agreement.rejected) {
          mirrors.reject(mirrors.all[candidate.index]!, reason, performance.now());
        }
        for (const { index, identity } of agreement.chosen) {
          mirrors.adopt(mirrors.all[index]!, identity);
        }
        this.#identity = agreement.identity;
        return agreement.identity;
      }
      mirrors.checkLeft(performance.now());
      control.throwIfFailed();
      await control.sleep(Math.max(MIN_ROUND_MS, mirrors.nextRetryAt() - performance.now()));
    }
  }

  /** A mirror that was down when the file was chosen answers now: it must hold the same file. */
  async reprobe(mirror: Mirror): Promise<void> {
    mirror.probing = true;
    const result = await this.#probe(mirror);
    mirror.probing = false;
    if (this.#options.control.stopping) return;
    if (result.kind !== 'ok') {
      this.#onProblem(mirror, result);
      return;
    }
    const why = disagreement(this.#identity!, result.identity);
    if (why !== undefined) this.#options.mirrors.reject(mirror, why, performance.now());
    else this.#options.mirrors.adopt(mirror, result.identity);
  }

  #probe(mirror: Mirror): Promise<ProbeResult> {
    const { connectTimeoutMs, stallTimeoutMs } = this.#options;
    return probeMirror(mirror.url, {
      headers: this.#options.headers,
      connectTimeoutMs,
      responseTimeoutMs: Math.max(stallTimeoutMs, connectTimeoutMs),
      signal: this.#options.control.signal,
    });
  }

  #onProblem(mirror: Mirror, result: Exclude<ProbeResult, { kind: 'ok' }>): void {
    const now = performance.now();
    if (result.kind === 'unusable') {
      this.#options.mirrors.drop(mirror, result.reason, result.httpStatus, now);
    } else this.#options.mirrors.failed(mirror, result.reason, now, result.retryAfterMs);
  }
}
