/**
 * Every child process the bench started and has not seen exit is tracked by @lb/test-kit. A
 * failed experiment, Ctrl-C or a crash must not leave lb-servers listening on the machine:
 * `stopTrackedChildren` is called between experiments and on SIGINT, and the kit's `exit` hook
 * SIGKILLs whatever is still alive as a last resort (only our own children, by pid).
 */
import { livePids, stopAllApps } from '@lb/test-kit';

export { livePids };

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
 * SIGKILL after `graceMs` (default: the kit's grace). Resolves once all have exited.
 */
export function stopTrackedChildren(graceMs?: number): Promise<void> {
  return stopAllApps(graceMs);
}
