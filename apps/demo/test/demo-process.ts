/**
 * Runs the demo as a real child process, the way `pnpm start` does, and collects what the tests
 * check: its output, the pids it says it started, and its temp dir.
 */
import type { ChildProcess } from 'node:child_process';
import { type ProcessExit, spawnApp } from '@lb/test-kit';

export interface DemoProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first stdout line matching, as soon as it is printed. */
  lineMatching: (pattern: RegExp) => Promise<string>;
  exited: Promise<ProcessExit>;
}

export function startDemo(
  args: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
): DemoProcess {
  // Its own process group (the kit's default), like a shell job: a signal to the group is a
  // Ctrl-C in a terminal.
  const demo = spawnApp({ app: 'demo', args, env });
  return {
    child: demo.child,
    stdout: () => demo.stdout,
    stderr: () => demo.stderr,
    lineMatching: (pattern) =>
      demo
        .waitForLine((line) => (pattern.test(line) ? line : undefined), { timeoutMs: 120_000 })
        .catch(() => {
          throw new Error(`the demo exited before printing ${pattern}`);
        }),
    exited: demo.exited,
  };
}

/** Every `(pid N)` the demo printed when it started a program. */
export function startedPids(stdout: string): number[] {
  return [...stdout.matchAll(/^ {3}demo {5}\| started lb-\S+ .*\(pid (\d+)\)$/gm)].map((match) =>
    Number(match[1]),
  );
}

/** True while a process (or, with a negative number, a process group) exists. */
export { isAlive as exists } from '@lb/test-kit';

export function tempDirOf(stdout: string): string {
  const match = /^ {3}temp dir: (\S+) /m.exec(stdout);
  if (match === null) throw new Error('the demo did not print its temp dir');
  return match[1]!;
}
