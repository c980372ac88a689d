/**
 * One program (an lb app, or a peer such as nginx) as a child process: output read line by line
 * and kept, waits on a line, a JSON event or the exit, and a stop that never leaves it behind.
 *
 * Each child leads its own process group (`detached`) unless told otherwise: a Ctrl-C in the
 * terminal then reaches only the parent, and cleanup can kill whatever the child started.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { type AppBuild, type AppName, appDir, appNodeArgs, PROGRAM_NAMES } from './apps.js';
import { isAlive, trackChild } from './cleanup.js';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnOptions {
  /** An lb app: runs its bin with node (see `build`). Without it, `command` runs. */
  app?: AppName;
  build?: AppBuild;
  /** The program for a non-app child (default: this node). */
  command?: string;
  args?: readonly string[];
  /** Node options before the script (`--trace-opt`, …); apps only. */
  nodeOptions?: readonly string[];
  /** Default: the app's directory, else this process's cwd. */
  cwd?: string;
  /** Extra environment variables (the rest is inherited). */
  env?: Readonly<Record<string, string | undefined>>;
  /** A pipe to write commands to (lb-server's console); otherwise stdin is /dev/null. */
  stdin?: boolean;
  /** Own process group (default true). */
  detached?: boolean;
  /** Raise the soft open-files limit to this before the program starts (via `ulimit -n`). */
  fdLimit?: number;
  /** Keep all output (default) or only the last lines, for long-running children. */
  keepOutput?: boolean;
  /** Name in messages; default the program name. */
  label?: string;
  /** Watch a child spawned elsewhere instead of spawning one (the spawn fields are ignored). */
  child?: ChildProcess;
}

export interface WaitOptions {
  /** Which output to watch (default stdout). */
  stream?: 'stdout' | 'stderr' | 'both';
  /** Default 60 s: tsx compiles on start, which is slow on a busy machine. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Also look at the lines already printed (default), or only at new ones. */
  includePast?: boolean;
}

export const DEFAULT_WAIT_MS = 60_000;
export const DEFAULT_STOP_GRACE_MS = 10_000;
const TAIL_LINES = 40;

/** The child exited while something waited on its output. */
export class AppExitedError extends Error {
  readonly exit: ProcessExit;
  constructor(message: string, exit: ProcessExit) {
    super(message);
    this.name = new.target.name;
    this.exit = exit;
  }
}

type LineListener = (line: string, stream: 'stdout' | 'stderr') => void;

export class AppProcess {
  readonly label: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly detached: boolean;
  /** Settles once the process has exited and its output has been read to the end. */
  readonly exited: Promise<ProcessExit>;
  /** Everything printed so far (with `keepOutput: false`, only the tails). */
  stdout = '';
  stderr = '';
  readonly stdoutLines: string[] = [];
  readonly stderrLines: string[] = [];
  #exit: ProcessExit | undefined;
  #stopping = false;
  readonly #keep: boolean;
  readonly #listeners = new Set<LineListener>();

