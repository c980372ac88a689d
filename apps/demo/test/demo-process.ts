/**
 * Runs the demo as a real child process, the way `pnpm start` does, and collects what the tests
 * check: its output, the pids it says it started, and its temp dir.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const DEMO_DIR = fileURLToPath(new URL('..', import.meta.url));

export interface DemoProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first stdout line matching, as soon as it is printed. */
  lineMatching: (pattern: RegExp) => Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startDemo(
  args: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
): DemoProcess {
  // Its own process group, like a shell job: a signal to the group is a Ctrl-C in a terminal.
  const child = spawn(
    process.execPath,
    ['--conditions=@lb/source', '--import', 'tsx', 'src/bin.ts', ...args],
    {
      cwd: DEMO_DIR,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
    for (const waiter of [...waiters]) {
      const line = stdout.split('\n').find((candidate) => waiter.pattern.test(candidate));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    lineMatching: (pattern) =>
      new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        exited.then(() => reject(new Error(`the demo exited before printing ${pattern}`)));
      }),
    exited,
  };
}

/** Every `(pid N)` the demo printed when it started a program. */
export function startedPids(stdout: string): number[] {
  return [...stdout.matchAll(/^ {3}demo {5}\| started lb-\S+ .*\(pid (\d+)\)$/gm)].map((match) =>
    Number(match[1]),
  );
}

/** True while a process (or, with a negative number, a process group) exists. */
export function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function tempDirOf(stdout: string): string {
  const match = /^ {3}temp dir: (\S+) /m.exec(stdout);
  if (match === null) throw new Error('the demo did not print its temp dir');
  return match[1]!;
}
