/**
 * What experiments tell the person running the bench: phase messages and progress bars, both on
 * stderr so stdout carries only the parameters and the summary. On a terminal the bars are
 * cli-progress bars; elsewhere (CI logs, a pipe) each bar becomes one line when it ends, because
 * redrawn bars in a log file are noise.
 */
import type { Writable } from 'node:stream';
import cliProgress from 'cli-progress';

export interface ProgressBar {
  increment(by?: number): void;
  /** Ends the bar; the final line says how many of the total were done. */
  stop(): void;
}

export interface Reporter {
  /** A one-line message about what is happening now. */
  note(message: string): void;
  bar(label: string, total: number): ProgressBar;
}

export function createReporter(stream: Writable & { isTTY?: boolean }): Reporter {
  const interactive = stream.isTTY === true;
  return {
    note(message) {
      stream.write(`${message}\n`);
    },
    bar(label, total) {
      let value = 0;
      const started = performance.now();
      const bar = interactive
        ? new cliProgress.SingleBar(
            {
              stream,
              format: `  ${label.padEnd(34)} {bar} {value}/{total} | {duration_formatted} | eta {eta_formatted}`,
              hideCursor: true,
              clearOnComplete: false,
              etaBuffer: 50,
            },
            cliProgress.Presets.shades_classic,
          )
        : undefined;
      bar?.start(total, 0);
      return {
        increment(by = 1) {
          value += by;
          bar?.increment(by);
        },
        stop() {
          if (bar !== undefined) {
            bar.stop();
            return;
          }
          const seconds = ((performance.now() - started) / 1000).toFixed(1);
          stream.write(`  ${label}: ${value}/${total} in ${seconds} s\n`);
        },
      };
    },
  };
}

/** A reporter that says nothing (tests, library use). */
export const silentReporter: Reporter = {
  note() {},
  bar: () => ({ increment() {}, stop() {} }),
};
