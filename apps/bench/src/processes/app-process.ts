/**
 * One of the sibling apps (lb-server, lb-balancer) run from source as a child process through
 * @lb/test-kit, with `--json`: it is ready once its `listening` event(s) are printed. Output is
 * kept in bounded tails for error messages, and listeners may watch every line (e.g. request logs).
 */
import {
  type AppProcess as KitProcess,
  type ProcessExit,
  type RunningApp,
  startApp,
} from '@lb/test-kit';

export type { ProcessExit };

export type AppName = 'server' | 'balancer';

export class AppStartError extends Error {
  override readonly name = 'AppStartError';
}

export interface StartAppOptions {
  app: AppName;
  args: readonly string[];
  /** Name in messages, e.g. `lb-balancer (p2c-peak-ewma)`. */
  label: string;
  /** How many listening events make it ready (lb-server's virtual mode: one per server). */
  listeners?: number;
}

type LineListener = (line: string) => void;

export class AppProcess {
  readonly label: string;
  readonly pid: number;
  readonly exited: Promise<ProcessExit>;
  /** Its listeners, from the `listening` events. */
  readonly listening: RunningApp;
  readonly #process: KitProcess;

  private constructor(label: string, listening: RunningApp) {
    this.label = label;
    this.listening = listening;
    this.#process = listening.process;
    this.pid = this.#process.pid;
    this.exited = this.#process.exited;
  }

  /** Starts the app and resolves once it listens; rejects (and kills it) otherwise. */
  static async start(options: StartAppOptions): Promise<AppProcess> {
    try {
      const listening = await startApp({
        app: options.app,
        args: options.args,
        label: options.label,
        keepOutput: false,
        listeners: options.listeners ?? 1,
      });
      return new AppProcess(options.label, listening);
    } catch (error) {
      throw new AppStartError((error as Error).message);
    }
  }

  get running(): boolean {
    return this.#process.running;
  }

  /**
   * Why a request to this process may have failed: undefined while it runs, otherwise how it ended
   * (a signal nobody in the bench sent means something else on the machine killed it) and its last
   * stderr lines.
   */
  deathNote(): string | undefined {
    const exit = this.#process.exit;
    if (exit === undefined) return undefined;
    const how =
      exit.signal !== null ? `was killed by ${exit.signal}` : `had exited with code ${exit.code}`;
    const tail = this.#process.stderrLines.slice(-3).join(' | ');
    return `${this.label} ${how}${tail === '' ? '' : ` (stderr: ${tail})`}`;
  }

  /** Calls `listener` with every later stderr line (lb-server's request log is JSON on stderr). */
  onStderrLine(listener: LineListener): () => void {
    return this.#process.onLine((line, stream) => stream === 'stderr' && listener(line));
  }

  onStdoutLine(listener: LineListener): () => void {
    return this.#process.onLine((line, stream) => stream === 'stdout' && listener(line));
  }

  /** The last lines of output, for error messages. */
  outputTail(): { stdout: readonly string[]; stderr: readonly string[] } {
    return { stdout: [...this.#process.stdoutLines], stderr: [...this.#process.stderrLines] };
  }

  /**
   * SIGTERM (the apps shut down gracefully and stop their own children), SIGKILL after `graceMs`
   * (the kit's default when absent).
   */
  stop(graceMs?: number): Promise<ProcessExit> {
    return this.#process.stop({ graceMs });
  }
}
