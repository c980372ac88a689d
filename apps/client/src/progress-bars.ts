/**
 * Live progress bars (cli-progress) for a terminal: one per server (bytes received from it) and
 * one for the verified total. They are drawn on stdout, below the metrics lines, which are printed
 * through the bars' log so they stay exact, whole lines above the redrawn area. Only used when
 * stdout is a terminal (or --progress), never with --json.
 */
import type { Writable } from 'node:stream';
import cliProgress from 'cli-progress';
import { formatSpeed } from './metrics-report.js';

export interface BarValues {
  serverBytes: readonly number[];
  verifiedBytes: number;
  /** kB/s per server and for the total, from the last report (kept until the next one). */
  serverSpeeds?: readonly number[];
  totalSpeed?: number;
}

export class TransferBars {
  readonly #multibar: cliProgress.MultiBar;
  readonly #servers: cliProgress.SingleBar[];
  readonly #total: cliProgress.SingleBar;
  readonly #size: number;
  #serverSpeeds: readonly number[] = [];
  #totalSpeed = 0;

  constructor(stream: Writable, serverCount: number, size: number) {
    this.#size = size;
    this.#multibar = new cliProgress.MultiBar(
      {
        stream: stream as NodeJS.WriteStream,
        format: '{label} [{bar}] {percentage}% | {value}/{total} | {speed}kb/s',
        hideCursor: true,
        clearOnComplete: false,
        stopOnComplete: false,
        // Our own SIGINT handling saves the manifest first; it stops the bars itself.
        gracefulExit: false,
        autopadding: true,
      },
      cliProgress.Presets.shades_classic,
    );
    this.#servers = Array.from({ length: serverCount }, (_, k) =>
      this.#multibar.create(size, 0, { label: `Server ${k + 1}`, speed: formatSpeed(0) }),
    );
    this.#total = this.#multibar.create(size, 0, { label: 'Total   ', speed: formatSpeed(0) });
  }

  update(values: BarValues): void {
    this.#serverSpeeds = values.serverSpeeds ?? this.#serverSpeeds;
    this.#totalSpeed = values.totalSpeed ?? this.#totalSpeed;
    for (const [k, bar] of this.#servers.entries()) {
      // A server's count includes discarded bytes and may pass the file size; the bar stops full.
      bar.update(Math.min(values.serverBytes[k] ?? 0, this.#size), {
        speed: formatSpeed(this.#serverSpeeds[k] ?? 0),
      });
    }
    this.#total.update(values.verifiedBytes, { speed: formatSpeed(this.#totalSpeed) });
  }

  /** Prints whole lines above the bars (on the bars' stream). */
  log(text: string): void {
    this.#multibar.log(text);
    this.#multibar.update();
  }

  stop(): void {
    this.#multibar.update();
    this.#multibar.stop();
  }
}
