/**
 * Every child process the bench started and has not seen exit is tracked by @lb/test-kit. A
 * failed experiment, Ctrl-C or a crash must not leave lb-servers listening on the machine:
 * `stopTrackedChildren` is called between experiments and on SIGINT, and the kit's `exit` hook
 * SIGKILLs whatever is still alive as a last resort (only our own children, by pid).
 */
import { stopAllApps } from '@lb/test-kit';

/** `isProcessAlive(pid)`: whether a process with this pid exists (signal 0 checks, no signal). */
export { isAlive as isProcessAlive, livePids } from '@lb/test-kit';

/**
 * Stops every tracked child still running: SIGTERM (so a balancer stops its own replicas), then
 * SIGKILL after `graceMs` (default: the kit's grace). Resolves once all have exited.
 */
export function stopTrackedChildren(graceMs?: number): Promise<void> {
  return stopAllApps(graceMs);
}
