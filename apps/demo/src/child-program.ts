/**
 * One app CLI running as a child process of the demo.
 *
 * Each child gets its own process group (`detached`): a Ctrl-C in the terminal then reaches only
 * the demo, which stops the children in order and removes their files, and stopping a child
 * signals its whole group, so nothing it may have started survives it. Output is read line by
 * line; the last stderr lines are kept so a failure can show what the child said.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { type AppName, appCommand, PROGRAM_NAMES } from './app-command.js';
import { ChildExitedError } from './demo-errors.js';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

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

type LineWaiter = (line: string) => boolean;

export class ChildProgram {
  readonly app: AppName;
  readonly name: string;
  readonly pid: number;
  /** Settles when the process has exited and its output has been read to the end. */
  readonly exited: Promise<ChildExit>;
  #child: ChildProcess;
  #exit: ChildExit | undefined;
  #stopping = false;
  #stderrTail: string[] = [];
  #waiters = new Set<LineWaiter>();

  constructor(options: ChildProgramOptions) {
    this.app = options.app;
    this.name = PROGRAM_NAMES[options.app];
    const { command, args, cwd } = appCommand(options.app, options.args);
    this.#child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...options.env },
      stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      detached: true,
    });
    // spawn() only lacks a pid when the executable could not be started; node itself always can.
    this.pid = this.#child.pid ?? -1;
    // A child that dies while we write a command must not crash the demo with EPIPE.
    this.#child.stdin?.on('error', () => {});

    const stdout = createInterface({ input: this.#child.stdout!, crlfDelay: Infinity });
    stdout.on('line', (line) => {
      options.onStdoutLine?.(line);
      for (const waiter of this.#waiters) if (waiter(line)) this.#waiters.delete(waiter);
    });
    const stderr = createInterface({ input: this.#child.stderr!, crlfDelay: Infinity });
    stderr.on('line', (line) => {
      this.#stderrTail.push(line);
      if (this.#stderrTail.length > STDERR_TAIL_LINES) this.#stderrTail.shift();
      options.onStderrLine?.(line);
    });

    this.exited = new Promise((resolve) => {
      let resolved = false;
      const finish = (exit: ChildExit) => {
        if (resolved) return;
        resolved = true;
        this.#exit = exit;
        resolve(exit);
      };
      // 'close' comes after the last output line; 'error' alone means it never ran.
      this.#child.on('close', (code, signal) => finish({ code, signal }));
      this.#child.on('error', (error) => {
        this.#stderrTail.push(String(error));
        if (this.#child.pid === undefined) finish({ code: null, signal: null });
      });
    });
  }

  /** True until the process has exited. */
  get running(): boolean {
    return this.#exit === undefined;
  }

  /** True once `stop()` was called: an exit is then expected, not a failure. */
  get stopping(): boolean {
    return this.#stopping;
  }

  get exit(): ChildExit | undefined {
    return this.#exit;
  }

  /** The last stderr lines (at most STDERR_TAIL_LINES). */
  get stderrTail(): readonly string[] {
    return this.#stderrTail;
  }

  /** Writes one command line to the child's stdin. */
  writeLine(line: string): void {
    this.#child.stdin?.write(`${line}\n`);
  }

  /**
   * The first stdout line from now on for which `match` returns a value (not undefined).
   * Rejects with ChildExitedError if the child exits first, or with the signal's reason.
   */
  waitForLine<T>(match: (line: string) => T | undefined, signal: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const cleanup = () => {
        this.#waiters.delete(waiter);
        signal.removeEventListener('abort', onAbort);
      };
      const waiter: LineWaiter = (line) => {
        const value = match(line);
        if (value === undefined) return false;
        cleanup();
        resolve(value);
        return true;
      };
      const onAbort = () => {
        cleanup();
        reject(signal.reason);
      };
      if (signal.aborted) return onAbort();
      this.#waiters.add(waiter);
      signal.addEventListener('abort', onAbort);
      this.exited.then((exit) => {
        if (!this.#waiters.has(waiter)) return;
        cleanup();
        reject(new ChildExitedError(this, exit));
      });
    });
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
    if (this.pid <= 0 || !this.running) return false;
    try {
      process.kill(-this.pid, signal);
      return true;
    } catch {
      // ESRCH: the group has just exited.
      return false;
    }
  }

  /**
   * Stops the child: SIGTERM to its group (every app stops gracefully on it), SIGKILL after
   * `graceMs` or as soon as `hurry` aborts (a second Ctrl-C). Resolves once it has exited and its
   * process group is empty. Also for a child that already exited on its own.
   */
  async stop(graceMs: number, hurry?: AbortSignal): Promise<ChildExit> {
    this.#stopping = true;
    if (this.running) {
      this.signalGroup('SIGTERM');
      const kill = () => this.signalGroup('SIGKILL');
      const timer = setTimeout(kill, graceMs);
      if (hurry?.aborted) kill();
      hurry?.addEventListener('abort', kill, { once: true });
      try {
        await this.exited;
      } finally {
        clearTimeout(timer);
        hurry?.removeEventListener('abort', kill);
      }
    }
    await this.#emptyGroup();
    return this.#exit!;
  }

  /**
   * Waits until nothing is left in the child's process group. A helper the child started (tsx's
   * esbuild service) exits a moment after it, or lingers: what is still there after a short
   * while is killed. Bounded, because killed helpers of a dead parent are reaped by init, which
   * we cannot hurry; they are dead by then, merely not yet collected.
   */
  async #emptyGroup(): Promise<void> {
    for (let poll = 0; poll < GROUP_POLLS && groupExists(this.pid); poll++) {
      if (poll === GROUP_POLLS_BEFORE_KILL) {
        try {
          process.kill(-this.pid, 'SIGKILL');
        } catch {
          // ESRCH: it emptied meanwhile.
        }
      }
      await new Promise((resolve) => setTimeout(resolve, GROUP_POLL_MS));
    }
  }
}

const GROUP_POLL_MS = 50;
/** 0.2 s for stragglers to exit on their own, then SIGKILL. */
const GROUP_POLLS_BEFORE_KILL = 4;
/** At most 5 s in all. */
const GROUP_POLLS = 100;

/** True while any process (zombies included) is in process group `pgid`. */
function groupExists(pgid: number): boolean {
  if (pgid <= 0) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    // EPERM: a member exists that we may not signal (never ours, but it exists).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
