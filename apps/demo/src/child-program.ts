/**
 * One app CLI running as a child process of the demo, on @lb/test-kit's AppProcess (the spawn,
 * line reading and group stop every suite uses too).
 *
 * Each child gets its own process group: a Ctrl-C in the terminal then reaches only the demo,
 * which stops the children in order and removes their files, and stopping a child signals its
 * whole group, so nothing it may have started survives it. The last stderr lines are kept so a
 * failure can show what the child said.
 */
import { AppExitedError, AppProcess, type ProcessExit, parseListeningLine } from '@lb/test-kit';
import { type AppName, PROGRAM_NAMES } from './app-command.js';
import { ChildExitedError } from './demo-errors.js';

export type ChildExit = ProcessExit;

export interface ChildProgramOptions {
  app: AppName;
  args: readonly string[];
  /** Extra environment variables (the rest is inherited). */
  env?: Readonly<Record<string, string>>;
  /** A pipe to write commands to (lb-server's console); otherwise stdin is /dev/null. */
  stdin?: boolean;
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
}

/** How many stderr lines a failure report shows. */
export const STDERR_TAIL_LINES = 12;

/** The demo waits as long as its own deadlines say (withDeadline), not the kit's default. */
const NO_TIMEOUT_MS = 2 ** 31 - 1;

export class ChildProgram {
  readonly app: AppName;
  readonly name: string;
  readonly pid: number;
  /** Settles when the process has exited and its output has been read to the end. */
  readonly exited: Promise<ChildExit>;
  readonly #process: AppProcess;

  constructor(options: ChildProgramOptions) {
    this.app = options.app;
    this.name = PROGRAM_NAMES[options.app];
    // The demo shows every line as it comes; the kit keeps only tails of long output.
    this.#process = new AppProcess({
      app: options.app,
      args: options.args,
      label: this.name,
      keepOutput: false,
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    });
    this.#process.onLine((line, stream) => {
      if (stream === 'stdout') options.onStdoutLine?.(line);
      else options.onStderrLine?.(line);
    });
    this.pid = this.#process.pid;
    this.exited = this.#process.exited;
  }

  /** True until the process has exited. */
  get running(): boolean {
    return this.#process.running;
  }

  /** True once `stop()` was called: an exit is then expected, not a failure. */
  get stopping(): boolean {
    return this.#process.stopping;
  }

  get exit(): ChildExit | undefined {
    return this.#process.exit;
  }

  /** The last stderr lines (at most STDERR_TAIL_LINES). */
  get stderrTail(): readonly string[] {
    return this.#process.stderrLines.slice(-STDERR_TAIL_LINES);
  }

  /** Writes one command line to the child's stdin. */
  writeLine(line: string): void {
    this.#process.send(line);
  }

  /**
   * The first stdout line from now on for which `match` returns a value (not undefined).
   * Rejects with ChildExitedError if the child exits first, or with the signal's reason.
   */
  async waitForLine<T>(match: (line: string) => T | undefined, signal: AbortSignal): Promise<T> {
    try {
      return (await this.#process.waitForLine((line) => match(line), {
        signal,
        includePast: false,
        timeoutMs: NO_TIMEOUT_MS,
      })) as T;
    } catch (error) {
      if (error instanceof AppExitedError) throw new ChildExitedError(this, error.exit);
      throw error;
    }
  }

  /**
   * The URL of the human `listening on` line from now on: the demo shows the apps' human output,
   * so it reads that line (with the kit's one parser) rather than run them with `--json`.
   */
  waitForListening(signal: AbortSignal): Promise<string> {
    return this.waitForLine((line) => {
      const heard = parseListeningLine(line);
      return heard?.kind === 'listening' ? heard.url : undefined;
    }, signal);
  }

  /** Resolves with the exit, or rejects with the signal's reason first. */
  waitForExit(signal: AbortSignal): Promise<ChildExit> {
    return new Promise<ChildExit>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.exited.then((exit) => {
        signal.removeEventListener('abort', onAbort);
        resolve(exit);
      });
    });
  }

  /** Resolves when the child exited 0; rejects with ChildExitedError for any other exit. */
  async waitForSuccess(signal: AbortSignal): Promise<void> {
    const exit = await this.waitForExit(signal);
    if (exit.code !== 0) throw new ChildExitedError(this, exit);
  }

  /** Sends `signal` to the child's whole process group; false when it is already gone. */
  signalGroup(signal: NodeJS.Signals): boolean {
    return this.#process.signal(signal, true);
  }

  /**
   * Stops the child: SIGTERM to its group (every app stops gracefully on it), SIGKILL after
   * `graceMs` or as soon as `hurry` aborts (a second Ctrl-C). Resolves once it has exited and its
   * process group is empty. Also for a child that already exited on its own.
   */
  stop(graceMs: number, hurry?: AbortSignal): Promise<ChildExit> {
    return this.#process.stop({ graceMs, group: true, ...(hurry ? { hurry } : {}) });
  }
}
