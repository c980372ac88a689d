/**
 * Every child process the bench started and has not seen exit. A failed experiment, Ctrl-C or a
 * crash must not leave lb-servers listening on the machine: `stopAll` is called between
 * experiments and on SIGINT, and the `exit` hook SIGKILLs whatever is still alive as a last resort
 * (only our own children, by pid).
 */
import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();
let hookInstalled = false;

function killRemaining(): void {
  for (const child of live) child.kill('SIGKILL');
}

export function trackChild(child: ChildProcess): void {
  if (!hookInstalled) {
    process.once('exit', killRemaining);
    hookInstalled = true;
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** Pids of the tracked children still running. */
export function livePids(): number[] {
  return [...live].flatMap((child) => (child.pid === undefined ? [] : [child.pid]));
}

/** Whether a process with this pid exists (signal 0 checks without signalling). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Stops every tracked child still running: SIGTERM (so a balancer stops its own replicas), then
 * SIGKILL after `graceMs`. Resolves once all have exited.
 */
export async function stopTrackedChildren(graceMs = 10_000): Promise<void> {
  const children = [...live];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) {
            resolve();
            return;
          }
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}
