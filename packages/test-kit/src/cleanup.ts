/**
 * Every child the kit starts is recorded here until it exits. `stopAllApps()` (a suite's
 * afterAll) stops what is left; should the test process end first, an exit hook kills the rest by
 * pid (and process group), so no lb-server keeps a port after a failed or interrupted run.
 */

export interface TrackedChild {
  readonly pid: number;
  /** Whether the child leads its own process group (then the whole group is killed). */
  readonly detached: boolean;
  readonly running: boolean;
  stop(options?: { group?: boolean; graceMs?: number }): Promise<unknown>;
}

const live = new Set<TrackedChild>();
let hooked = false;

export function trackChild(child: TrackedChild, exited: Promise<unknown>): void {
  live.add(child);
  void exited.then(() => live.delete(child));
  if (!hooked) {
    hooked = true;
    // 'exit' handlers must be synchronous: a signal by pid is.
    process.once('exit', killAllNow);
  }
}

/** SIGKILL by pid (and group) to every child still running. */
export function killAllNow(): void {
  for (const child of live) {
    for (const pid of child.detached ? [-child.pid, child.pid] : [child.pid]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // ESRCH: already gone.
      }
    }
  }
  live.clear();
}

/** Stops every child still running and what it started (each gets its grace, then SIGKILL). */
export async function stopAllApps(graceMs?: number): Promise<void> {
  const options = graceMs === undefined ? { group: true } : { group: true, graceMs };
  await Promise.all([...live].map((child) => child.stop(options)));
}

/** Pids of the children the kit started that are still running. */
export function livePids(): number[] {
  return [...live].filter((child) => child.running).map((child) => child.pid);
}

/** True while a process (or, for a negative number, any process of that group; zombies too) exists. */
export function isAlive(pid: number): boolean {
  if (pid === 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but may not be signalled by us (never ours, but it exists).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