  constructor(options: SpawnOptions) {
    this.#keep = options.keepOutput ?? true;
    if (options.child !== undefined) {
      this.child = options.child;
      this.label = options.label ?? this.child.spawnfile;
      this.detached = options.detached ?? false;
    } else {
      const command =
        options.app === undefined ? (options.command ?? process.execPath) : process.execPath;
      let args =
        options.app === undefined
          ? [...(options.args ?? [])]
          : [
              ...(options.nodeOptions ?? []),
              ...appNodeArgs(options.app, options.args ?? [], options.build),
            ];
      let file = command;
      if (options.fdLimit !== undefined) {
        // A shell raises the soft limit (up to the hard one) and execs the program in place.
        args = ['-c', `ulimit -n ${options.fdLimit} && exec "$0" "$@"`, command, ...args];
        file = '/bin/sh';
      }
      this.label = options.label ?? (options.app ? PROGRAM_NAMES[options.app] : command);
      this.detached = options.detached ?? true;
      this.child = spawn(file, args, {
        cwd: options.cwd ?? (options.app ? appDir(options.app) : process.cwd()),
        env: { ...process.env, ...options.env },
        stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
        detached: this.detached,
      });
    }
    this.pid = this.child.pid ?? -1;
    // A child that dies while we write a command must not crash the parent with EPIPE.
    this.child.stdin?.on('error', () => {});
    for (const stream of ['stdout', 'stderr'] as const) {
      const input = this.child[stream];
      if (!input) continue;
      input.setEncoding('utf8');
      // The text exactly as printed (lines lose their \r); the lines serve the waits.
      if (this.#keep) input.on('data', (text: string) => (this[stream] += text));
      createInterface({ input, crlfDelay: Infinity }).on('line', (line) =>
        this.#line(stream, line),
      );
    }
    this.exited = new Promise((resolve) => {
      const finish = (exit: ProcessExit) => {
        if (this.#exit !== undefined) return;
        this.#exit = exit;
        resolve(exit);
      };
      // 'close' comes after the last output line; 'error' alone means it never ran.
      this.child.on('close', (code, signal) => finish({ code, signal }));
      this.child.on('error', (error) => {
        this.#line('stderr', String(error));
        if (this.child.pid === undefined) finish({ code: null, signal: null });
      });
    });
    if (this.pid > 0) trackChild(this, this.exited);
  }

  /** True until the process has exited. */
  get running(): boolean {
    return this.#exit === undefined;
  }

  /** True once `stop()` was called: an exit is then expected, not a failure. */
  get stopping(): boolean {
    return this.#stopping;
  }

  get exit(): ProcessExit | undefined {
    return this.#exit;
  }

  /** Calls `listener` for every later output line. Returns a function that removes it. */
  onLine(listener: LineListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The JSON objects printed on stdout so far (`--json` mode), in order. */
  events(): Array<Record<string, unknown>> {
    return this.stdoutLines.flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  /**
   * The first line for which `match` returns a value other than undefined/false. Rejects with
   * AppExitedError when the child exits first, on timeout, or with the signal's reason.
   */
  waitForLine<T>(
    match: (line: string) => T | undefined | false,
    options: WaitOptions = {},
  ): Promise<Exclude<T, false>> {
    const stream = options.stream ?? 'stdout';
    type Found = Exclude<T, false>;
    const test = (line: string): Found | undefined => {
      const value = match(line);
      return value === undefined || value === false ? undefined : (value as Found);
    };
    if (options.includePast ?? true) {
      const past =
        stream === 'both'
          ? [...this.stdoutLines, ...this.stderrLines]
          : stream === 'stdout'
            ? this.stdoutLines
            : this.stderrLines;
      for (const line of past) {
        const value = test(line);
        if (value !== undefined) return Promise.resolve(value);
      }
    }
    return new Promise<Found>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
      const settle = (error: unknown, value?: Found) => {
        remove();
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (error === undefined) resolve(value as Found);
        else reject(error);
      };
      const remove = this.onLine((line, from) => {
        if (stream !== 'both' && from !== stream) return;
        const value = test(line);
        if (value !== undefined) settle(undefined, value);
      });
      const timer = setTimeout(
        () =>
          settle(
            new Error(
              `${this.label}: nothing matched within ${timeoutMs} ms${this.describeOutput()}`,
            ),
          ),
        timeoutMs,
      );
      const onAbort = () => settle(options.signal!.reason);
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort);
      void this.exited.then((exit) =>
        settle(
          new AppExitedError(
            `${this.label} exited (code ${exit.code}, signal ${exit.signal}) before the awaited output${this.describeOutput()}`,
            exit,
          ),
        ),
      );
    });
  }

  /** The first match of `pattern` in the whole stdout (or stderr) text, now or later. */
  async waitForText(pattern: RegExp, options: WaitOptions = {}): Promise<RegExpMatchArray> {
    const text = () =>
      options.stream === 'both'
        ? this.stdout + this.stderr
        : options.stream === 'stderr'
          ? this.stderr
          : this.stdout;
    const found = text().match(pattern);
    if (found) return found;
    await this.waitForLine(() => pattern.test(text()) || undefined, {
      ...options,
      includePast: false,
    });
    return text().match(pattern)!;
  }

  /** The first `--json` event named `name` (and accepted by `where`). */
  waitForEvent(
    name: string,
    options: WaitOptions & { where?: (event: Record<string, unknown>) => boolean } = {},
  ): Promise<Record<string, unknown>> {
    return this.waitForLine((line) => {
      if (!line.startsWith('{')) return undefined;
      try {
        const event = JSON.parse(line) as Record<string, unknown>;
        return event['event'] === name && (options.where?.(event) ?? true) ? event : undefined;
      } catch {
        return undefined;
      }
    }, options);
  }

  /** Writes one line to the child's stdin (spawned with `stdin: true`). */
  send(line: string): void {
    this.child.stdin?.write(`${line}\n`);
  }

  /** Sends `signal` to the child, or to its whole group; false when it is already gone. */
  signal(signal: NodeJS.Signals, group = false): boolean {
    if (this.pid <= 0 || !this.running) return false;
    try {
      process.kill(group && this.detached ? -this.pid : this.pid, signal);
      return true;
    } catch {
      // ESRCH: it has just exited.
      return false;
    }
  }

  /**
   * Stops the child: `signal` (SIGTERM: every app stops gracefully on it), SIGKILL after
   * `graceMs` or as soon as `hurry` aborts. With `group`, both go to its process group and this
   * resolves once the group is empty. Also for a child that already exited on its own.
   */
  async stop(
    options: {
      signal?: NodeJS.Signals;
      graceMs?: number;
      group?: boolean;
      hurry?: AbortSignal;
    } = {},
  ): Promise<ProcessExit> {
    this.#stopping = true;
    const group = options.group ?? false;
    if (this.running) {
      this.signal(options.signal ?? 'SIGTERM', group);
      const kill = () => this.signal('SIGKILL', group);
      const timer = setTimeout(kill, options.graceMs ?? DEFAULT_STOP_GRACE_MS);
      if (options.hurry?.aborted) kill();
      options.hurry?.addEventListener('abort', kill, { once: true });
      try {
        await this.exited;
      } finally {
        clearTimeout(timer);
        options.hurry?.removeEventListener('abort', kill);
      }
    }
    if (group && this.detached) await emptyGroup(this.pid);
    return this.#exit!;
  }

  /** The last output lines, for error messages (empty when there were none). */
  describeOutput(): string {
    const tail = (lines: string[]) => lines.slice(-TAIL_LINES).join('\n  ');
    return [
      this.stdoutLines.length > 0 ? `\nstdout:\n  ${tail(this.stdoutLines)}` : '',
      this.stderrLines.length > 0 ? `\nstderr:\n  ${tail(this.stderrLines)}` : '',
    ].join('');
  }

  #line(stream: 'stdout' | 'stderr', line: string): void {
    const lines = stream === 'stdout' ? this.stdoutLines : this.stderrLines;
    lines.push(line);
    if (!this.#keep && lines.length > TAIL_LINES) lines.shift();
    for (const listener of this.#listeners) listener(line, stream);
  }
}

export function spawnApp(options: SpawnOptions): AppProcess {
  return new AppProcess(options);
}

export interface AppRun extends ProcessExit {
  stdout: string;
  stderr: string;
}

/** Runs a program to its end and returns its exit and output. */
export async function runApp(options: SpawnOptions): Promise<AppRun> {
  const child = new AppProcess(options);
  const exit = await child.exited;
  return { ...exit, stdout: child.stdout, stderr: child.stderr };
}

const GROUP_POLL_MS = 50;
/** 0.2 s for stragglers (tsx's esbuild service) to exit on their own, then SIGKILL. */
const GROUP_POLLS_BEFORE_KILL = 4;
/** At most 5 s in all: killed members of a dead parent are reaped by init, which we cannot hurry. */
const GROUP_POLLS = 100;

async function emptyGroup(pgid: number): Promise<void> {
  for (let poll = 0; poll < GROUP_POLLS && pgid > 0 && isAlive(-pgid); poll++) {
    if (poll === GROUP_POLLS_BEFORE_KILL) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // ESRCH: it emptied meanwhile.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, GROUP_POLL_MS));
  }
}
