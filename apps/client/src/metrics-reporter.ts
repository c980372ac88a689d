/**
 * Prints the metrics every interval while the engine runs: the exact text lines on stdout (above
 * live bars on a terminal), or one JSON `metrics` event per interval with --json. A last report
 * covers the partial interval at the end, so the final numbers are always shown.
 */
import { performance } from 'node:perf_hooks';
import type { Writable } from 'node:stream';
import type { DownloadSnapshot } from '@lb/download';
import { jsonLine, metricsEvent } from './json-events.js';
import { formatMetricsLines, MetricsMeter } from './metrics-report.js';
import type { TransferBars } from './progress-bars.js';

const BAR_REFRESH_MS = 200;

export interface ReporterOptions {
  stdout: Writable;
  intervalMs: number;
  json: boolean;
  /** Draws progress bars (the CLI decides: a terminal, or --progress); undefined for none. */
  createBars?: ((stream: Writable, servers: number, size: number) => TransferBars) | undefined;
  urls: readonly string[];
  snapshot: () => DownloadSnapshot;
}

export class MetricsReporter {
  readonly #options: ReporterOptions;
  readonly #meter: MetricsMeter;
  readonly #timer: NodeJS.Timeout;
  readonly #barTimer: NodeJS.Timeout | undefined;
  readonly #bars: TransferBars | undefined;
  readonly #startedAt = performance.now();
  #stopped = false;

  constructor(options: ReporterOptions) {
    this.#options = options;
    const first = options.snapshot();
    this.#meter = new MetricsMeter(first);
    this.#bars =
      options.createBars !== undefined && !options.json
        ? options.createBars(options.stdout, first.serverBytes.length, first.size)
        : undefined;
    this.#bars?.update(first);
    this.#timer = setInterval(() => this.report(), options.intervalMs);
    // The reports must not keep a finished process alive.
    this.#timer.unref();
    if (this.#bars !== undefined) {
      const bars = this.#bars;
      // Bars move between reports; their speeds are the last report's.
      this.#barTimer = setInterval(() => bars.update(options.snapshot()), BAR_REFRESH_MS);
      this.#barTimer.unref();
    }
  }

  /** True when notices should go through `log` to keep the bars intact. */
  get drawsBars(): boolean {
    return this.#bars !== undefined;
  }

  /** Prints a line above the bars. */
  log(line: string): void {
    this.#bars?.log(line);
  }

  report(): void {
    if (this.#stopped) return;
    const snapshot = this.#options.snapshot();
    const report = this.#meter.report(snapshot);
    if (this.#options.json) {
      const elapsed = performance.now() - this.#startedAt;
      this.#options.stdout.write(
        jsonLine(metricsEvent(report, snapshot, this.#options.urls, elapsed)),
      );
      return;
    }
    const text = formatMetricsLines(report);
    if (this.#bars === undefined) {
      this.#options.stdout.write(text);
      return;
    }
    this.#bars.log(text);
    this.#bars.update({
      serverBytes: snapshot.serverBytes,
      verifiedBytes: snapshot.verifiedBytes,
      serverSpeeds: report.servers.map((s) => s.kilobytesPerSecond),
      totalSpeed: report.total.kilobytesPerSecond,
    });
  }

  /** The last report (partial interval), then no more. */
  finish(): void {
    if (this.#stopped) return;
    this.report();
    this.#stopped = true;
    clearInterval(this.#timer);
    clearInterval(this.#barTimer);
    this.#bars?.stop();
  }
}
