/**
 * One of the sibling apps (lb-server, lb-balancer) run from source as a child process, the way its
 * `pnpm start` runs it: `node --conditions=@lb/source --import tsx src/bin.ts ARGS` in the app's
 * directory. It is "ready" once its stdout says so (the listening lines); its output is kept in
 * bounded tails for error messages, and listeners may watch every line (e.g. request logs).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { BALANCER_APP_DIR, SERVER_APP_DIR } from '../repo-paths.js';
import { trackChild } from './process-registry.js';

export type AppName = 'server' | 'balancer';

const APP_DIRS: Record<AppName, string> = { server: SERVER_APP_DIR, balancer: BALANCER_APP_DIR };
const SOURCE_ARGS = ['--conditions=@lb/source', '--import', 'tsx', 'src/bin.ts'];
const TAIL_LINES = 40;
/** tsx compiles on start; on a busy 2-core machine that alone can take several seconds. */
export const DEFAULT_START_TIMEOUT_MS = 60_000;
export const DEFAULT_STOP_GRACE_MS = 10_000;

export class AppStartError extends Error {
  override readonly name = 'AppStartError';
}

export interface StartAppOptions<T> {
  app: AppName;
  args: readonly string[];
  /** Name in messages, e.g. `lb-balancer (p2c-peak-ewma)`. */
  label: string;
  /** Looks at the stdout lines so far after each new one; a value other than undefined means ready. */
  ready: (stdoutLines: readonly string[]) => T | undefined;
  startTimeoutMs?: number;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

type LineListener = (line: string) => void;

export class AppProcess<T = unknown> {
  readonly label: string;
  readonly pid: number;
  /** What `ready` returned. */
  readonly info: T;
  readonly exited: Promise<ProcessExit>;
  readonly #child: ChildProcess;
  readonly #stdoutTail: string[];
  readonly #stderrTail: string[];
  readonly #stderrListeners: Set<LineListener>;
  readonly #stdoutListeners: Set<LineListener>;

  private constructor(fields: {
    label: string;
    child: ChildProcess;
    info: T;
    exited: Promise<ProcessExit>;
    stdoutTail: string[];
    stderrTail: string[];
    stdoutListeners: Set<LineListener>;
    stderrListeners: Set<LineListener>;
  }) {
    this.label = fields.label;
    this.#child = fields.child;
    this.pid = fields.child.pid ?? -1;
    this.info = fields.info;
    this.exited = fields.exited;
    this.#stdoutTail = fields.stdoutTail;
    this.#stderrTail = fields.stderrTail;
    this.#stdoutListeners = fields.stdoutListeners;
    this.#stderrListeners = fields.stderrListeners;
  }

  /** Starts the app and resolves once `ready` accepts its output; rejects (and kills it) otherwise. */
  static start<T>(options: StartAppOptions<T>): Promise<AppProcess<T>> {
    const child = spawn(process.execPath, [...SOURCE_ARGS, ...options.args], {
      cwd: APP_DIRS[options.app],
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    trackChild(child);
    const exited = new Promise<ProcessExit>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const stdoutLines: string[] = [];
    const stdoutTail: string[] = [];
    const stderrTail: string[] = [];
    const stdoutListeners = new Set<LineListener>();
    const stderrListeners = new Set<LineListener>();
    const keep = (tail: string[], line: string) => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    };
    createInterface({ input: child.stderr! }).on('line', (line) => {
      keep(stderrTail, line);
      for (const listener of stderrListeners) listener(line);
    });
    const describeOutput = () =>
      [
        stdoutTail.length > 0 ? `stdout:\n  ${stdoutTail.join('\n  ')}` : '',
        stderrTail.length > 0 ? `stderr:\n  ${stderrTail.slice(-10).join('\n  ')}` : '',
      ]
        .filter(Boolean)
        .join('\n');

    return new Promise<AppProcess<T>>((resolve, reject) => {
      let settled = false;
      const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
      const timer = setTimeout(() => {
        fail(`${options.label} was not ready within ${timeoutMs} ms`);
        child.kill('SIGKILL');
      }, timeoutMs);
      const fail = (message: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const output = describeOutput();
        reject(new AppStartError(output === '' ? message : `${message}\n${output}`));
      };
      child.once('error', (error) => fail(`${options.label} could not start: ${error.message}`));
      void exited.then(({ code, signal }) =>
        fail(`${options.label} exited before it was ready (code ${code}, signal ${signal})`),
      );
      createInterface({ input: child.stdout! }).on('line', (line) => {
        keep(stdoutTail, line);
        for (const listener of stdoutListeners) listener(line);
        if (settled) return;
        stdoutLines.push(line);
        const info = options.ready(stdoutLines);
        if (info === undefined) return;
        settled = true;
        clearTimeout(timer);
        resolve(
          new AppProcess<T>({
            label: options.label,
            child,
            info,
            exited,
            stdoutTail,
            stderrTail,
            stdoutListeners,
            stderrListeners,
          }),
        );
      });
    });
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /**
   * Why a request to this process may have failed: undefined while it runs, otherwise how it ended
   * (a signal nobody in the bench sent means something else on the machine killed it) and its last
   * stderr lines.
   */
  deathNote(): string | undefined {
    if (this.running) return undefined;
    const how =
      this.#child.signalCode !== null
        ? `was killed by ${this.#child.signalCode}`
        : `had exited with code ${this.#child.exitCode}`;
    const tail = this.#stderrTail.slice(-3).join(' | ');
    return `${this.label} ${how}${tail === '' ? '' : ` (stderr: ${tail})`}`;
  }

  /** Calls `listener` with every later stderr line (lb-server's request log is JSON on stderr). */
  onStderrLine(listener: LineListener): () => void {
    this.#stderrListeners.add(listener);
    return () => this.#stderrListeners.delete(listener);
  }

  onStdoutLine(listener: LineListener): () => void {
    this.#stdoutListeners.add(listener);
    return () => this.#stdoutListeners.delete(listener);
  }

  /** The last lines of output, for error messages. */
  outputTail(): { stdout: readonly string[]; stderr: readonly string[] } {
    return { stdout: [...this.#stdoutTail], stderr: [...this.#stderrTail] };
  }

  /** SIGTERM (the apps shut down gracefully and stop their own children), SIGKILL after `graceMs`. */
  async stop(graceMs = DEFAULT_STOP_GRACE_MS): Promise<ProcessExit> {
    if (this.running) this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
