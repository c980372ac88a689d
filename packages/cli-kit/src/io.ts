/**
 * The seam between an app's command line and the process: what it reads, where it writes and the
 * stop signals. `processIo()` is the real process; tests hand `main` a `createMemoryIo()`.
 */
import { PassThrough, type Readable, type Writable } from 'node:stream';

export type Output = Writable & { isTTY?: boolean };

export interface CliIo {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly stdin: Readable;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Aborted on the first stop signal; its `reason` is the signal's name ('SIGINT', …). */
  readonly stop: AbortSignal;
  /** Aborted on the second: whatever is still stopping should stop now. */
  readonly hurry: AbortSignal;
}

export function writeLine(output: Writable, text: string): void {
  output.write(`${text}\n`);
}

/** The stop and hurry signals, and the function that delivers a process signal to them. */
function stopSignals(): Pick<CliIo, 'stop' | 'hurry'> & { deliver: (signal: string) => void } {
  const stop = new AbortController();
  const hurry = new AbortController();
  return {
    stop: stop.signal,
    hurry: hurry.signal,
    deliver: (signal) => (stop.signal.aborted ? hurry.abort(signal) : stop.abort(signal)),
  };
}

/** The real process. Listening for `signals` from now on replaces their default (exit). */
export function processIo(signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): CliIo {
  const { stop, hurry, deliver } = stopSignals();
  for (const signal of signals) process.on(signal, deliver);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // A getter: touching process.stdin opens fd 0, which only lb-server's console reads.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
    stop,
    hurry,
  };
}

export interface MemoryIo extends CliIo {
  readonly stdout: PassThrough;
  readonly stderr: PassThrough;
  /** Everything written to stdout so far. */
  stdoutText(): string;
  stderrText(): string;
  /** Delivers a stop signal as the process would. */
  sendSignal(signal: NodeJS.Signals): void;
}

function collect(stream: PassThrough): () => string {
  const chunks: string[] = [];
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => chunks.push(chunk));
  return () => chunks.join('');
}

/** An I/O seam in memory for tests: no stdin unless given, an empty environment by default. */
export function createMemoryIo(
  init: { env?: Record<string, string | undefined>; cwd?: string; stdin?: Readable } = {},
): MemoryIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const { stop, hurry, deliver } = stopSignals();
  return {
    stdout,
    stderr,
    stdin: init.stdin ?? new PassThrough(),
    env: init.env ?? {},
    cwd: init.cwd ?? process.cwd(),
    stop,
    hurry,
    stdoutText: collect(stdout),
    stderrText: collect(stderr),
    sendSignal: deliver,
  };
}
